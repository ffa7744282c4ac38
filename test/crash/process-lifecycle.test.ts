import { randomUUID } from 'node:crypto';
import { relayConfig, postWebhook, relayPayload, eventually } from '../support/bridge-fixture.js';
import { compileProject, killHard, startChild, type ChildBridge } from '../support/child-process.js';
import { TEST_REDIS_URL, deletePrefix, redisAvailable } from '../support/redis.js';
import { suiteCluster } from '../support/redis-cluster.js';
import { TargetServer } from '../support/target-server.js';

const redisUp = await redisAvailable();
/** Stopped with its keys after the suite: nothing to delete there. */
const cluster = await suiteCluster();
const CONVERSATIONS = 10;
const PER_CONVERSATION = 30;

const ENTRY = 'test/support/child-bridge.js';
let outDir: string;
const children: ChildBridge[] = [];

// One tsc build for the whole file: the children run compiled code, as production does.
beforeAll(() => {
  outDir = compileProject();
}, 120_000);

afterAll(async () => {
  for (const c of children) await killHard(c.process);
});

describe('SIGTERM in memory mode', () => {
  const target = new TargetServer();
  afterAll(() => target.close());

  it('when the process is told to stop with events still queued, then it delivers them all and exits 0', async () => {
    const url = await target.start();
    target.delayMs = 15;
    const config = relayConfig({ store: 'memory', targetA: url, targetB: url, delivery: { concurrency: 2 } });
    const child = await startChild(outDir, ENTRY, config);
    children.push(child);
    await Promise.all(
      Array.from({ length: 4 }, async (_, c) => {
        for (let m = 0; m < 25; m++) {
          const res = await postWebhook(`${child.url}/webhooks/acme/relay-a`, relayPayload(`t${c}`, [`${m}`]));
          expect(res.status).toBe(200);
        }
      }),
    );
    expect(target.accepted.length).toBeLessThan(100);
    const exited = new Promise<number | null>((resolve) => child.process.once('exit', (code) => resolve(code)));
    child.process.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(target.accepted).toHaveLength(100);
    expect(target.raw).toHaveLength(100);
  }, 60_000);

  it('when the drain timeout passes with events still undelivered, then it logs an error with their count and exits 1', async () => {
    const failing = new TargetServer();
    const url = await failing.start();
    failing.failAll = { status: 503 };
    const config = relayConfig({ store: 'memory', targetA: url, targetB: url, delivery: { drainTimeoutMs: 300 } });
    const child = await startChild(outDir, ENTRY, config, { captureStderr: true });
    children.push(child);
    const res = await postWebhook(`${child.url}/webhooks/acme/relay-a`, relayPayload('lost', ['1', '2', '3']));
    expect(res.status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.process.once('exit', (code) => resolve(code)));
    child.process.kill('SIGTERM');
    expect(await exited).toBe(1);
    await failing.close();
    const line = child
      .stderr()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.message === 'stopped with undelivered events: memory mode loses them with the process');
    expect(line).toMatchObject({ level: 'error', undelivered: 3, drainTimeoutMs: 300 });
  }, 60_000);
});

/** Where the Redis-mode instances keep their queue: one Redis, or the test's Redis Cluster. */
const redisTargets = [
  ...(redisUp ? [{ name: 'one Redis', cluster: undefined }] : []),
  ...(cluster ? [{ name: 'a Redis Cluster', cluster: cluster.urls }] : []),
];
/** Jest refuses an empty table: with neither (outside CI) the suite is skipped, as the messages above said. */
const describeEachTarget = redisTargets.length > 0 ? describe.each(redisTargets) : describe.skip.each([{ name: 'no Redis', cluster: undefined }]);

describeEachTarget('kill -9 in Redis mode on $name', ({ cluster: nodes }) => {
  const target = new TargetServer();
  let prefix: string;

  afterAll(async () => {
    await target.close();
    if (prefix && !nodes) await deletePrefix(TEST_REDIS_URL, prefix);
  });

  it('when the instance dies mid-stream and a new one starts, then every event arrives exactly once and in order', async () => {
    const url = await target.start();
    target.delayMs = 25;
    const config = relayConfig({
      store: 'redis',
      targetA: url,
      targetB: url,
      delivery: { concurrency: 4, leaseMs: 1000, partitions: 4 },
    });
    config.store.keyPrefix = prefix = `cbcrash:${randomUUID().slice(0, 8)}:`;
    if (nodes) config.store = { ...config.store, url: undefined, cluster: nodes };
    const first = await startChild(outDir, ENTRY, config);
    children.push(first);
    await Promise.all(
      Array.from({ length: CONVERSATIONS }, async (_, c) => {
        for (let m = 0; m < PER_CONVERSATION; m++) {
          const res = await postWebhook(`${first.url}/webhooks/acme/relay-a`, relayPayload(`k${c}`, [`${m}`]));
          expect(res.status).toBe(200);
        }
      }),
    );
    // Every event is acknowledged; the slow target has only part of them. Kill without warning.
    await eventually(() => expect(target.raw.length).toBeGreaterThanOrEqual(40));
    expect(target.accepted.length).toBeLessThan(CONVERSATIONS * PER_CONVERSATION);
    const receivedBeforeKill = target.raw.length;
    await killHard(first.process);

    const second = await startChild(outDir, ENTRY, config);
    children.push(second);
    await eventually(() => expect(target.accepted).toHaveLength(CONVERSATIONS * PER_CONVERSATION), 60_000);

    const order = target.arrivalOrder();
    expect(order.size).toBe(CONVERSATIONS);
    for (const ids of order.values()) expect(ids).toEqual(Array.from({ length: PER_CONVERSATION }, (_, m) => m));
    // Only a delivery that was on the wire at the kill can reach the target twice, and the target's
    // idempotency key absorbs it: at most one per worker slot.
    expect(target.raw.length - target.accepted.length).toBeLessThanOrEqual(4);
    expect(receivedBeforeKill).toBeLessThan(CONVERSATIONS * PER_CONVERSATION);
  }, 120_000);
});
