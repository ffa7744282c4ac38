import * as scripts from '../../src/delivery/redis-queue-scripts.js';

/**
 * Redis Cluster routes a script by its declared KEYS and may refuse, or move away from under it, any
 * key the script builds itself; so every key a queue script touches must come from KEYS.
 */
describe('Redis queue scripts', () => {
  it.each(Object.entries(scripts))('when %s calls Redis, then every key it names is one of its declared KEYS', (_name, lua) => {
    const calls = [...lua.matchAll(/redis\.call\('(\w+)',\s*([^,)]+)/g)].map(([, command, key]) => ({ command, key: key!.trim() }));
    expect(calls.length).toBeGreaterThan(0);
    // PUBLISH names a channel, not a key.
    for (const call of calls.filter((c) => c.command !== 'PUBLISH')) {
      expect(call).toEqual({ command: call.command, key: expect.stringMatching(/^KEYS\[(\d+|i|\d \+ i)\]$/) });
    }
  });
});
