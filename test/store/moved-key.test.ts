import type { MappingStore } from '../../src/store/mapping-store.js';
import { MemoryMappingStore } from '../../src/store/memory-store.js';
import { MovedKey } from '../../src/store/moved-key.js';
import { RedisMappingStore } from '../../src/store/redis-store.js';
import { suiteRedis } from '../support/redis.js';

/**
 * A rolling upgrade in miniature: the "old instance" is the store used directly on the legacy key, as
 * releases before the move do; the new instance uses MovedKey. Nothing the old one stored is forgotten,
 * and no claim is held by both.
 */

const { redis, prefix } = await suiteRedis();

const stores: [string, () => MappingStore][] = [
  ['memory', () => new MemoryMappingStore()],
  ...(redis ? [['redis', () => new RedisMappingStore(redis, { keyPrefix: `${prefix}${Math.random()}:` })] as [string, () => MappingStore]] : []),
];

describe.each(stores)('MovedKey (%s store)', (_kind, makeStore) => {
  let store: MappingStore;
  let moved: MovedKey;
  const legacy = () => moved.legacy;
  beforeEach(() => {
    store = makeStore();
    moved = new MovedKey(store, store.key('rightnow', 'acme', 'session', '12'), store.key('rightnow', 'session', 'acme', '12'));
  });

  it('when only the legacy key holds a value, then it is read; once written, both keys hold the new value', async () => {
    await store.set(legacy(), 'stored-before-the-upgrade');
    expect(await moved.get()).toBe('stored-before-the-upgrade');
    expect(await moved.getStable()).toBe('stored-before-the-upgrade');
    await moved.set('written-by-the-new-release');
    expect(await store.get(moved.key)).toBe('written-by-the-new-release');
    expect(await store.get(legacy())).toBe('written-by-the-new-release');
    expect(await moved.get()).toBe('written-by-the-new-release');
  });

  it('when the new key holds a hash, then it is read whole, never mixed with the legacy one', async () => {
    await store.hashSet(legacy(), { sessionId: 'old', clientId: '7' });
    expect(await moved.hashGetAll()).toEqual({ sessionId: 'old', clientId: '7' });
    await store.hashSet(moved.key, { sessionId: 'new' });
    expect(await moved.hashGetAll()).toEqual({ sessionId: 'new' });
  });

  it('when fields accumulate on both keys, then the merged read has every field, the new key winning', async () => {
    await store.hashSet(legacy(), { '1': 'old', '2': 'old', floor: '1' });
    await moved.hashSet({ '3': 'new', floor: '2' });
    expect(await moved.hashGetMerged()).toEqual({ '1': 'old', '2': 'old', '3': 'new', floor: '2' });
    expect(await store.hashGetAll(legacy())).toEqual({ '1': 'old', '2': 'old', '3': 'new', floor: '2' });
  });

  it('when deleted, then neither key keeps the value', async () => {
    await store.set(legacy(), 'v');
    await store.set(moved.key, 'v');
    await moved.delete();
    expect(await moved.get()).toBeUndefined();
  });

  it('when an old instance holds the claim on the legacy key, then a new one does not get it and leaves no half claim', async () => {
    expect(await store.setIfAbsent(legacy(), 'old-instance', 60_000)).toBe(true);
    expect(await moved.claim('new-instance', 60_000)).toBe(false);
    expect(await store.get(moved.key)).toBeUndefined();
    // A second new instance is not blocked by the first one's attempt: it also waits for the old holder.
    expect(await moved.claim('other-new-instance', 60_000)).toBe(false);
    await store.deleteIfEquals(legacy(), 'old-instance');
    expect(await moved.claim('new-instance', 60_000)).toBe(true);
    expect([await store.get(moved.key), await store.get(legacy())]).toEqual(['new-instance', 'new-instance']);
    // The old release sees it held on the only key it knows.
    expect(await store.setIfAbsent(legacy(), 'old-instance', 60_000)).toBe(false);
  });

  it('when a claim is renewed and released, then both keys follow; a renewal that lost one key gives up the other', async () => {
    expect(await moved.claim('me', 60_000)).toBe(true);
    expect(await moved.renew('me', 60_000)).toBe(true);
    expect(await moved.renew('someone-else', 60_000)).toBe(false);
    await moved.release('me');
    expect([await store.get(moved.key), await store.get(legacy())]).toEqual([undefined, undefined]);

    expect(await moved.claim('me', 60_000)).toBe(true);
    await store.delete(legacy());
    await store.setIfAbsent(legacy(), 'old-instance', 60_000);
    expect(await moved.renew('me', 60_000)).toBe(false);
    expect(await store.get(moved.key)).toBeUndefined();
    expect(await store.get(legacy())).toBe('old-instance');
  });

  it('when an old instance counted on the legacy key, then the counter continues above every number handed out', async () => {
    await store.increment(legacy(), 41);
    const first = await moved.increment();
    expect(first).toBe(42);
    // An old instance draws meanwhile, on the legacy key only.
    const old = [await store.increment(legacy()), await store.increment(legacy())];
    const next = await moved.increment();
    expect(next).toBeGreaterThan(Math.max(first, ...old));
    // The first release without the legacy key counts on the new key alone, and still goes up.
    expect(await store.increment(moved.key)).toBeGreaterThan(Math.max(next, await store.increment(legacy(), 0)));
  });

  it('when new instances draw at the same time, then no number is handed out twice', async () => {
    await store.increment(legacy(), 10);
    const drawn = await Promise.all(Array.from({ length: 20 }, () => moved.increment()));
    expect(new Set(drawn).size).toBe(20);
    expect(Math.min(...drawn)).toBeGreaterThan(10);
  });
});
