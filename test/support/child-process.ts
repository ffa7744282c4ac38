import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

const SOURCE_DIRS = ['src', 'adapters', 'test', 'bench'];
const STALE_LOCK_MS = 5 * 60_000;

/** A digest of everything tsc reads, so suites of one run share a build and a changed file gets a new one. */
function sourceDigest(): string {
  const hash = createHash('sha256').update(readFileSync(path.join(root, 'tsconfig.json')));
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts')) hash.update(full).update(readFileSync(full));
    }
  };
  for (const dir of SOURCE_DIRS) walk(path.join(root, dir));
  return hash.digest('hex').slice(0, 16);
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Compiles the project with tsc (as production does: no runtime transpiler). The output stays under
 * the project root so ESM resolution finds node_modules. Suites running in parallel (crash, scale)
 * share one build of the same sources: the first takes a lock directory and compiles, the others wait
 * for its completion marker. Builds of older sources are removed here, not by the suites, since a
 * suite cannot know whether another one still runs children from the build.
 */
export function compileProject(): string {
  const buildRoot = path.join(root, '.test-build');
  mkdirSync(buildRoot, { recursive: true });
  const name = `build-${sourceDigest()}`;
  const outDir = path.join(buildRoot, name);
  const complete = path.join(outDir, '.complete');
  const lock = `${outDir}.lock`;
  while (!existsSync(complete)) {
    try {
      mkdirSync(lock);
    } catch {
      // Another suite compiles; a lock left by a crashed run is taken over once stale.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS) rmSync(lock, { recursive: true, force: true });
      sleepSync(200);
      continue;
    }
    try {
      if (!existsSync(complete)) {
        for (const old of readdirSync(buildRoot)) {
          if (old !== name && !old.endsWith('.lock')) rmSync(path.join(buildRoot, old), { recursive: true, force: true });
        }
        execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.json'), '--outDir', outDir], {
          stdio: 'inherit',
        });
        writeFileSync(complete, '');
      }
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
  return outDir;
}

export interface ChildBridge {
  process: ChildProcess;
  url: string;
  /** What the child wrote to stderr so far, when started with `captureStderr`. */
  stderr(): string;
}

/** Starts a compiled module with a JSON config and waits for the `{url}` line it prints. */
export function startChild(outDir: string, entry: string, config: unknown, options: { captureStderr?: boolean } = {}): Promise<ChildBridge> {
  const configFile = path.join(mkdtempSync(path.join(tmpdir(), 'chatbridge-cfg-')), 'config.json');
  writeFileSync(configFile, JSON.stringify(config));
  const child = spawn(process.execPath, [path.join(outDir, entry), configFile], {
    cwd: root,
    stdio: ['ignore', 'pipe', options.captureStderr ? 'pipe' : 'inherit'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const line = buffer.split('\n').find((l) => l.startsWith('{"url"'));
      if (line) resolve({ process: child, url: (JSON.parse(line) as { url: string }).url, stderr: () => stderr });
    });
    child.on('exit', (code) => reject(new Error(`child exited early with ${code}`)));
  });
}

export function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
