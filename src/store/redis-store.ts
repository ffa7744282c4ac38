import { type ChainableCommander, Redis } from 'ioredis';
import { MappingStore, type StoreOptions } from './mapping-store.js';

const DELETE_IF_EQUALS = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;
const EXPIRE_IF_EQUALS = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;

/** Shared by every instance; counters are Redis INCRBY, so sequence numbers never repeat. */
export class RedisMappingStore extends MappingStore {
  readonly kind = 'redis' as const;

  constructor(
    readonly redis: Redis,
    options: StoreOptions = {},
  ) {
    super(options);
  }

  static connect(url: string, options: StoreOptions = {}): RedisMappingStore {
    const redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 3, enableAutoPipelining: true });
    // ioredis reconnects by itself; without a listener an outage would be an unhandled 'error' event.
    redis.on('error', () => undefined);
    return new RedisMappingStore(redis, options);
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(key)) ?? undefined;
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    if (ttlMs) await this.redis.set(key, value, 'PX', Math.ceil(ttlMs));
    else await this.redis.set(key, value);
  }

  async setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean> {
    const res = ttlMs
      ? await this.redis.set(key, value, 'PX', Math.ceil(ttlMs), 'NX')
      : await this.redis.set(key, value, 'NX');
    return res === 'OK';
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(key);
  }

  async increment(key: string, by = 1): Promise<number> {
    return this.redis.incrby(key, by);
  }

  async hashGetAll(key: string): Promise<Record<string, string>> {
    return this.redis.hgetall(key);
  }

  async hashSet(key: string, fields: Record<string, string>, ttlMs?: number): Promise<void> {
    // HSET without fields is a syntax error that would abort the whole transaction.
    if (Object.keys(fields).length === 0) return;
    const tx = this.redis.multi().hset(key, fields);
    if (ttlMs) tx.pexpire(key, Math.ceil(ttlMs));
    await execOrThrow(tx);
  }

  async deleteIfEquals(key: string, value: string): Promise<boolean> {
    return (await this.redis.eval(DELETE_IF_EQUALS, 1, key, value)) === 1;
  }

  async expireIfEquals(key: string, value: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.eval(EXPIRE_IF_EQUALS, 1, key, value, Math.ceil(ttlMs))) === 1;
  }

  async listAppend(key: string, value: string, options: { maxLength: number; ttlMs?: number }): Promise<void> {
    const tx = this.redis.multi().rpush(key, value).ltrim(key, -options.maxLength, -1);
    if (options.ttlMs) tx.pexpire(key, Math.ceil(options.ttlMs));
    await execOrThrow(tx);
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

/** EXEC resolves even when a command inside failed (WRONGTYPE...); a failed write must not pass as done. */
async function execOrThrow(tx: ChainableCommander): Promise<void> {
  const results = await tx.exec();
  if (!results) throw new Error('Redis transaction aborted');
  const failed = results.find(([err]) => err);
  if (failed) throw failed[0];
}
