import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Cluster } from 'ioredis';
import { runningInCi } from './redis.js';
import { RedisProcess } from './redis-process.js';

const run = promisify(execFile);

/** Ports kept for the nodes of test clusters (each node also listens on its port + 10000, the cluster bus). */
const CLUSTER_PORTS = Array.from({ length: 100 }, (_, i) => 7000 + i);
const NODES = 3;

/**
 * A Redis Cluster of this test's own: three primaries on loopback without replicas or persistence,
 * its slots spread by `redis-cli --cluster create`. Only the servers started here are ever stopped.
 */
export class TestCluster {
  private constructor(
    private readonly nodes: RedisProcess[],
    private readonly dir: string,
  ) {}

  /** Some node URLs, as `store.cluster` takes them. */
  get urls(): string[] {
    return this.nodes.map((n) => n.url);
  }

  static async start(): Promise<TestCluster> {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cb-cluster-'));
    const nodes: RedisProcess[] = [];
    const cluster = new TestCluster(nodes, dir);
    try {
      for (let i = 0; i < NODES; i++) {
        const taken = new Set(nodes.map((n) => n.port));
        const args = ['--cluster-enabled', 'yes', '--cluster-config-file', path.join(dir, 'nodes-{port}.conf'), '--dir', dir];
        nodes.push(await RedisProcess.start({ ports: CLUSTER_PORTS.filter((p) => !taken.has(p)), args }));
      }
      const addresses = nodes.map((n) => `127.0.0.1:${n.port}`);
      await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes'], { timeout: 20_000 });
      await cluster.untilStateOk();
      return cluster;
    } catch (err) {
      await cluster.stop();
      throw err;
    }
  }

  /** Every node must agree that all slots are served before a client can rely on its slot map. */
  private async untilStateOk(): Promise<void> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const infos = await Promise.all(this.nodes.map((n) => run('redis-cli', ['-p', String(n.port), 'cluster', 'info']).then((r) => r.stdout)));
      if (infos.every((info) => info.includes('cluster_state:ok'))) return;
      if (Date.now() > deadline) throw new Error(`the test cluster did not reach cluster_state:ok: ${infos.join(' | ')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** A Cluster client that fails fast rather than retrying for long. Close it with `quit()`. */
  client(): Cluster {
    const client = new Cluster(
      this.nodes.map((n) => ({ host: '127.0.0.1', port: n.port })),
      { redisOptions: { maxRetriesPerRequest: 1 } },
    );
    client.on('error', () => undefined);
    return client;
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.stop()));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * A started test cluster, stopped after the suite; undefined when redis-server is not installed outside
 * CI (the suite is then skipped with a message). Under CI a missing binary fails. Call at module level.
 */
export async function suiteCluster(): Promise<TestCluster | undefined> {
  const installed = ['redis-server', 'redis-cli'].every((bin) => spawnSync(bin, ['--version']).status === 0);
  if (!installed) {
    const reason = 'redis-server or redis-cli is not installed, so no test Redis Cluster can be started';
    if (runningInCi()) throw new Error(`${reason}; CI is set, so the Redis Cluster tests fail instead of being skipped`);
    console.warn(`SKIPPING Redis Cluster tests: ${reason}. Install redis-server, or set CI=1 to make this a failure.`);
    return undefined;
  }
  const cluster = await TestCluster.start();
  afterAll(() => cluster.stop());
  return cluster;
}
