/**
 * How a worker of `--workers N` gathers what every worker holds (its metrics, its in-memory admin
 * views), over node:cluster IPC: the worker that took the request asks the primary, the primary asks
 * every listening worker (the asking one too) and answers with what came back within a bound.
 */
export type GatherTopic = 'metrics' | 'status';

/** A worker's report on a topic: its metrics as JSON (prom-client's getMetricsAsJSON) or its InstanceStatus. */
export type ReportBody = unknown;

/** How long the primary waits for the workers' reports: well within a Prometheus scrape timeout (10 s by default). */
export const REPORT_WAIT_MS = 3000;
/** How long a worker waits for the primary, which itself waits at most REPORT_WAIT_MS. */
const GATHER_WAIT_MS = REPORT_WAIT_MS + 2000;

/** Worker to primary: gather `topic` from every worker. */
export interface GatherRequest {
  chatbridge: 'gather';
  id: number;
  topic: GatherTopic;
}

/** Primary to every worker: report on `topic`. */
export interface ReportRequest {
  chatbridge: 'report';
  id: number;
  topic: GatherTopic;
}

/** Worker to primary: its report. */
export interface ReportAnswer {
  chatbridge: 'reported';
  id: number;
  body: ReportBody;
}

/** Primary to the asking worker: the reports, and how many workers were asked and answered in time. */
export interface Gathered {
  chatbridge: 'gathered';
  id: number;
  bodies: ReportBody[];
  asked: number;
  answered: number;
}

const isMessage = <T extends { chatbridge: string }>(kind: T['chatbridge']) => (message: unknown): message is T =>
  (message as T | null)?.chatbridge === kind && typeof (message as { id?: unknown }).id === 'number';

export const isGatherRequest = isMessage<GatherRequest>('gather');
export const isReportRequest = isMessage<ReportRequest>('report');
export const isReportAnswer = isMessage<ReportAnswer>('reported');
const isGathered = isMessage<Gathered>('gathered');

/** In a worker: answers the primary's report requests. A report that fails is not sent: the primary counts the worker as unanswered. */
export function answerReports(report: (topic: GatherTopic) => Promise<ReportBody>): void {
  process.on('message', (message: unknown) => {
    if (!isReportRequest(message)) return;
    report(message.topic).then(
      (body) => {
        const answer: ReportAnswer = { chatbridge: 'reported', id: message.id, body };
        if (process.connected) process.send?.(answer);
      },
      () => undefined,
    );
  });
}

let nextId = 0;
const waiting = new Map<number, (gathered: Gathered) => void>();
let listening = false;

/** In a worker: every worker's report on `topic`. Rejects when the primary does not answer (it is gone or stuck). */
export function gather(topic: GatherTopic): Promise<Gathered> {
  if (!process.connected || !process.send) return Promise.reject(new Error('not connected to a cluster primary'));
  if (!listening) {
    listening = true;
    process.on('message', (message: unknown) => {
      if (isGathered(message)) waiting.get(message.id)?.(message);
    });
  }
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      waiting.delete(id);
      reject(new Error(`the cluster primary did not gather ${topic} within ${GATHER_WAIT_MS} ms`));
    }, GATHER_WAIT_MS);
    waiting.set(id, (gathered) => {
      clearTimeout(timer);
      waiting.delete(id);
      resolve(gathered);
    });
    const request: GatherRequest = { chatbridge: 'gather', id, topic };
    process.send!(request);
  });
}
