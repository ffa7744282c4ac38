import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { compileProject } from '../support/child-process.js';
import {
  configVariables,
  exampleDrainTimeoutSeconds,
  parseDockerfile,
  parseEnvFile,
  readmeCommands,
  readRepoFile,
  repoRoot,
} from '../support/deploy-files.js';
import { closeNow, listenOnLoopback } from '../support/loopback-server.js';
import { connectTestRedis, redisUrlForTests } from '../support/redis.js';

/**
 * "The README's own production commands work verbatim on a fresh clone": every command of the README's
 * Production section, in order, in a copy of the operator's folders (config/, deploy/). Each is run as written
 * where this machine can: `node ...` with the tests' compiled build standing in for dist/, kubectl with
 * `--dry-run=client` where it would need a cluster. Docker has no daemon here, so a `docker run` is done as the
 * image would do it: the Dockerfile's ENV and CMD (or the command given), the mount's host folder at its
 * container path, the --env-file. Two things differ from an operator's run, both settings the README names:
 * PORT is a free port (8080 may be taken on a shared machine) and the REDIS_URL the operator is told to set
 * is the tests' Redis (its own database number). Vendor calls go to a loopback proxy (HTTPS_PROXY) that
 * answers 503: the example's vendor hosts are real, and no test traffic leaves this machine.
 */

const REDIS_DB = 11;
const production = readmeCommands(readRepoFile('README.md'), '## Production');
const runtime = parseDockerfile(readRepoFile('Dockerfile')).at(-1)!;

let redis: Redis | undefined;
let dist: string;
let clone: string;
let proxy: http.Server;
let proxyUrl: string;
const proxied: string[] = [];

function testRedisUrl(): string {
  const url = new URL(redisUrlForTests());
  url.pathname = `/${REDIS_DB}`;
  return url.toString();
}

async function deleteBridgeKeys(): Promise<void> {
  const db = redis!.duplicate({ db: REDIS_DB });
  const keys = await db.keys('cb:*');
  if (keys.length > 0) await db.del(...keys);
  await db.quit();
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** What a process of the bridge gets from outside: no inherited chatbridge settings, vendor calls to the trap. */
function baseEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, HTTPS_PROXY: proxyUrl, HTTP_PROXY: proxyUrl };
}

/** `dist/...` is the compiled build; the executable is this test's node. */
function localCommand(words: string[], containerPaths: Record<string, string> = {}): string[] {
  const mapped = words.map((w) => {
    for (const [inside, host] of Object.entries(containerPaths)) if (w.startsWith(inside)) return host + w.slice(inside.length);
    return w.startsWith('dist/') ? path.join(dist, w.slice('dist/'.length)) : w;
  });
  expect(mapped[0]).toBe('node');
  return [process.execPath, ...mapped.slice(1)];
}

async function getStatus(url: string): Promise<number> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(3000) })).status;
  } catch {
    return 0;
  }
}

