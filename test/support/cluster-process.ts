import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { relayConfig, TOKEN_A } from './bridge-fixture.js';
import { TEST_REDIS_URL, deletePrefix } from './redis.js';
import { TargetServer } from './target-server.js';

export interface LogLine {
  message?: string;
  pid?: number;
  worker?: number;
  url?: string;
  workers?: number[];
}

/** `chatbridge start --workers N` in a child (child-bridge-workers.ts): every JSON line its processes wrote, and how the primary ended. */
export class Cluster {
  readonly lines: LogLine[] = [];
  readonly exited: Promise<number | null>;
  readonly url: Promise<string>;

  constructor(readonly process: ChildProcess) {
    let resolveUrl: (url: string) => void;
    this.url = new Promise((resolve) => (resolveUrl = resolve));
    // Errors and warnings are logged on stderr, the rest on stdout.
    for (const stream of [process.stdout!, process.stderr!]) {
      let buffer = '';
      stream.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        const complete = buffer.split('\n');
        buffer = complete.pop()!;
        for (const line of complete) {
          if (!line.startsWith('{')) continue;
          const parsed = JSON.parse(line) as LogLine;
          this.lines.push(parsed);
          if (parsed.url && !parsed.message) resolveUrl(parsed.url);
        }
      });
    }
    this.exited = new Promise((resolve) => process.on('exit', (code) => resolve(code)));
  }

  pidsOf(message: string, field: 'pid' | 'worker'): Set<number> {
    return new Set(this.lines.filter((l) => l.message === message).map((l) => l[field]!));
  }
}

/**
 * The compiled relay bridge with `--workers 2` on the test Redis, both routes delivering to one loopback
 * target slow enough (10 ms) that one worker cannot take every lane before the other claims some. What it
 * starts is registered with `running` and `closers` for the suite's afterAll.
 */
export async function startRelayWorkers(
  outDir: string,
  delivery: Record<string, unknown>,
  track: { running: ChildProcess[]; closers: (() => Promise<void>)[] },
): Promise<{ cluster: Cluster; url: string; workers: number[]; target: TargetServer }> {
  const target = new TargetServer();
  track.closers.push(() => target.close());
  const targetUrl = await target.start();
  target.delayMs = 10;
  const config = relayConfig({
    store: 'redis',
    redisUrl: TEST_REDIS_URL,
    targetA: targetUrl,
    targetB: targetUrl,
    delivery: { leaseMs: 1000, ...delivery },
    logging: { level: 'debug' },
  });
  track.closers.push(() => deletePrefix(TEST_REDIS_URL, config.store.keyPrefix));
  const child = spawn(process.execPath, [path.join(outDir, 'test/support/child-bridge-workers.js'), writeConfig(config), '2'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track.running.push(child);
  const cluster = new Cluster(child);
  const url = await cluster.url;
  return { cluster, url, workers: [...cluster.pidsOf('chatbridge worker listening', 'worker')], target };
}

export function writeConfig(config: unknown): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'chatbridge-cfg-')), 'config.json');
  writeFileSync(file, JSON.stringify(config));
  return file;
}

/**
 * A request on a connection of its own: node:cluster hands out connections, so each can reach another
 * worker. A connection handed to a worker that is killed or stopped may never be answered: it fails after `timeoutMs`.
 */
export function requestOnNewConnection(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: unknown; timeoutMs?: number } = {},
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? 'GET', agent: false, headers: options.headers });
    req.on('error', reject);
    req.setTimeout(options.timeoutMs ?? 5000, () => req.destroy(new Error('no answer')));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.end(options.body === undefined ? undefined : JSON.stringify(options.body));
  });
}

/** A relay webhook on a connection of its own; resolves with the status. */
export async function postOnNewConnection(url: string, body: unknown): Promise<number> {
  const headers = { 'content-type': 'application/json', 'x-relay-token': TOKEN_A };
  return (await requestOnNewConnection(url, { method: 'POST', headers, body })).status;
}
