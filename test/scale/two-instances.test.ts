import { Redis } from 'ioredis';
import { rightnowAdapter } from '../../adapters/rightnow/index.js';
import { type RightNowSimulator, startRightNowSimulator } from '../../adapters/rightnow/simulator/index.js';
import { parseConfig } from '../../src/config/load.js';
import { TOKEN_B, eventually, postWebhook, relayConfig, relayPayload, relayRegistry } from '../support/bridge-fixture.js';
import { compileProject, killHard, startChild, type ChildBridge } from '../support/child-process.js';
import { TEST_REDIS_URL, deletePrefix, redisAvailable, uniqueTestPrefix } from '../support/redis.js';
import { TargetServer } from '../support/target-server.js';
import { rightnowConfig } from '../adapters/rightnow/harness.js';
import { PollWatchProxy } from './poll-watch-proxy.js';

const redisUp = await redisAvailable();
const ENTRY = 'test/support/child-bridge.js';
const CONVERSATIONS = 8;
const PER_CONVERSATION = 30;
const CONCURRENCY = 4;

(redisUp ? describe : describe.skip)('two instances sharing Redis behind a load balancer', () => {
  let outDir: string;
  const children: ChildBridge[] = [];
  const prefixes: string[] = [];
  const closers: (() => Promise<void>)[] = [];

  beforeAll(() => {
    outDir = compileProject();
  }, 120_000);

  afterAll(async () => {
    for (const c of children) await killHard(c.process);
    for (const close of closers) await close();
    for (const prefix of prefixes) await deletePrefix(TEST_REDIS_URL, prefix);
  });

  async function instance(config: unknown): Promise<ChildBridge> {
    const child = await startChild(outDir, ENTRY, config);
    children.push(child);
    return child;
  }

  it('when webhooks alternate between instances and one is killed mid-stream, then nothing is lost, duplicated or reordered', async () => {
    const target = new TargetServer();
    closers.push(() => target.close());
    const url = await target.start();
    target.delayMs = 10;
    const config = relayConfig({ store: 'redis', redisUrl: TEST_REDIS_URL, targetA: url, targetB: url, delivery: { concurrency: CONCURRENCY, leaseMs: 1000 } });
    prefixes.push(config.store.keyPrefix);
    // A delivery timing out on a loaded machine would be resent (absorbed by the key, but counted below).
    (config.tenants[0]!.platforms['relay-b'] as { timeoutMs: number }).timeoutMs = 10_000;
    const instances = [await instance(config), await instance(config)];
    const victim = 1;
    let acked = 0;
    let kill: Promise<void> | undefined;
    const ackedBy = [0, 0];

    /** A vendor behind a load balancer: each message goes to the next instance; a failure is retried on the other. */
    async function deliver(conversation: string, m: number): Promise<void> {
      for (let round = 0; ; round++) {
        const i = (m + round) % 2;
        try {
          const res = await postWebhook(`${instances[i]!.url}/webhooks/acme/relay-a`, relayPayload(conversation, [`${m}`]));
          if (res.status === 200) {
            ackedBy[i]! += 1;
            return;
          }
        } catch {
          // The instance is gone (connection refused or reset): the balancer tries the other one.
        }
      }
    }

    await Promise.all(
      Array.from({ length: CONVERSATIONS }, async (_, c) => {
        for (let m = 0; m < PER_CONVERSATION; m++) {
          await deliver(`s${c}`, m);
          acked += 1;
          if (acked === Math.floor((CONVERSATIONS * PER_CONVERSATION) / 3)) kill = killHard(instances[victim]!.process);
        }
      }),
    );
    await kill;
    const total = CONVERSATIONS * PER_CONVERSATION;
    await eventually(() => expect(target.accepted).toHaveLength(total), 30_000);

    // Both instances took webhooks, the victim until it died, and the survivor delivered what it had queued.
    expect(ackedBy[victim]).toBeGreaterThan(0);
    expect(ackedBy[1 - victim]).toBeGreaterThan(total / 2);
    const order = target.arrivalOrder();
    expect(order.size).toBe(CONVERSATIONS);
    for (const ids of order.values()) expect(ids).toEqual(Array.from({ length: PER_CONVERSATION }, (_, m) => m));
    // Only a delivery on the wire at the kill reaches the target twice, absorbed by its idempotency key.
    expect(target.raw.length - target.accepted.length).toBeLessThanOrEqual(CONCURRENCY);
  }, 60_000);

  it('when the instance running the RightNow poll loop is killed, then the other takes the poll over and a later message arrives', async () => {
    const redis = new Redis(TEST_REDIS_URL);
    closers.push(async () => void redis.disconnect());
    const sim: RightNowSimulator = await startRightNowSimulator({ pollHoldMs: 300 });
    closers.push(() => sim.close());
    const proxy = new PollWatchProxy();
    closers.push(() => proxy.close());
    const rightnowUrl = await proxy.start(sim.url);
    const target = new TargetServer();
    closers.push(() => target.close());
    const targetUrl = await target.start();
    const prefix = uniqueTestPrefix('cbscale');
    prefixes.push(prefix);
    const config = parseConfig(
      {
        server: { port: 0, host: '127.0.0.1' },
        store: { kind: 'redis', url: TEST_REDIS_URL, keyPrefix: prefix },
        delivery: { minBackoffMs: 20, maxBackoffMs: 200, leaseMs: 1000 },
        logging: { level: 'error' },
        tenants: [
          {
            id: 'acme',
            routes: [{ customer: 'rightnow', agents: [{ platform: 'relay-b' }] }],
            rightnow: rightnowConfig(sim, { siteUrl: rightnowUrl, chatServerUrl: rightnowUrl }),
            'relay-b': { token: TOKEN_B, targetUrl },
          },
        ],
      },
      relayRegistry().register(rightnowAdapter),
      {},
    );

    const first = await instance(config);
    await eventually(() => expect(proxy.pollStatuses.length).toBeGreaterThan(0));
    await instance(config);
    const engagement = sim.customerStartsChat({ firstName: 'Ada' });
    sim.customerSays(engagement, 'before the kill', { messageId: 'u-1' });
    await eventually(() => expect(target.accepted.map((r) => r.key)).toContain(`rightnow:${engagement}:u-1`));
    // Both instances were up for several long polls, and never more than one poll was outstanding.
    expect(proxy.maxOutstanding).toBe(1);
    expect(proxy.pollStatuses.every((s) => s === 200)).toBe(true);

    const leaseKey = `${prefix}rightnow:acme:lease:12`;
    const holder = await redis.get(leaseKey);
    expect(holder).toEqual(expect.any(String));
    await killHard(first.process);
    // The survivor holds the poll lease once the dead holder's expires. (A message the server answers
    // into the dead instance's outstanding poll before it notices the closed connection would be gone:
    // getMessages has no cursor to read it again. So the message is posted once the poll has moved.)
    await eventually(async () => expect([null, holder]).not.toContain(await redis.get(leaseKey)), 5000);
    sim.customerSays(engagement, 'after the kill', { messageId: 'u-2' });
    await eventually(() => expect(target.accepted.map((r) => r.key)).toContain(`rightnow:${engagement}:u-2`), 15_000);

    expect(target.accepted.map((r) => r.key)).toEqual([`rightnow:${engagement}:offer`, `rightnow:${engagement}:u-1`, `rightnow:${engagement}:u-2`]);
    expect(proxy.maxOutstanding).toBe(1);
    // The survivor adopted the agent session the dead instance left in Redis.
    expect(sim.count('createAutomatedAgentSession')).toBe(1);
  }, 60_000);
});
