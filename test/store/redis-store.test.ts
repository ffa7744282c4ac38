import { RedisMappingStore } from '../../src/store/redis-store.js';
import { suiteRedis } from '../support/redis.js';

/** Redis-only behaviour the memory store has no counterpart for (it cannot hold a key of the wrong type). */

const { redis, prefix } = await suiteRedis();

(redis ? describe : describe.skip)('RedisMappingStore', () => {
  it('when a command inside a transaction fails, then the write rejects instead of passing as done', async () => {
    const store = new RedisMappingStore(redis!, { keyPrefix: prefix });
    const k = store.key('string');
    await store.set(k, 'v');
    await expect(store.hashSet(k, { f: 'v' }, 1000)).rejects.toThrow(/WRONGTYPE/);
    await expect(store.listAppend(k, 'v', { maxLength: 3 })).rejects.toThrow(/WRONGTYPE/);
  });

  it('when a stable key is read twice, then Redis is asked once, and another instance\'s rewrite is seen once the copy is forgotten', async () => {
    let reads = 0;
    class CountingStore extends RedisMappingStore {
      override async get(key: string): Promise<string | undefined> {
        reads += 1;
        return super.get(key);
      }
    }
    const store = new CountingStore(redis!, { keyPrefix: prefix });
    const other = new RedisMappingStore(redis!, { keyPrefix: prefix });
    const { id } = (await store.resolveConversation('acme', 'alpha', 'a-1', { attrs: {} }))!;
    reads = 0;
    expect((await store.resolveConversation('acme', 'alpha', 'a-1'))?.id).toBe(id);
    expect((await store.resolveConversation('acme', 'alpha', 'a-1'))?.id).toBe(id);
    expect(reads).toBe(1);
    // Only an expired index changes; a rewrite by another instance stands in for that here.
    await other.set(store.key('native', 'acme', 'alpha', 'a-1'), 'replaced');
    expect((await store.resolveConversation('acme', 'alpha', 'a-1'))?.id).toBe(id);
    await store.retireNative('acme', 'alpha', 'a-1', id);
    expect((await store.resolveConversation('acme', 'alpha', 'a-1'))?.id).toBe('replaced');
  });
});
