import type { MappingStore, StoreOptions } from '../../src/store/mapping-store.js';
import { MemoryMappingStore } from '../../src/store/memory-store.js';
import { RedisMappingStore } from '../../src/store/redis-store.js';
import { eventually } from '../support/eventually.js';
import { connectTestRedis, deleteKeysWithPrefix, redisUrlForTests, uniqueTestPrefix } from '../support/redis.js';
import { suiteCluster } from '../support/redis-cluster.js';

/** One contract, two implementations: adapters must not be able to tell which store they run on. */

const redis = await connectTestRedis();
/** Stopped with its keys after the suite: nothing to delete there. */
const cluster = await suiteCluster();
const runPrefix = uniqueTestPrefix();
const SHORT_TTL_MS = 60;
/** Long enough that two steps in a row cannot straddle the expiry on a loaded machine. */
const REWRITE_TTL_MS = 500;
const LONG_TTL_MS = 60_000;

interface Implementation {
  name: string;
  open(options: StoreOptions): MappingStore;
}

const implementations: Implementation[] = [{ name: 'MemoryMappingStore', open: (o) => new MemoryMappingStore(o) }];
if (redis) implementations.push({ name: 'RedisMappingStore', open: (o) => RedisMappingStore.connect(redisUrlForTests(), o) });
if (cluster) implementations.push({ name: 'RedisMappingStore on a Cluster', open: (o) => RedisMappingStore.connect({ cluster: cluster.urls }, o) });

afterAll(async () => {
  if (!redis) return;
  await deleteKeysWithPrefix(redis, runPrefix);
  // A second sweep finds nothing: the first removed every key of this run.
  expect(await deleteKeysWithPrefix(redis, runPrefix)).toBe(0);
  await redis.quit();
});

