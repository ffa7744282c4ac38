import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

/**
 * Compiles the project with tsc (as production does: no runtime transpiler). The output stays under
 * the project root so ESM resolution finds node_modules.
 */
export function compileProject(): string {
  mkdirSync(path.join(root, '.test-build'), { recursive: true });
  const outDir = mkdtempSync(path.join(root, '.test-build', 'build-'));
  execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.json'), '--outDir', outDir], {
    stdio: 'inherit',
  });
  return outDir;
}

export interface ChildBridge {
  process: ChildProcess;
  url: string;
}

/** Starts a compiled module with a JSON config and waits for the `{url}` line it prints. */
export function startChild(outDir: string, entry: string, config: unknown): Promise<ChildBridge> {
  const configFile = path.join(mkdtempSync(path.join(tmpdir(), 'chatbridge-cfg-')), 'config.json');
  writeFileSync(configFile, JSON.stringify(config));
  const child = spawn(process.execPath, [path.join(outDir, entry), configFile], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const line = buffer.split('\n').find((l) => l.startsWith('{"url"'));
      if (line) resolve({ process: child, url: (JSON.parse(line) as { url: string }).url });
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

export function removeBuild(outDir: string): void {
  rmSync(outDir, { recursive: true, force: true });
}
