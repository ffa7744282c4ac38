import type { Worker } from 'node:cluster';
import { jest } from '@jest/globals';
import type { Gathered, ReportRequest } from '../../src/cluster/gathering.js';
import type { MetricJson } from '../../src/cluster/metrics-memory.js';
import { PrimaryGathering } from '../../src/cluster/primary-gathering.js';
import { createLogger } from '../../src/observability/logger.js';

/** A node:cluster worker as the primary sees it: what it was sent. */
function fakeWorker(id: number): Worker & { sent: unknown[] } {
  const sent: unknown[] = [];
  return { id, sent, process: { pid: 1000 + id }, isConnected: () => true, send: (m: unknown) => sent.push(m) } as unknown as Worker & { sent: unknown[] };
}

const counter = (value: number): MetricJson[] => [
  { name: 'c_total', help: 'c', type: 'counter', aggregator: 'sum', values: [{ value, labels: { tenant: 'acme' } }] },
  { name: 'g', help: 'g', type: 'gauge', aggregator: 'max', values: [{ value, labels: {} }] },
];

describe('the primary gathering reports from the workers', () => {
  const workers = [fakeWorker(1), fakeWorker(2)];
  let gathering: PrimaryGathering;
  const warnings: string[] = [];

  beforeEach(() => {
    jest.useFakeTimers();
    for (const w of workers) w.sent.length = 0;
    warnings.length = 0;
    const logger = createLogger({ silent: true });
    jest.spyOn(logger, 'warn').mockImplementation(((message: string) => warnings.push(message)) as never);
    gathering = new PrimaryGathering(logger, () => workers, 3000);
  });
  afterEach(() => jest.useRealTimers());

  /** Worker 1 asks for metrics; each worker in `answers` reports its value. Returns what worker 1 got back, if anything yet. */
  function scrape(id: number, answers: Map<Worker, number>): () => Gathered | undefined {
    const before = workers[0]!.sent.length;
    gathering.handle(workers[0]!, { chatbridge: 'gather', id, topic: 'metrics' });
    const ask = workers[1]!.sent.at(-1) as ReportRequest;
    for (const [worker, value] of answers) gathering.handle(worker, { chatbridge: 'reported', id: ask.id, body: counter(value) });
    return () => workers[0]!.sent.slice(before).find((m): m is Gathered => (m as Gathered).chatbridge === 'gathered');
  }

  it('when every worker answers, then the asking worker gets every report at once', () => {
    const answer = scrape(7, new Map([[workers[0]!, 3], [workers[1]!, 4]]))();
    expect(answer).toMatchObject({ id: 7, asked: 2, answered: 2 });
    expect(answer!.bodies).toEqual([counter(3), counter(4)]);
  });

  it('when a worker stays silent, then the answer comes after the wait with its last report standing in, and it is logged', () => {
    scrape(1, new Map([[workers[0]!, 3], [workers[1]!, 4]]));
    const answer = scrape(2, new Map([[workers[0]!, 5]]));
    expect(answer()).toBeUndefined();
    jest.advanceTimersByTime(3000);
    expect(answer()).toMatchObject({ asked: 2, answered: 1 });
    expect(answer()!.bodies).toEqual([counter(5), counter(4)]);
    expect(warnings).toEqual(['workers did not report in time: answering with what came']);
  });

  it('when a worker exits, then nothing waits for it and its counters (not its gauges) stay in every later sum', () => {
    scrape(1, new Map([[workers[0]!, 3], [workers[1]!, 4]]));
    const pending = scrape(2, new Map([[workers[0]!, 5]]));
    gathering.exited(workers[1]!);
    expect(pending()).toMatchObject({ asked: 1, answered: 1 });
    expect(pending()!.bodies).toEqual([counter(5), [counter(4)[0]]]);
  });
});
