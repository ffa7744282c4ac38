import { Cluster } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { MappingStore, type StoreOptions } from './mapping-store.js';
import { connectRedis, describeRedis, type RedisClient, type RedisEndpoint } from './redis-connection.js';

const DELETE_IF_EQUALS = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;
const EXPIRE_IF_EQUALS = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
/**
 * Multi-step writes as one script each rather than MULTI/.../EXEC: one command for the client to
 * build, send and parse instead of four or five (the per-command client cost dominates Redis mode).
 * ARGV[1] is the TTL in ms, 0 for none. A failing step (WRONGTYPE) fails the call.
 */
const HASH_SET = `
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
if ARGV[1] ~= '0' then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end`;
/** HASH_SET on every key given. */
const HASH_SET_EACH = `
for i = 1, #KEYS do
  redis.call('HSET', KEYS[i], unpack(ARGV, 2))
  if ARGV[1] ~= '0' then redis.call('PEXPIRE', KEYS[i], ARGV[1]) end
end`;
/** ARGV: ttlMs (0: none), maxLength, value */
const LIST_APPEND = `
redis.call('RPUSH', KEYS[1], ARGV[3])
redis.call('LTRIM', KEYS[1], -tonumber(ARGV[2]), -1)
if ARGV[1] ~= '0' then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end`;

/** KEYS: the event's links, the native id's event; ARGV: ttlMs, platform, native id, event id. */
const LINK_MESSAGE = `
redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
redis.call('SET', KEYS[2], ARGV[4], 'PX', ARGV[1])`;

type ScriptCall = (key: string, ...args: (string | number)[]) => Promise<unknown>;

/**
 * Bounds of the process-local copies `getStable` keeps. A minute is how long another instance's
 * rewrite (after the key expired) can go unseen here; 50,000 keys cover the conversations a busy
 * instance touches in that minute, at some 200 B each.
 */
const STABLE_COPIES = { max: 50_000, ttl: 60_000 };

/** Shared by every instance; counters are Redis INCRBY, so sequence numbers never repeat. */
export class RedisMappingStore extends MappingStore {
  readonly kind = 'redis' as const;
  private readonly stable = new LRUCache<string, string>(STABLE_COPIES);

  /** Where the client points, without its password (see describeRedis). */
  readonly location: string;

  /** Every operation is a single-key command or script, so each runs on one Cluster slot. */
  constructor(
    readonly redis: RedisClient,
    options: StoreOptions = {},
    location = describeRedis(redis),
  ) {
    super(options);
    this.location = location;
    for (const [name, lua] of Object.entries({ cbHashSet: HASH_SET, cbListAppend: LIST_APPEND })) {
      if (!(name in redis)) redis.defineCommand(name, { lua, numberOfKeys: 1 });
    }
    if (!('cbLinkMessage' in redis)) redis.defineCommand('cbLinkMessage', { lua: LINK_MESSAGE, numberOfKeys: 2 });
    // Without a fixed key count: the keys come first, their number before them.
    if (!('cbHashSetEach' in redis)) redis.defineCommand('cbHashSetEach', { lua: HASH_SET_EACH });
  }

  private script(name: 'cbHashSet' | 'cbListAppend' | 'cbLinkMessage' | 'cbHashSetEach'): ScriptCall {
    return (this.redis as unknown as Record<string, ScriptCall>)[name]!.bind(this.redis);
  }

  /**
   * One command for both keys on one Redis (two on a Cluster, where they may live on different nodes):
   * every delivered message writes its links, so this is on the hot path.
   */
  override async linkMessage(tenant: string, eventId: string, platform: string, nativeId: string): Promise<void> {
    if (this.redis instanceof Cluster) return super.linkMessage(tenant, eventId, platform, nativeId);
    const native = this.nativeMessageKey(tenant, platform, nativeId);
    this.stable.delete(native);
    await this.script('cbLinkMessage')(this.messageKey(tenant, eventId), native, Math.ceil(this.mappingTtlMs), platform, nativeId, eventId);
  }

  /** ioredis queues commands while it reconnects; 'ready' is the only state in which they run. */
  override get connected(): boolean {
    return this.redis.status === 'ready';
  }

  static connect(endpoint: string | RedisEndpoint, options: StoreOptions = {}): RedisMappingStore {
    const target = typeof endpoint === 'string' ? { url: endpoint } : endpoint;
    const redis = connectRedis(target);
    return new RedisMappingStore(redis, options, describeRedis(redis, target));
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(key)) ?? undefined;
  }

  override async getStable(key: string): Promise<string | undefined> {
    const copy = this.stable.get(key);
    if (copy !== undefined) return copy;
    const value = await this.get(key);
    if (value !== undefined) this.stable.set(key, value);
    return value;
  }

  protected override forgetStable(key: string): void {
    this.stable.delete(key);
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    this.stable.delete(key);
    if (ttlMs) await this.redis.set(key, value, 'PX', Math.ceil(ttlMs));
    else await this.redis.set(key, value);
  }

  async setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean> {
    this.stable.delete(key);
    const res = ttlMs
      ? await this.redis.set(key, value, 'PX', Math.ceil(ttlMs), 'NX')
      : await this.redis.set(key, value, 'NX');
    return res === 'OK';
  }

  async delete(key: string): Promise<void> {
    this.stable.delete(key);
    await this.redis.del(key);
  }

  async increment(key: string, by = 1): Promise<number> {
    return this.redis.incrby(key, by);
  }

  async hashGetAll(key: string): Promise<Record<string, string>> {
    return this.redis.hgetall(key);
  }

  async hashSet(key: string, fields: Record<string, string>, ttlMs?: number): Promise<void> {
    // HSET without fields is a syntax error.
    const pairs = Object.entries(fields).flat();
    if (pairs.length === 0) return;
    await this.script('cbHashSet')(key, Math.ceil(ttlMs ?? 0), ...pairs);
  }

  /** One command on one Redis; on a Cluster one per key (they may live on different nodes). */
  override async hashSetEach(keys: string[], fields: Record<string, string>, ttlMs?: number): Promise<void> {
    const pairs = Object.entries(fields).flat();
    if (pairs.length === 0 || keys.length === 0) return;
    if (this.redis instanceof Cluster) return super.hashSetEach(keys, fields, ttlMs);
    await this.script('cbHashSetEach')(String(keys.length), ...keys, Math.ceil(ttlMs ?? 0), ...pairs);
  }

  async deleteIfEquals(key: string, value: string): Promise<boolean> {
    this.stable.delete(key);
    return (await this.redis.eval(DELETE_IF_EQUALS, 1, key, value)) === 1;
  }

  async expireIfEquals(key: string, value: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.eval(EXPIRE_IF_EQUALS, 1, key, value, Math.ceil(ttlMs))) === 1;
  }

  async listAppend(key: string, value: string, options: { maxLength: number; ttlMs?: number }): Promise<void> {
    await this.script('cbListAppend')(key, Math.ceil(options.ttlMs ?? 0), options.maxLength, value);
  }

  async listRange(key: string, start = 0, stop = -1): Promise<string[]> {
    return this.redis.lrange(key, start, stop);
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
