import { LRUCache } from 'lru-cache';
import { MappingStore, type StoreOptions } from './mapping-store.js';

type Value = string | Map<string, string> | string[];

/**
 * The embedded default: one process, bounded by entry count, entries expire by TTL.
 * Everything is lost on restart, which is why multi-instance or crash-safe deployments use Redis.
 */
export class MemoryMappingStore extends MappingStore {
  readonly kind = 'memory' as const;
  readonly location = 'memory';
  private readonly cache: LRUCache<string, Value>;

  constructor(options: StoreOptions & { maxEntries?: number } = {}) {
    super(options);
    this.cache = new LRUCache<string, Value>({ max: options.maxEntries ?? 500_000, ttlAutopurge: false });
  }

  private put(key: string, value: Value, ttlMs?: number): void {
    this.cache.set(key, value, ttlMs ? { ttl: ttlMs } : undefined);
  }

  /** Keeps an existing entry's remaining TTL when a write does not set a new one (undefined or 0, as in Redis). */
  private ttlOf(key: string): number | undefined {
    const remaining = this.cache.getRemainingTTL(key);
    return remaining > 0 && Number.isFinite(remaining) ? remaining : undefined;
  }

  async get(key: string): Promise<string | undefined> {
    const v = this.cache.get(key);
    return typeof v === 'string' ? v : undefined;
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    this.put(key, value, ttlMs);
  }

  async setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean> {
    if (this.cache.has(key)) return false;
    this.put(key, value, ttlMs);
    return true;
  }

  async delete(key: string): Promise<void> {
    this.cache.delete(key);
  }

  async increment(key: string, by = 1): Promise<number> {
    const current = this.cache.get(key);
    const base = typeof current === 'string' ? Number(current) : 0;
    if (!Number.isInteger(base)) throw new Error('value is not an integer');
    const next = base + by;
    this.put(key, String(next), this.ttlOf(key));
    return next;
  }

  async hashGetAll(key: string): Promise<Record<string, string>> {
    const v = this.cache.get(key);
    return v instanceof Map ? Object.fromEntries(v) : {};
  }

  async hashSet(key: string, fields: Record<string, string>, ttlMs?: number): Promise<void> {
    // Like Redis, a hash with no fields does not exist: an empty write must not create an entry.
    if (Object.keys(fields).length === 0) return;
    const v = this.cache.get(key);
    const map = v instanceof Map ? v : new Map<string, string>();
    for (const [f, val] of Object.entries(fields)) map.set(f, val);
    this.put(key, map, ttlMs || this.ttlOf(key));
  }

  async deleteIfEquals(key: string, value: string): Promise<boolean> {
    if (this.cache.get(key) !== value) return false;
    this.cache.delete(key);
    return true;
  }

  async expireIfEquals(key: string, value: string, ttlMs: number): Promise<boolean> {
    if (this.cache.get(key) !== value) return false;
    this.put(key, value, ttlMs);
    return true;
  }

  async listAppend(key: string, value: string, options: { maxLength: number; ttlMs?: number }): Promise<void> {
    const v = this.cache.get(key);
    const list = Array.isArray(v) ? v : [];
    list.push(value);
    if (list.length > options.maxLength) list.splice(0, list.length - options.maxLength);
    this.put(key, list, options.ttlMs || this.ttlOf(key));
  }

  async listRange(key: string, start = 0, stop = -1): Promise<string[]> {
    const v = this.cache.get(key);
    if (!Array.isArray(v)) return [];
    const end = stop < 0 ? v.length + stop + 1 : stop + 1;
    return v.slice(start < 0 ? Math.max(v.length + start, 0) : start, end);
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.cache.clear();
  }

  /** Entries held, for the memory benchmark. */
  get size(): number {
    return this.cache.size;
  }
}
