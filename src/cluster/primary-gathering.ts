import type { Worker } from 'node:cluster';
import type { Logger } from '../observability/logger.js';
import {
  type Gathered,
  type GatherRequest,
  type GatherTopic,
  isGatherRequest,
  isReportAnswer,
  REPORT_WAIT_MS,
  type ReportBody,
  type ReportRequest,
} from './gathering.js';
import { type MetricJson, MetricsMemory } from './metrics-memory.js';

interface Pending {
  requester: Worker;
  request: GatherRequest;
  asked: Worker[];
  bodies: Map<Worker, ReportBody>;
  timer: NodeJS.Timeout;
}

/**
 * The primary's side of gathering (gathering.ts): a worker asks, every listening worker is asked to
 * report, and the asking worker gets what came back within REPORT_WAIT_MS. A worker that does not
 * answer in time does not hold the answer up: it is logged, counted in the answer (`asked` and
 * `answered`), and for metrics its last report stands in (MetricsMemory).
 */
export class PrimaryGathering {
  private readonly pending = new Map<number, Pending>();
  private readonly metrics = new MetricsMemory();
  private nextId = 0;

  constructor(
    private readonly logger: Logger,
    /** The workers to ask: those that listen (a worker still starting could not answer). */
    private readonly workers: () => Worker[],
    private readonly waitMs = REPORT_WAIT_MS,
  ) {}

  /** Takes the gathering messages a worker sent; false for any other message. */
  handle(worker: Worker, message: unknown): boolean {
    if (isGatherRequest(message)) {
      this.start(worker, message);
      return true;
    }
    if (isReportAnswer(message)) {
      const pending = this.pending.get(message.id);
      if (pending?.asked.includes(worker)) {
        pending.bodies.set(worker, message.body);
        if (pending.bodies.size === pending.asked.length) this.finish(message.id);
      }
      return true;
    }
    return false;
  }

  /** A worker is gone: nothing waits for it, and its counters join the retired sum. */
  exited(worker: Worker): void {
    this.metrics.exited(worker.id);
    for (const [id, pending] of this.pending) {
      if (pending.requester === worker) {
        clearTimeout(pending.timer);
        this.pending.delete(id);
        continue;
      }
      pending.asked = pending.asked.filter((w) => w !== worker);
      if (pending.bodies.size === pending.asked.length) this.finish(id);
    }
  }

  private start(requester: Worker, request: GatherRequest): void {
    const id = this.nextId++;
    const asked = this.workers().filter((w) => w.isConnected());
    // The asking worker listens, unless the primary has not heard it yet: it is asked anyway.
    if (!asked.includes(requester)) asked.push(requester);
    const timer = setTimeout(() => this.finish(id), this.waitMs);
    this.pending.set(id, { requester, request, asked, bodies: new Map(), timer });
    const ask: ReportRequest = { chatbridge: 'report', id, topic: request.topic };
    for (const worker of asked) worker.send(ask);
  }

  private finish(id: number): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    clearTimeout(pending.timer);
    const { requester, request, asked } = pending;
    const silent = asked.filter((w) => !pending.bodies.has(w));
    if (silent.length > 0) {
      this.logger.warn('workers did not report in time: answering with what came', {
        topic: request.topic,
        workers: silent.map((w) => w.process.pid),
        waitedMs: this.waitMs,
      });
    }
    const gathered: Gathered = {
      chatbridge: 'gathered',
      id: request.id,
      bodies: this.bodiesFor(request.topic, pending),
      asked: asked.length,
      answered: asked.length - silent.length,
    };
    if (requester.isConnected()) requester.send(gathered);
  }

  private bodiesFor(topic: GatherTopic, { asked, bodies }: Pending): ReportBody[] {
    if (topic !== 'metrics') return [...bodies.values()];
    const reports: MetricJson[][] = [];
    for (const worker of asked) {
      const body = bodies.get(worker) as MetricJson[] | undefined;
      if (body) this.metrics.reported(worker.id, body);
      const report = body ?? this.metrics.standIn(worker.id);
      if (report) reports.push(report);
    }
    const retired = this.metrics.retiredSum();
    if (retired.length > 0) reports.push(retired);
    return reports;
  }
}
