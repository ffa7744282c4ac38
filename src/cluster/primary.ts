import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '../observability/logger.js';
import { PrimaryGathering } from './primary-gathering.js';
import { isListeningMessage } from './worker.js';

export interface PrimaryOptions {
  workers: number;
  logger: Logger;
  /** Called once, when every first worker listens (they share one port, so one URL). */
  onListening?: (url: string) => void;
}

/** A replacement waits this long after the second young death in a row, doubling per further one, up to the cap. */
const RESTART_DELAY_MS = 500;
const MAX_RESTART_DELAY_MS = 30_000;
/** A worker that lived this long was not part of a crash loop: the doubling starts over. */
const STABLE_MS = 30_000;

/**
 * How long a replacement waits after the `youngDeaths`-th worker in a row died young: the first at once
 * (a single crash costs no time), then `base`, doubling up to `max`.
 */
export function replacementDelayMs(youngDeaths: number, base: number, max: number): number {
  return youngDeaths <= 1 ? 0 : Math.min(max, base * 2 ** (youngDeaths - 2));
}

/**
 * The primary of `chatbridge start --workers N`: it runs no bridge itself, only forks N workers
 * (node:cluster: they share the listening port, and nothing else but Redis) and keeps N running.
 * - A worker that dies unexpectedly is replaced after a delay that doubles while workers keep dying
 *   young, so a crash loop cannot spin; its lanes are taken over by lease by the others meanwhile.
 *   A worker dying before the first workers all listened stops everything (exit 1): the
 *   configuration or the environment is wrong, and replacing it would only repeat the failure.
 * - SIGTERM/SIGINT: every worker is sent SIGTERM and drains (its own graceful stop); the primary
 *   exits with the worst worker exit code. A second signal is forwarded too (workers exit at once).
 * - SIGHUP is forwarded: every worker re-reads the configuration.
 * - A worker serving `/metrics` or an admin view asks it to gather every worker's (primary-gathering.ts).
 */
export function runPrimary(options: PrimaryOptions): void {
  const { logger } = options;
  const startedAt = new Map<Worker, number>();
  const pendingRestarts = new Set<NodeJS.Timeout>();
  const listened = new Set<Worker>();
  let starting = true;
  let stopping = false;
  let exited = false;
  let youngDeaths = 0;
  let worstCode = 0;

  const gathering = new PrimaryGathering(logger, () => [...listened]);
  const alive = () => [...startedAt.keys()];
  const fork = () => startedAt.set(cluster.fork(), Date.now());
  const exitWhenAllGone = () => {
    if (exited || alive().length > 0) return;
    exited = true;
    process.exit(worstCode);
  };

  cluster.on('message', (worker, message: unknown) => {
    if (gathering.handle(worker, message) || !isListeningMessage(message)) return;
    logger.info('chatbridge worker listening', { worker: worker.process.pid, url: message.url });
    listened.add(worker);
    if (starting && listened.size === options.workers) {
      starting = false;
      options.onListening?.(message.url);
    }
  });

  cluster.on('exit', (worker, code, signal) => {
    const lived = Date.now() - (startedAt.get(worker) ?? Date.now());
    startedAt.delete(worker);
    listened.delete(worker);
    gathering.exited(worker);
    if (!stopping && !starting) {
      youngDeaths = lived < STABLE_MS ? youngDeaths + 1 : 0;
      const delay = replacementDelayMs(youngDeaths, RESTART_DELAY_MS, MAX_RESTART_DELAY_MS);
      logger.error('chatbridge worker died: replacing it', { worker: worker.process.pid, code, signal, livedMs: lived, restartInMs: delay });
      const timer = setTimeout(() => {
        pendingRestarts.delete(timer);
        if (!stopping) fork();
      }, delay);
      pendingRestarts.add(timer);
      return;
    }
    // A worker killed by a signal has no exit code: that is a failure too.
    worstCode = Math.max(worstCode, code ?? 1);
    if (!stopping) {
      logger.error('chatbridge worker failed to start: stopping the others', { worker: worker.process.pid, code, signal });
      worstCode = Math.max(worstCode, 1);
      stopAll('a worker failed to start');
    }
    exitWhenAllGone();
  });

  function stopAll(reason: string): void {
    if (!stopping) {
      stopping = true;
      for (const timer of pendingRestarts) clearTimeout(timer);
      pendingRestarts.clear();
      logger.info('stopping workers', { reason, workers: alive().map((w) => w.process.pid) });
    }
    for (const w of alive()) w.process.kill('SIGTERM');
    exitWhenAllGone();
  }

  process.on('SIGTERM', () => stopAll('SIGTERM'));
  process.on('SIGINT', () => stopAll('SIGINT'));
  process.on('SIGHUP', () => {
    logger.info('SIGHUP: workers reload their configuration', { workers: alive().map((w) => w.process.pid) });
    for (const w of alive()) w.process.kill('SIGHUP');
  });

  // Structured clone, not JSON: a metric's value may be NaN (event-loop lag before its first sample).
  cluster.setupPrimary({ serialization: 'advanced' });
  logger.info('chatbridge primary starting workers', { workers: options.workers });
  for (let i = 0; i < options.workers; i++) fork();
}
