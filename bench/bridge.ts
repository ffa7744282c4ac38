import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EGAIN, EGAIN_CALLBACK, LIVEPERSON, RIGHTNOW, TENANT } from './accounts.js';
import { type ProcessMemory, processMemory } from './process-stats.js';

/**
 * The system under test: the real `chatbridge start --config FILE` (dist/src/cli/main.js) in its own
 * process, configured like production (secrets from the environment, default delivery settings,
 * logging at info) with one tenant routing rightnow and egain customers to LivePerson agents. With
 * several workers, the pid is the cluster primary's, and CPU and memory are read over it and its workers.
 */

export interface BridgeTargets {
  store: 'memory' | 'redis';
  redisUrl: string;
  keyPrefix: string;
  livepersonUrl: string;
  egainUrl: string;
  egainTokenUrl: string;
  rightnowUrl: string;
  /** RightNow engagements the agent session takes at once. */
  conversations: number;
  /** `chatbridge start --workers`: bridge processes behind the one port (more than 1 in Redis mode only). */
  workers: number;
}

const ENV = {
  BENCH_LP_CLIENT_ID: LIVEPERSON.clientId,
  BENCH_LP_CLIENT_SECRET: LIVEPERSON.clientSecret,
  BENCH_EGAIN_CLIENT_ID: EGAIN.clientId,
  BENCH_EGAIN_CLIENT_SECRET: EGAIN.clientSecret,
  BENCH_EGAIN_CB_USER: EGAIN_CALLBACK.username,
  BENCH_EGAIN_CB_PASS: EGAIN_CALLBACK.password,
  BENCH_RN_USER: RIGHTNOW.username,
  BENCH_RN_PASSWORD: RIGHTNOW.password,
};

function bridgeConfig(t: BridgeTargets) {
  const toLivePerson = [{ platform: 'liveperson', weight: 100 }];
  return {
    server: { port: 0, host: '127.0.0.1' },
    store: { kind: t.store, url: t.redisUrl, keyPrefix: t.keyPrefix },
    logging: { level: 'info' },
    tenants: [
      {
        id: TENANT,
        routes: [
          { customer: 'rightnow', agents: toLivePerson },
          { customer: 'egain', agents: toLivePerson },
        ],
        liveperson: {
          accountId: LIVEPERSON.accountId,
          domainApiUrl: t.livepersonUrl,
          scheme: 'http',
          clientId: '${BENCH_LP_CLIENT_ID}',
          clientSecret: '${BENCH_LP_CLIENT_SECRET}',
        },
        egain: {
          apiBaseUrl: t.egainUrl,
          tokenUrl: t.egainTokenUrl,
          clientId: '${BENCH_EGAIN_CLIENT_ID}',
          clientSecret: '${BENCH_EGAIN_CLIENT_SECRET}',
          callbackAuth: { type: 'basic', username: '${BENCH_EGAIN_CB_USER}', password: '${BENCH_EGAIN_CB_PASS}' },
        },
        rightnow: {
          siteUrl: t.rightnowUrl,
          username: '${BENCH_RN_USER}',
          password: '${BENCH_RN_PASSWORD}',
          agentAccountId: RIGHTNOW.agentAccountId,
          maxSessions: t.conversations,
          pollTimeoutMs: 25_000,
        },
      },
    ],
  };
}

const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src/cli/main.js');

export class BridgeUnderTest {
  private constructor(
    readonly url: string,
    private readonly child: ChildProcess,
    private readonly configDir: string,
  ) {}

  /** Starts the bridge; with `cpuProfDir`, V8 writes a CPU profile there when it stops. */
  static async start(targets: BridgeTargets, options: { cpuProfDir?: string } = {}): Promise<BridgeUnderTest> {
    const configDir = mkdtempSync(path.join(tmpdir(), 'chatbridge-bench-'));
    const file = path.join(configDir, 'config.yaml');
    // JSON is YAML.
    writeFileSync(file, JSON.stringify(bridgeConfig(targets), null, 2));
    const flags = options.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`] : [];
    const child = spawn(process.execPath, [...flags, cli, 'start', '--config', file, '--workers', String(targets.workers)], {
      env: { ...process.env, ...ENV },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Warnings and errors are worth seeing; info lines are read only for the listening address.
    child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(`[bridge] ${chunk.toString('utf8')}`));
    const url = await new Promise<string>((resolve, reject) => {
      let buffer = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        const listening = lines.find((line) => line.includes('"chatbridge listening"'));
        if (listening) resolve((JSON.parse(listening) as { url: string }).url);
      });
      child.once('exit', (code) => reject(new Error(`the bridge exited (${code}) before listening`)));
    });
    return new BridgeUnderTest(url, child, configDir);
  }

  get pid(): number {
    return this.child.pid!;
  }

  memory(): ProcessMemory {
    return processMemory(this.child.pid!);
  }

  /** SIGTERM, as an orchestrator stops it: intake closes, memory mode drains, then the process exits. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(this.configDir, { recursive: true, force: true });
  }
}