async function waitForHealthy(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  while ((await getStatus(`${url}/healthz`)) !== 200) {
    if (child.exitCode !== null) throw new Error(`the bridge exited with ${child.exitCode} before answering /healthz`);
    if (Date.now() > deadline) throw new Error('the bridge did not answer /healthz within 30 s');
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Starts a long-running bridge command, checks it serves and is ready, runs the image's healthcheck, stops it. */
async function runBridge(command: string[], env: NodeJS.ProcessEnv, healthcheck: string[]): Promise<void> {
  const child = spawn(command[0]!, command.slice(1), { cwd: clone, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${env.PORT}`;
  try {
    await waitForHealthy(url, child);
    expect(await getStatus(`${url}/readyz`)).toBe(200);
    const check = spawnSync(healthcheck[0]!, healthcheck.slice(1), { cwd: clone, env, encoding: 'utf8' });
    expect(check.status).toBe(0);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${(err as Error).message}\n${stderr}`);
  }
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  const afterStop = spawnSync(healthcheck[0]!, healthcheck.slice(1), { cwd: clone, env, encoding: 'utf8' });
  expect(afterStop.status).toBe(1);
}

function expectValidConfig(command: string[], env: NodeJS.ProcessEnv): void {
  const result = spawnSync(command[0]!, command.slice(1), { cwd: clone, env, encoding: 'utf8' });
  expect(result.stderr).toBe('');
  expect(result.stdout.trim()).toBe('OK: 1 tenant(s): acme');
  expect(result.status).toBe(0);
}

/** A `docker run` as the image would run it: Dockerfile ENV, the env file, the mounts, its CMD or the one given. */
async function dockerRun(words: string[]): Promise<void> {
  const mounts: Record<string, string> = {};
  const env: NodeJS.ProcessEnv = { ...baseEnv(), ...runtime.env };
  let i = 2;
  let stopTimeout = 10;
  for (; i < words.length && words[i]!.startsWith('-'); i++) {
    const option = words[i]!;
    if (option === '-v') {
      const [host, inside] = words[++i]!.replace('$PWD', clone).split(':');
      expect(existsSync(host!)).toBe(true);
      mounts[inside!] = host!;
    } else if (option === '--env-file') Object.assign(env, parseEnvFile(readFileSync(path.join(clone, words[++i]!), 'utf8')));
    else if (option === '-p') expect(words[++i]).toBe(`${runtime.env.PORT}:${runtime.env.PORT}`);
    else if (option === '--stop-timeout') stopTimeout = Number(words[++i]);
    else if (option === '--name') i++;
    else expect(['--rm', '-d']).toContain(option);
  }
  expect(words[i]).toBe('chatbridge');
  const given = words.slice(i + 1);
  const command = localCommand(given.length > 0 ? given : runtime.cmd!, mounts);
  env.CHATBRIDGE_CONFIG = mounts[env.CHATBRIDGE_CONFIG!] ?? env.CHATBRIDGE_CONFIG;
  expect(existsSync(env.CHATBRIDGE_CONFIG!)).toBe(true);
  if (command.includes('validate-config')) return expectValidConfig(command, env);
  expect(stopTimeout).toBeGreaterThan(exampleDrainTimeoutSeconds());
  env.PORT = String(await freePort());
  await runBridge(command, env, localCommand(runtime.healthcheck!, mounts));
}

/** node --env-file=F dist/src/cli/main.js ...: Node reads the file itself, as on an operator's host. */
async function nodeCommand(words: string[]): Promise<void> {
  const command = localCommand(words);
  const env = { ...baseEnv(), PORT: String(await freePort()) };
  if (command.includes('validate-config')) return expectValidConfig(command, env);
  expect(command).toContain('start');
  const envFile = words.find((w) => w.startsWith('--env-file='))!.slice('--env-file='.length);
  await runBridge(command, env, [process.execPath, `--env-file=${envFile}`, path.join(dist, 'src/cli/healthcheck.js'), 'config/']);
}

function kubectl(words: string[]): string {
  return execFileSync('kubectl', words.slice(1), { cwd: clone, encoding: 'utf8' });
}

async function run(words: string[]): Promise<void> {
  const line = words.join(' ');
  if (words[0] === 'cp') {
    copyFileSync(path.join(clone, words[1]!), path.join(clone, words[2]!));
    // "then replace every value": the operator's Redis, the one value a start needs to be real.
    writeFileSync(path.join(clone, words[2]!), `${readFileSync(path.join(clone, words[2]!), 'utf8')}REDIS_URL=${testRedisUrl()}\n`);
  } else if (line === 'npm ci && npm run build') {
    // The tests' compileProject() is this build (tsc, same sources); npm ci is how this suite got here.
    expect(JSON.parse(readRepoFile('package.json')).scripts.build).toBe('tsc -p tsconfig.build.json');
  } else if (words[0] === 'node') {
    await nodeCommand(words);
  } else if (line === 'docker build -t chatbridge .') {
    expect(existsSync(path.join(repoRoot, 'Dockerfile'))).toBe(true);
  } else if (words[0] === 'docker' && words[1] === 'run') {
    await dockerRun(words);
  } else if (line === 'docker compose -f deploy/compose.yaml up -d --build') {
    // Checked by test/deploy/compose.test.ts (and `docker compose config` in CI where the plugin exists).
    expect(existsSync(path.join(clone, 'deploy/compose.yaml'))).toBe(true);
  } else if (words[0] === 'kubectl' && words[1] === 'create' && words[2] === 'secret') {
    const secret = JSON.parse(kubectl([...words, '--dry-run=client', '-o', 'json'])) as { data: Record<string, string> };
    expect(Object.keys(secret.data)).toEqual(expect.arrayContaining(configVariables('config/example.yaml')));
  } else if (words[0] === 'kubectl' && words[1] === 'kustomize') {
    const pipe = words.indexOf('|');
    // Applying needs a cluster; rendering is what can fail here (test/deploy/kubernetes.test.ts validates it).
    expect(words.slice(pipe + 1)).toEqual(['kubectl', 'apply', '-f', '-']);
    expect(kubectl(words.slice(0, pipe))).toMatch(/^kind: Deployment$/m);
  } else {
    throw new Error(`a README production command this test does not know how to run: ${line}`);
  }
}

beforeAll(async () => {
  redis = await connectTestRedis();
  dist = compileProject();
  clone = mkdtempSync(path.join(tmpdir(), 'cb-readme-'));
  for (const folder of ['config', 'deploy']) cpSync(path.join(repoRoot, folder), path.join(clone, folder), { recursive: true });
  proxy = http.createServer((req, res) => {
    proxied.push(`${req.method} ${req.url}`);
    res.writeHead(503).end();
  });
  proxy.on('connect', (req, socket) => {
    proxied.push(`CONNECT ${req.url}`);
    socket.end('HTTP/1.1 503 Service Unavailable\r\n\r\n');
  });
  proxyUrl = await listenOnLoopback(proxy);
  if (redis) await deleteBridgeKeys();
}, 120_000);

afterAll(async () => {
  if (redis) {
    await deleteBridgeKeys();
    await redis.quit();
  }
  await closeNow(proxy);
  if (clone) rmSync(clone, { recursive: true, force: true });
});

describe("the README's Production commands", () => {
  it('are there: env file, build, validate, host, Docker, Compose and Kubernetes', () => {
    const firsts = production.map((w) => w.slice(0, 2).join(' '));
    expect(firsts).toEqual(
      expect.arrayContaining(['cp deploy/chatbridge.env.example', 'node --env-file=deploy/chatbridge.env', 'docker run', 'docker compose', 'kubectl create', 'kubectl kustomize']),
    );
  });

  it('run in order from a fresh copy of config/ and deploy/, the bridge serving and stopping cleanly', async () => {
    if (!redis) return;
    for (const words of production) await run(words);
    // Every vendor call the running bridges made went to the loopback proxy, none to the vendors themselves.
    for (const request of proxied) expect(request).toMatch(/^(GET|POST|PUT|DELETE|CONNECT) (https:\/\/|[\w.-]+:443)/);
  }, 180_000);
});
