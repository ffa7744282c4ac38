import { RedisMappingStore } from '../../src/store/redis-store.js';
import { connectTestRedis, deleteKeysWithPrefix, uniqueTestPrefix } from '../support/redis.js';

/** Redis-only behaviour the memory store has no counterpart for (it cannot hold a key of the wrong type). */

const redis = await connectTestRedis();
const prefix = uniqueTestPrefix();

afterAll(async () => {
  if (!redis) return;
  await deleteKeysWithPrefix(redis, prefix);
  await redis.quit();
});

(redis ? describe : describe.skip)('RedisMappingStore', () => {
  it('when a command inside a transaction fails, then the write rejects instead of passing as done', async () => {
    const store = new RedisMappingStore(redis!, { keyPrefix: prefix });
    const k = store.key('string');
    await store.set(k, 'v');
    await expect(store.hashSet(k, { f: 'v' }, 1000)).rejects.toThrow(/WRONGTYPE/);
    await expect(store.listAppend(k, 'v', { maxLength: 3 })).rejects.toThrow(/WRONGTYPE/);
  });
});
