import { replacementDelayMs } from '../../src/cluster/primary.js';
import { workerCount } from '../../src/cluster/worker-count.js';
import { ConfigError } from '../../src/config/load.js';

describe('worker replacement delay', () => {
  it('when workers keep dying young, then the first is replaced at once and each next one waits twice as long, up to the cap', () => {
    expect([1, 2, 3, 4, 5, 10, 20].map((n) => replacementDelayMs(n, 500, 30_000))).toEqual([0, 500, 1000, 2000, 4000, 30_000, 30_000]);
  });
});

describe('worker count', () => {
  it('when none is given, then Redis mode runs one per core and memory mode one', () => {
    expect(workerCount(undefined, 'redis', 8)).toBe(8);
    expect(workerCount('', 'redis', 8)).toBe(8);
    expect(workerCount(undefined, 'memory', 8)).toBe(1);
  });

  it('when a count is given, then Redis mode takes it and memory mode takes only 1', () => {
    expect(workerCount('3', 'redis', 8)).toBe(3);
    expect(workerCount('1', 'memory', 8)).toBe(1);
    expect(() => workerCount('2', 'memory', 8)).toThrow(/2 workers need store.kind: redis/);
  });

  it.each(['0', '-1', '1.5', 'two'])('when the count is %s, then it is refused as a configuration problem', (given) => {
    expect(() => workerCount(given, 'redis', 8)).toThrow(ConfigError);
  });
});
