import { type ChildProcess, spawnSync } from 'node:child_process';
import path from 'node:path';
import { eventually, relayPayload } from '../support/bridge-fixture.js';
import { compileProject, killHard } from '../support/child-process.js';
import { postOnNewConnection, startRelayWorkers, writeConfig } from '../support/cluster-process.js';
import { redisAvailable } from '../support/redis.js';

const redisUp = await redisAvailable();
const CONVERSATIONS = 8;
const PER_CONVERSATION = 30;
const CONCURRENCY = 4;

/** Real vendors' blocks pointing nowhere: the CLI knows only the real platforms, and refuses before any call. */
const VENDORS = {
  liveperson: { accountId: '12345678', domainApiUrl: 'http://127.0.0.1:9', clientId: 'c', clientSecret: 'dddddddddddddddd', skillId: '-1' },
  rightnow: { siteUrl: 'http://127.0.0.1:9', username: 'u', password: 'p', agentAccountId: 12, agentJoinedText: 'joined' },
};

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('chatbridge start --workers', () => {
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

  it('when memory mode is asked for two workers, then the CLI refuses with exit code 2 and says why', () => {
    const config = writeConfig({
      server: { port: 0, host: '127.0.0.1' },
      store: { kind: 'memory' },
      tenants: [{ id: 'acme', routes: [{ customer: 'rightnow', agents: [{ platform: 'liveperson' }] }], ...VENDORS }],
    });
    for (const [args, env] of [
      [['--workers', '2'], {}],
      [[], { CHATBRIDGE_WORKERS: '2' }],
    ] as const) {
      const result = spawnSync(process.execPath, [path.join(outDir, 'src/cli/main.js'), 'start', '-c', config, ...args], {
        env: { ...process.env, ...env },
        encoding: 'utf8',
      });
      expect(result.stderr).toContain('--workers: 2 workers need store.kind: redis');
      expect(result.status).toBe(2);
    }
  });

  (redisUp ? it : it.skip)(
    'when two workers share Redis and one is killed mid-stream, then both served, it is replaced, every acknowledged event arrives once in order, and SIGTERM stops all with 0',
    async () => {
      const { cluster: primary, url, workers: firstWorkers, target } = await startRelayWorkers(outDir, { concurrency: CONCURRENCY }, { running, closers });
      expect(firstWorkers).toHaveLength(2);
      const victim = firstWorkers[1]!;

      let acked = 0;
      const deliver = async (conversation: string, m: number) => {
        let status = 0;
        for (let attempt = 0; attempt < 50; attempt++) {
          // A webhook cut off by the kill is sent again, as a vendor does; the bridge absorbs the repeat.
          status = await postOnNewConnection(`${url}/webhooks/acme/relay-a`, relayPayload(conversation, [`${m}`])).catch(() => 0);
          if (status === 200) return;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        throw new Error(`webhook ${conversation}/${m} not acknowledged: last status ${status}`);
      };
      await Promise.all(
        Array.from({ length: CONVERSATIONS }, async (_, c) => {
          for (let m = 0; m < PER_CONVERSATION; m++) {
            await deliver(`w${c}`, m);
            acked += 1;
            if (acked === Math.floor((CONVERSATIONS * PER_CONVERSATION) / 3)) process.kill(victim, 'SIGKILL');
          }
        }),
      );
      const total = CONVERSATIONS * PER_CONVERSATION;
      await eventually(() => expect(target.accepted).toHaveLength(total), 30_000);

      // Both first workers delivered events; a third process replaced the killed one.
      const delivered = primary.pidsOf('event delivered', 'pid');
      for (const pid of firstWorkers) expect(delivered).toContain(pid);
      await eventually(() => expect(primary.pidsOf('chatbridge worker listening', 'worker').size).toBe(3), 15_000);
      expect(primary.lines.some((l) => l.message === 'chatbridge worker died: replacing it' && l.worker === victim)).toBe(true);

      const order = target.arrivalOrder();
      expect(order.size).toBe(CONVERSATIONS);
      for (const ids of order.values()) expect(ids).toEqual(Array.from({ length: PER_CONVERSATION }, (_, m) => m));
      // Only a delivery on the wire at the kill reaches the target twice, absorbed by its idempotency key.
      expect(target.raw.length - target.accepted.length).toBeLessThanOrEqual(CONCURRENCY);

      const workers = [...primary.pidsOf('chatbridge worker listening', 'worker')].filter((pid) => pid !== victim);
      // SIGHUP reaches every worker (these have no configuration file to re-read, and say so).
      primary.process.kill('SIGHUP');
      await eventually(() => expect([...primary.pidsOf('SIGHUP ignored: the service was started without a configuration file', 'pid')].sort()).toEqual([...workers].sort()));
      primary.process.kill('SIGTERM');
      expect(await primary.exited).toBe(0);
      for (const pid of workers) expect(alive(pid)).toBe(false);
      for (const pid of workers) expect(primary.lines.some((l) => l.message === 'stopping' && l.pid === pid)).toBe(true);
    },
    90_000,
  );
});