describe.each(implementations)('MappingStore contract: $name', (impl) => {
  const opened: MappingStore[] = [];
  let testNo = 0;
  let store: MappingStore;

  /** Each test gets its own key space, so tests cannot see each other's keys. */
  const open = (options: Omit<StoreOptions, 'keyPrefix'> = {}): MappingStore => {
    const s = impl.open({ ...options, keyPrefix: `${runPrefix}${impl.name}:${testNo}:` });
    opened.push(s);
    return s;
  };

  beforeEach(() => {
    testNo += 1;
    store = open();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
  });

  describe('get, set, delete', () => {
    it('when a key was never set, then get returns undefined', async () => {
      expect(await store.get(store.key('nothing'))).toBeUndefined();
    });

    it('when a value is set twice, then get returns the last one', async () => {
      const k = store.key('k');
      await store.set(k, 'one');
      await store.set(k, 'two', LONG_TTL_MS);
      expect(await store.get(k)).toBe('two');
    });

    it('when a key has a short TTL, then it expires while a key without TTL stays', async () => {
      await store.set(store.key('forever'), 'kept');
      await store.set(store.key('brief'), 'gone', SHORT_TTL_MS);
      await eventually(async () => expect(await store.get(store.key('brief'))).toBeUndefined());
      expect(await store.get(store.key('forever'))).toBe('kept');
    });

    it('when a string, a hash and a list are deleted, then all are gone, and deleting a missing key resolves', async () => {
      await store.set(store.key('s'), 'v');
      await store.hashSet(store.key('h'), { f: 'v' });
      await store.listAppend(store.key('l'), 'v', { maxLength: 5 });
      for (const k of ['s', 'h', 'l', 'missing']) await store.delete(store.key(k));
      expect(await store.get(store.key('s'))).toBeUndefined();
      expect(await store.hashGetAll(store.key('h'))).toEqual({});
      expect(await store.listRange(store.key('l'))).toEqual([]);
    });
  });

  describe('setIfAbsent', () => {
    it('when 20 callers race for one key, then exactly one wins and its value is stored', async () => {
      const k = store.key('claim');
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.setIfAbsent(k, `caller-${i}`, LONG_TTL_MS)));
      const winners = results.flatMap((won, i) => (won ? [i] : []));
      expect(winners).toHaveLength(1);
      expect(await store.get(k)).toBe(`caller-${winners[0]}`);
    });

    it('when the key exists, then it returns false and keeps the value', async () => {
      const k = store.key('taken');
      await store.set(k, 'first');
      expect(await store.setIfAbsent(k, 'second')).toBe(false);
      expect(await store.get(k)).toBe('first');
    });

    it('when the claim TTL runs out, then the key can be claimed again', async () => {
      const k = store.key('lease');
      expect(await store.setIfAbsent(k, 'a', SHORT_TTL_MS)).toBe(true);
      await eventually(async () => expect(await store.setIfAbsent(k, 'b', LONG_TTL_MS)).toBe(true));
      expect(await store.get(k)).toBe('b');
    });
  });

  describe('increment', () => {
    it('when a counter is new, then it starts from 0 and adds `by`', async () => {
      const k = store.key('n');
      expect(await store.increment(k)).toBe(1);
      expect(await store.increment(k, 5)).toBe(6);
      expect(await store.get(k)).toBe('6');
    });

    it('when 200 increments run concurrently, then they return exactly 1..200', async () => {
      const k = store.key('seq');
      const values = await Promise.all(Array.from({ length: 200 }, () => store.increment(k)));
      expect([...values].sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    });

    it('when the counter has a TTL, then incrementing keeps it and the counter still expires', async () => {
      const k = store.key('ttl-counter');
      await store.set(k, '41', REWRITE_TTL_MS);
      expect(await store.increment(k)).toBe(42);
      await eventually(async () => expect(await store.get(k)).toBeUndefined());
    });
  });

  describe('hashes', () => {
    it('when fields are set twice, then they merge and the newer value of a field wins', async () => {
      const k = store.key('h');
      await store.hashSet(k, { a: '1', b: '2' });
      await store.hashSet(k, { b: '3', c: '4' });
      expect(await store.hashGetAll(k)).toEqual({ a: '1', b: '3', c: '4' });
    });

    it.each([undefined, 0])('when a hash with a TTL is written again with ttlMs %p, then it keeps the TTL and expires', async (ttlMs) => {
      const k = store.key('h-ttl');
      await store.hashSet(k, { a: '1' }, REWRITE_TTL_MS);
      await store.hashSet(k, { b: '2' }, ttlMs);
      await eventually(async () => expect(await store.hashGetAll(k)).toEqual({}));
    });

    it('when fields are written to several keys at once, then each merges them and expires with the TTL', async () => {
      const [k1, k2] = [store.key('each', '1'), store.key('each', '2')];
      await store.hashSet(k1, { a: '1' });
      await store.hashSetEach([k1, k2], { b: '2' }, SHORT_TTL_MS);
      expect(await store.hashGetAll(k1)).toEqual({ a: '1', b: '2' });
      expect(await store.hashGetAll(k2)).toEqual({ b: '2' });
      await eventually(async () => expect([await store.hashGetAll(k1), await store.hashGetAll(k2)]).toEqual([{}, {}]));
    });

    it('when no fields are given, then nothing is written and the key stays claimable', async () => {
      const k = store.key('h-empty');
      await store.hashSet(k, {});
      expect(await store.hashGetAll(k)).toEqual({});
      expect(await store.setIfAbsent(k, 'free')).toBe(true);
    });
  });

  describe('leases: deleteIfEquals and expireIfEquals', () => {
    it('when another value is offered, then delete refuses; the owner value deletes once', async () => {
      const k = store.key('lease');
      await store.setIfAbsent(k, 'owner', LONG_TTL_MS);
      expect(await store.deleteIfEquals(k, 'intruder')).toBe(false);
      expect(await store.get(k)).toBe('owner');
      expect(await store.deleteIfEquals(k, 'owner')).toBe(true);
      expect(await store.get(k)).toBeUndefined();
      expect(await store.deleteIfEquals(k, 'owner')).toBe(false);
    });

    it('when another value is offered, then the TTL is not changed; the owner value shortens it', async () => {
      const k = store.key('lease');
      await store.setIfAbsent(k, 'owner', LONG_TTL_MS);
      expect(await store.expireIfEquals(k, 'intruder', SHORT_TTL_MS)).toBe(false);
      expect(await store.get(k)).toBe('owner');
      expect(await store.expireIfEquals(k, 'owner', SHORT_TTL_MS)).toBe(true);
      await eventually(async () => expect(await store.get(k)).toBeUndefined());
      expect(await store.expireIfEquals(k, 'owner', LONG_TTL_MS)).toBe(false);
    });
  });

  describe('lists', () => {
    it('when more than maxLength values are appended, then only the newest are kept, in order', async () => {
      const k = store.key('l');
      for (const v of ['1', '2', '3', '4', '5']) await store.listAppend(k, v, { maxLength: 3 });
      expect(await store.listRange(k)).toEqual(['3', '4', '5']);
    });

    it('when ranges use negative or out-of-range indexes, then they follow LRANGE semantics', async () => {
      const k = store.key('l');
      for (const v of ['a', 'b', 'c', 'd']) await store.listAppend(k, v, { maxLength: 10 });
      expect(await store.listRange(k, -2, -1)).toEqual(['c', 'd']);
      expect(await store.listRange(k, 0, -2)).toEqual(['a', 'b', 'c']);
      expect(await store.listRange(k, 1, 1)).toEqual(['b']);
      expect(await store.listRange(k, -100, 1)).toEqual(['a', 'b']);
      expect(await store.listRange(k, 2, 100)).toEqual(['c', 'd']);
      expect(await store.listRange(k, 5, 9)).toEqual([]);
      expect(await store.listRange(k, 0, -100)).toEqual([]);
      expect(await store.listRange(store.key('missing'))).toEqual([]);
    });

    it('when 50 appends race, then the list holds exactly maxLength entries', async () => {
      const k = store.key('l');
      await Promise.all(Array.from({ length: 50 }, (_, i) => store.listAppend(k, String(i), { maxLength: 10 })));
      const kept = await store.listRange(k);
      expect(kept).toHaveLength(10);
      expect(new Set(kept).size).toBe(10);
    });

    it.each([undefined, 0])('when a list with a TTL gets an append with ttlMs %p, then it keeps the TTL and expires', async (ttlMs) => {
      const k = store.key('l');
      await store.listAppend(k, 'x', { maxLength: 10, ttlMs: REWRITE_TTL_MS });
      await store.listAppend(k, 'y', { maxLength: 10, ttlMs });
      await eventually(async () => expect(await store.listRange(k)).toEqual([]));
    });
  });

  describe('conversations', () => {
    it('when a native id is unknown and create is not given, then nothing is created', async () => {
      expect(await store.resolveConversation('acme', 'alpha', 'n1')).toBeUndefined();
      expect(await store.resolveConversation('acme', 'alpha', 'n1')).toBeUndefined();
    });

    it('when a conversation is created, then a lookup finds it with its link and attrs', async () => {
      const created = await store.resolveConversation('acme', 'alpha', 'n1', { attrs: { customer: 'c-7' } });
      expect(created).toEqual({ id: expect.any(String), created: true });
      expect(await store.resolveConversation('acme', 'alpha', 'n1', { attrs: {} })).toEqual({ id: created!.id, created: false });
      expect(await store.getConversation('acme', created!.id)).toEqual({
        id: created!.id,
        tenant: 'acme',
        links: { alpha: 'n1' },
        attrs: { customer: 'c-7' },
      });
    });

    it('when 10 callers create the same conversation at once, then one canonical id is created and all get it', async () => {
      const results = await Promise.all(
        Array.from({ length: 10 }, () => store.resolveConversation('acme', 'alpha', 'race', { attrs: {} })),
      );
      expect(new Set(results.map((r) => r?.id)).size).toBe(1);
      expect(results.filter((r) => r?.created)).toHaveLength(1);
      expect((await store.getConversation('acme', results[0]!.id))?.links).toEqual({ alpha: 'race' });
    });

    it('when two tenants use the same native id, then they get different conversations', async () => {
      const a = await store.resolveConversation('acme', 'alpha', 'same', { attrs: {} });
      const b = await store.resolveConversation('globex', 'alpha', 'same', { attrs: {} });
      expect(a?.id).not.toBe(b?.id);
      expect(await store.getConversation('globex', a!.id)).toBeUndefined();
    });

    it('when a conversation id is unknown, then getConversation returns undefined', async () => {
      expect(await store.getConversation('acme', 'no-such-id')).toBeUndefined();
    });

    it('when another platform is linked, then the conversation is found from both native ids', async () => {
      const { id } = (await store.resolveConversation('acme', 'alpha', 'a-1', { attrs: {} }))!;
      await store.linkConversation('acme', id, 'beta', 'b-1');
      expect((await store.getConversation('acme', id))?.links).toEqual({ alpha: 'a-1', beta: 'b-1' });
      expect(await store.resolveConversation('acme', 'beta', 'b-1')).toEqual({ id, created: false });
      expect(await store.resolveConversation('acme', 'alpha', 'a-1')).toEqual({ id, created: false });
    });

    it('when attrs are set, then they merge, keep dotted names and never turn into links', async () => {
      const { id } = (await store.resolveConversation('acme', 'alpha', 'a-1', { attrs: { customer: 'c' } }))!;
      await store.setConversationAttrs('acme', id, { 'beta.session': 's1', 'link.fake': 'x' });
      await store.setConversationAttrs('acme', id, { customer: 'c2' });
      await store.setConversationAttrs('acme', id, {});
      expect(await store.getConversation('acme', id)).toMatchObject({
        links: { alpha: 'a-1' },
        attrs: { customer: 'c2', 'beta.session': 's1', 'link.fake': 'x' },
      });
    });

    it('when mappingTtlMs passes without writes, then the conversation and its index expire', async () => {
      const brief = open({ mappingTtlMs: SHORT_TTL_MS });
      const { id } = (await brief.resolveConversation('acme', 'alpha', 'a-1', { attrs: {} }))!;
      await eventually(async () => {
        expect(await brief.getConversation('acme', id)).toBeUndefined();
        // A read between the record's expiry and the index's may have kept a copy of the index: look past it.
        await brief.retireNative('acme', 'alpha', 'a-1', id);
        expect(await brief.resolveConversation('acme', 'alpha', 'a-1')).toBeUndefined();
      });
    });
  });

  describe('stable values', () => {
    it('when a stable key is read and then rewritten or deleted here, then getStable sees each change at once', async () => {
      const k = store.key('stable');
      expect(await store.getStable(k)).toBeUndefined();
      await store.set(k, 'one');
      expect(await store.getStable(k)).toBe('one');
      await store.set(k, 'two');
      expect(await store.getStable(k)).toBe('two');
      await store.delete(k);
      expect(await store.getStable(k)).toBeUndefined();
      expect(await store.setIfAbsent(k, 'three')).toBe(true);
      expect(await store.getStable(k)).toBe('three');
    });

    it('when a conversation expired after it was resolved, then retiring its native id makes the next resolve see it gone', async () => {
      const brief = open({ mappingTtlMs: REWRITE_TTL_MS });
      const { id } = (await brief.resolveConversation('acme', 'alpha', 'a-1', { attrs: {} }))!;
      expect((await brief.resolveConversation('acme', 'alpha', 'a-1'))?.id).toBe(id);
      await eventually(async () => expect(await brief.getConversation('acme', id)).toBeUndefined());
      await brief.retireNative('acme', 'alpha', 'a-1', id);
      expect(await brief.resolveConversation('acme', 'alpha', 'a-1')).toBeUndefined();
    });

    it('when a native index outlives its record, then retiring it deletes it, but never an index naming another conversation', async () => {
      const { id } = (await store.resolveConversation('acme', 'alpha', 'a-1', { attrs: {} }))!;
      await store.delete(store.key('conv', 'acme', id));
      await store.retireNative('acme', 'alpha', 'a-1', 'some-other-conversation');
      expect((await store.resolveConversation('acme', 'alpha', 'a-1'))?.id).toBe(id);
      await store.retireNative('acme', 'alpha', 'a-1', id);
      expect(await store.resolveConversation('acme', 'alpha', 'a-1')).toBeUndefined();
    });
  });

  describe('messages', () => {
    it('when an event is linked on two platforms, then both native ids map back to it', async () => {
      await store.linkMessage('acme', 'ev-1', 'alpha', 'm-a');
      await store.linkMessage('acme', 'ev-1', 'beta', 'm-b');
      expect(await store.messageLinks('acme', 'ev-1')).toEqual({ alpha: 'm-a', beta: 'm-b' });
      expect(await store.findMessage('acme', 'alpha', 'm-a')).toBe('ev-1');
      expect(await store.findMessage('acme', 'beta', 'm-b')).toBe('ev-1');
    });

    it('when the mapping TTL passes, then both sides of a message link are gone', async () => {
      const brief = open({ mappingTtlMs: SHORT_TTL_MS });
      await brief.linkMessage('acme', 'ev-9', 'alpha', 'm-9');
      expect(await brief.findMessage('acme', 'alpha', 'm-9')).toBe('ev-9');
      await eventually(async () => {
        expect(await brief.findMessage('acme', 'alpha', 'm-9')).toBeUndefined();
        expect(await brief.messageLinks('acme', 'ev-9')).toEqual({});
      });
    });

    it('when nothing was linked, or another tenant asks, then nothing is found', async () => {
      await store.linkMessage('acme', 'ev-1', 'alpha', 'm-a');
      expect(await store.findMessage('globex', 'alpha', 'm-a')).toBeUndefined();
      expect(await store.findMessage('acme', 'beta', 'm-a')).toBeUndefined();
      expect(await store.messageLinks('acme', 'ev-2')).toEqual({});
    });
  });

  describe('key()', () => {
    it('when ids contain separators or braces, then different part lists never give the same key', () => {
      const lists = [['a:b', 'c'], ['a', 'b:c'], ['a%3Ab', 'c'], ['{a}', 'b'], ['%7Ba%7D', 'b'], ['\uD800:'], ['\uDBFF:'], ['a', 'b', 'c']];
      const keys = lists.map((parts) => store.key(...parts));
      expect(new Set(keys).size).toBe(lists.length);
      for (const k of keys) expect(k.startsWith(`${runPrefix}${impl.name}:`)).toBe(true);
    });

    it('when an id contains braces, then the key holds no hash tag', () => {
      expect(store.key('{tenant}', 'x{y}z').slice(runPrefix.length)).not.toMatch(/[{}]/);
    });

    it('when ids that look alike are stored, then each reads back its own value', async () => {
      await store.set(store.key('a:b', 'c'), 'first');
      await store.set(store.key('a', 'b:c'), 'second');
      await store.set(store.key('\uD800:'), 'third');
      expect(await store.get(store.key('a:b', 'c'))).toBe('first');
      expect(await store.get(store.key('a', 'b:c'))).toBe('second');
      expect(await store.get(store.key('\uDBFF:'))).toBeUndefined();
    });
  });

  it('when pinged, then it answers', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });
});
