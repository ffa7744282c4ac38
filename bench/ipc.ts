import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Request/response over the Node IPC channel between the benchmark's orchestrator and its child
 * processes (simulators, load generator, baseline relay), so each part runs on its own event loop.
 */

interface Request {
  id: number;
  method: string;
  params: unknown;
}

interface Response {
  id: number;
  result?: unknown;
  error?: string;
}

export type Handlers = Record<string, (params: never) => unknown>;

/**
 * In a child: answers the parent's calls; `ready` is sent once the handlers are in place. The method
 * `exit` runs the child's own `exit` handler (closing its servers) and then ends the process.
 */
export function serve(handlers: Handlers, ready: unknown = {}): void {
  process.on('message', (raw: Request) => {
    const handler = handlers[raw.method] as ((params: unknown) => unknown) | undefined;
    Promise.resolve()
      .then(() => {
        if (handler) return handler(raw.params);
        if (raw.method !== 'exit') throw new Error(`no method ${raw.method}`);
        return undefined;
      })
      .then(
        (result) => ({ id: raw.id, result }),
        (err: unknown) => ({ id: raw.id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
      )
      .then((reply: Response) => process.send?.(reply, undefined, {}, () => raw.method === 'exit' && process.exit(0)));
  });
  process.send?.({ id: 0, result: ready } satisfies Response);
}

const here = path.dirname(fileURLToPath(import.meta.url));

/** A child process of the benchmark, called by method name. */
export class Child {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private readonly exited: Promise<void>;

  private constructor(
    readonly name: string,
    readonly process: ChildProcess,
    readonly ready: Promise<unknown>,
  ) {
    this.exited = new Promise((resolve) => process.once('exit', () => resolve()));
    process.on('exit', (code, signal) => {
      for (const p of this.pending.values()) p.reject(new Error(`${name} exited (${code ?? signal}) during a call`));
      this.pending.clear();
    });
  }

  /** Forks `bench/<module>.js` (compiled, next to this file) and waits for its ready message. */
  static async start<T = unknown>(module: string, args: string[] = [], execArgv: string[] = []): Promise<{ child: Child; ready: T }> {
    const proc = fork(path.join(here, `${module}.js`), args, { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let child!: Child;
    const ready = new Promise<unknown>((resolve, reject) => {
      proc.once('exit', (code) => reject(new Error(`${module} exited (${code}) before it was ready`)));
      proc.on('message', (m: Response) => {
        if (m.id === 0) return resolve(m.result);
        const p = child.pending.get(m.id);
        child.pending.delete(m.id);
        if (m.error !== undefined) p?.reject(new Error(`${module}: ${m.error}`));
        else p?.resolve(m.result);
      });
    });
    child = new Child(module, proc, ready);
    return { child, ready: (await ready) as T };
  }

  call<T>(method: string, params: unknown = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.process.send({ id, method, params } satisfies Request);
    });
  }

  /** Asks the child to exit (closing its servers first) and waits until it has. */
  async stop(): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    await this.call('exit').catch(() => undefined);
    const timer = setTimeout(() => this.process.kill('SIGKILL'), 5000);
    await this.exited;
    clearTimeout(timer);
  }
}
