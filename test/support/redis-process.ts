import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import { Redis } from 'ioredis';

/** Ports kept for Redis servers that tests start, stop and kill (6379 is the shared one). */
const PORTS = [6390, 6391, 6392, 6393, 6394, 6395, 6396, 6397, 6398, 6399];

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer().once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/**
 * A redis-server of this test's own, on a spare port, without persistence: the test can kill it to
 * play an outage and start it again on the same port. Only this process is ever signalled.
 */
export class RedisProcess {
  private child: ChildProcess | undefined;

  private constructor(readonly port: number) {}

  static async start(): Promise<RedisProcess> {
    for (const port of PORTS) {
      if (!(await portFree(port))) continue;
      const redis = new RedisProcess(port);
      if (await redis.launch().then(() => true, () => false)) return redis;
    }
    throw new Error(`no free port for a redis-server among ${PORTS.join(', ')}`);
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts (again) on the same port and resolves once it answers PING. */
  async launch(): Promise<void> {
    const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    this.child = child;
    const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`))));
    exited.catch(() => undefined);
    const deadline = Date.now() + 5000;
    for (;;) {
      const client = new Redis(this.url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
      client.on('error', () => undefined);
      const answered = await Promise.race([client.connect().then(() => client.ping()).then(() => true, () => false), exited]);
      client.disconnect();
      if (answered) return;
      if (Date.now() > deadline) throw new Error(`redis-server on ${this.port} did not answer`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** SIGKILL: the connection drops at once, as when the server or its host dies. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL', true);
  }

  /** SIGSTOP: connections stay open and nothing answers, as in a network partition. SIGCONT resumes. */
  pause(): Promise<void> {
    return this.signal('SIGSTOP', false);
  }

  resume(): Promise<void> {
    return this.signal('SIGCONT', false);
  }

  private async signal(signal: NodeJS.Signals, exits: boolean): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    if (exits) await exited;
  }

  async stop(): Promise<void> {
    await this.resume();
    await this.kill();
  }
}
