import type { ChildProcess } from 'node:child_process';
import { eventually, relayPayload } from '../support/bridge-fixture.js';
import { compileProject, killHard } from '../support/child-process.js';
import { postOnNewConnection, requestOnNewConnection, startRelayWorkers } from '../support/cluster-process.js';
import { redisAvailable } from '../support/redis.js';

const redisUp = await redisAvailable();
const CONVERSATIONS = 8;
const PER_CONVERSATION = 10;
const TOTAL = CONVERSATIONS * PER_CONVERSATION;
const MAX_QUEUE_DEPTH = 5000;
const ADMIN = { authorization: 'Bearer admin-token-0123456789' };

/** The value of a metric in an exposition, summed over its label sets (undefined when it is absent). */
function total(exposition: string, name: string): number | undefined {
  const values = exposition
    .split('\n')
    .filter((line) => line.startsWith(`${name} `) || line.startsWith(`${name}{`))
    .map((line) => Number(line.slice(line.lastIndexOf(' ') + 1)));
  return values.length === 0 ? undefined : values.reduce((sum, v) => sum + v, 0);
}

/**
 * GET on new connections until a worker answers: a connection handed to a stopped worker is never
 * answered, the next one goes to another worker (node:cluster hands them out in turn).
 */
async function getFromAnyWorker(url: string, headers: Record<string, string> = {}): Promise<string> {
  for (let attempt = 0; attempt < 6; attempt++) {
    const answer = await requestOnNewConnection(url, { headers, timeoutMs: 8000 }).catch(() => undefined);
    if (answer?.status === 200) return answer.text;
  }
  throw new Error(`no worker answered ${url}`);
}

describe('chatbridge start --workers: /metrics and the admin views answer for every worker', () => {
  let outDir: string;
  const running: ChildProcess[] = [];
  const closers: (() => Promise<void>)[] = [];

  beforeAll(() => {
    outDir = compileProject();
  }, 120_000);

  afterAll(async () => {
    for (const child of running) await killHard(child);
    for (const close of closers) await close();
  });

  (redisUp ? it : it.skip)(
    'when two workers delivered the events, then one scrape counts them all, a gauge read from Redis once, a stopped worker is stood in for and a killed one keeps its counts',
    async () => {
      const { cluster, url, workers, target } = await startRelayWorkers(outDir, { maxQueueDepth: MAX_QUEUE_DEPTH, concurrency: 4 }, { running, closers });
      expect(workers).toHaveLength(2);

      await Promise.all(
        Array.from({ length: CONVERSATIONS }, async (_, c) => {
          for (let m = 0; m < PER_CONVERSATION; m++) {
            expect(await postOnNewConnection(`${url}/webhooks/acme/relay-a`, relayPayload(`c${c}`, [`${m}`]))).toBe(200);
          }
        }),
      );
      await eventually(() => expect(target.accepted).toHaveLength(TOTAL), 20_000);
      // Both workers delivered: the counts to sum are spread over two registries.
      await eventually(() => expect([...cluster.pidsOf('event delivered', 'pid')].sort()).toEqual([...workers].sort()));

      // Scrapes on new connections reach both workers; every one answers with the whole instance's counts.
      await eventually(async () => expect(total(await getFromAnyWorker(`${url}/metrics`), 'chatbridge_events_out_total')).toBe(TOTAL), 10_000);
      for (let scrape = 0; scrape < 4; scrape++) {
        const exposition = await getFromAnyWorker(`${url}/metrics`);
        expect(total(exposition, 'chatbridge_events_in_total')).toBe(TOTAL);
        expect(total(exposition, 'chatbridge_events_out_total')).toBe(TOTAL);
        expect(total(exposition, 'chatbridge_route_messages_total')).toBe(TOTAL);
        expect(total(exposition, 'chatbridge_route_delivery_latency_seconds_count')).toBe(TOTAL);
        expect(total(exposition, 'chatbridge_route_conversations_started_total')).toBe(CONVERSATIONS);
        // Read from Redis by each worker: the same value, not one per worker.
        expect(total(exposition, 'chatbridge_route_conversations_live')).toBe(CONVERSATIONS);
        expect(total(exposition, 'chatbridge_queue_depth_limit')).toBe(MAX_QUEUE_DEPTH);
        expect(total(exposition, 'chatbridge_workers')).toBe(2);
        expect(total(exposition, 'chatbridge_workers_unanswered')).toBe(0);
        // prom-client's default metrics by their own settings: memory summed, no one start time for several processes.
        expect(total(exposition, 'chatbridge_process_resident_memory_bytes')).toBeGreaterThan(0);
        expect(total(exposition, 'chatbridge_process_start_time_seconds')).toBeUndefined();
      }
      const health = JSON.parse(await getFromAnyWorker(`${url}/admin/health`, ADMIN)) as { workers: unknown };
      expect(health.workers).toEqual({ asked: 2, answered: 2 });
      expect(await getFromAnyWorker(`${url}/admin`, ADMIN)).toContain('redis store · 2 workers ·');

      // A stopped worker does not hold the scrape: its last report stands in, so the counters do not drop.
      const [, stopped] = workers as [number, number];
      process.kill(stopped, 'SIGSTOP');
      try {
        const exposition = await getFromAnyWorker(`${url}/metrics`);
        expect(total(exposition, 'chatbridge_events_out_total')).toBe(TOTAL);
        expect(total(exposition, 'chatbridge_workers')).toBe(2);
        expect(total(exposition, 'chatbridge_workers_unanswered')).toBe(1);
        expect(cluster.lines.some((l) => l.message === 'workers did not report in time: answering with what came' && l.workers?.includes(stopped))).toBe(true);
        expect(await getFromAnyWorker(`${url}/admin`, ADMIN)).toContain('<strong>1 of 2 workers answered</strong>');
      } finally {
        process.kill(stopped, 'SIGCONT');
      }

      // A killed worker's counts stay in the sum after its replacement starts from zero.
      process.kill(stopped, 'SIGKILL');
      await eventually(() => expect(cluster.pidsOf('chatbridge worker listening', 'worker').size).toBe(3), 15_000);
      await eventually(async () => {
        const exposition = await getFromAnyWorker(`${url}/metrics`);
        expect(total(exposition, 'chatbridge_workers')).toBe(2);
        expect(total(exposition, 'chatbridge_workers_unanswered')).toBe(0);
        expect(total(exposition, 'chatbridge_events_out_total')).toBe(TOTAL);
        expect(total(exposition, 'chatbridge_route_conversations_live')).toBe(CONVERSATIONS);
      }, 10_000);

      cluster.process.kill('SIGTERM');
      expect(await cluster.exited).toBe(0);
    },
    120_000,
  );
});
