import { availableParallelism } from 'node:os';
import { ConfigError } from '../config/load.js';

/**
 * How many bridge processes `chatbridge start` runs. Redis mode defaults to one per core: workers
 * share nothing but Redis, and lanes move between them by lease. Memory mode (and the sandbox, which
 * is memory mode) runs one: its queue lives in the process, so a second worker could neither see nor
 * deliver what the first accepted.
 */
export function workerCount(given: string | undefined, store: 'memory' | 'redis', cores = availableParallelism()): number {
  const source = given === undefined ? undefined : given.trim();
  if (source === undefined || source === '') return store === 'redis' ? cores : 1;
  if (!/^[1-9]\d*$/.test(source)) {
    throw new ConfigError([{ path: '--workers', problem: `must be a whole number of processes, 1 or more (got ${JSON.stringify(given)})` }]);
  }
  const count = Number(source);
  if (count > 1 && store === 'memory') {
    throw new ConfigError([
      {
        path: '--workers',
        problem: `${count} workers need store.kind: redis; the memory store's queue lives in one process, which other workers cannot share (use 1, or a Redis store)`,
      },
    ]);
  }
  return count;
}
