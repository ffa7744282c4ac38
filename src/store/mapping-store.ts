import { randomUUID } from 'node:crypto';

/**
 * Links one canonical conversation to the native ids on each platform, both ways, plus the small
 * primitives adapters need for state that must survive restarts and be shared between instances:
 * atomic counters (RightNow sequence numbers), set-if-absent with TTL (dedupe, leases), hashes.
 *
 * Two implementations (memory: lru-cache; redis) provide the primitives; the conversation and
 * message links are written once here on top of them. Every operation touches one key, so the
 * layout works unchanged on Redis Cluster.
 */
export interface ConversationRecord {
  id: string;
  tenant: string;
  /** platform -> native conversation id on that platform */
  links: Record<string, string>;
  /** Core and adapter attributes, e.g. `customer`, `agent`, `rightnow.session`. */
  attrs: Record<string, string>;
}

export interface StoreOptions {
  keyPrefix?: string;
  /** How long conversation and message links live after their last write. */
  mappingTtlMs?: number;
}

const DEFAULT_MAPPING_TTL_MS = 30 * 24 * 3600_000;

export abstract class MappingStore {
  protected readonly prefix: string;
  protected readonly mappingTtlMs: number;

  constructor(options: StoreOptions = {}) {
    this.prefix = options.keyPrefix ?? 'cb:';
    this.mappingTtlMs = options.mappingTtlMs ?? DEFAULT_MAPPING_TTL_MS;
  }

  abstract readonly kind: 'memory' | 'redis';
  /** Where the data lives, for operators' messages: never with a password. */
  abstract readonly location: string;

  /** False while the store is known to be unreachable (its connection is down), so intake can refuse at once. */
  get connected(): boolean {
    return true;
  }

  abstract get(key: string): Promise<string | undefined>;
  /**
   * A read of a key whose value, once written, stays the same for the life of what it names (a native
   * id's canonical conversation, a LivePerson consumer identity, the channel a conversation is on).
   * A store in another process may answer repeats from a process-local copy kept up to a minute: one
   * round trip less per event on the hot path. What this process writes or deletes replaces its copy
   * at once. Never for values that change (leases, counters, conversation records).
   */
  getStable(key: string): Promise<string | undefined> {
    return this.get(key);
  }

  /** Drops any process-local copy of `key` kept by getStable, so the next read goes to the store. */
  protected forgetStable(_key: string): void {}
  abstract set(key: string, value: string, ttlMs?: number): Promise<void>;
  /** True when the key was absent and is now set (the caller won). */
  abstract setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean>;
  abstract delete(key: string): Promise<void>;
  /** Atomic across every instance sharing the store. Starts from 0, so the first call returns `by`. */
  abstract increment(key: string, by?: number): Promise<number>;
  abstract hashGetAll(key: string): Promise<Record<string, string>>;
  abstract hashSet(key: string, fields: Record<string, string>, ttlMs?: number): Promise<void>;
  /**
   * The same fields written to each key, as one command where the store can (the keys of a moved
   * key on one Redis), else one per key. Not atomic across keys.
   */
  async hashSetEach(keys: string[], fields: Record<string, string>, ttlMs?: number): Promise<void> {
    await Promise.all(keys.map((key) => this.hashSet(key, fields, ttlMs)));
  }
  /** Deletes the key only while it still holds `value` (releasing a lease we own). */
  abstract deleteIfEquals(key: string, value: string): Promise<boolean>;
  /** Extends the key's TTL only while it still holds `value` (renewing a lease we own). */
  abstract expireIfEquals(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** Appends and trims to the newest `maxLength` entries. */
  abstract listAppend(key: string, value: string, options: { maxLength: number; ttlMs?: number }): Promise<void>;
  abstract listRange(key: string, start?: number, stop?: number): Promise<string[]>;
  abstract ping(): Promise<void>;
  abstract close(): Promise<void>;

  key(...parts: string[]): string {
    return this.prefix + parts.map(escapePart).join(':');
  }

  private convKey(tenant: string, id: string): string {
    return this.key('conv', tenant, id);
  }
  private nativeKey(tenant: string, platform: string, nativeId: string): string {
    return this.key('native', tenant, platform, nativeId);
  }
  protected messageKey(tenant: string, eventId: string): string {
    return this.key('msg', tenant, eventId);
  }
  protected nativeMessageKey(tenant: string, platform: string, nativeId: string): string {
    return this.key('nmsg', tenant, platform, nativeId);
  }

  /**
   * The canonical conversation for a native id, created when `create` is given and none exists.
   * Safe under races between instances: the native index is claimed with set-if-absent, and the
   * record is written before the claim so a winner's id always has a record behind it.
   */
  async resolveConversation(
    tenant: string,
    platform: string,
    nativeId: string,
    create?: { attrs: Record<string, string> },
  ): Promise<{ id: string; created: boolean } | undefined> {
    const index = this.nativeKey(tenant, platform, nativeId);
    const existing = await this.getStable(index);
    if (existing) return { id: existing, created: false };
    if (!create) return undefined;
    const id = randomUUID();
    await this.hashSet(this.convKey(tenant, id), { [`link.${platform}`]: nativeId, ...prefixAttrs(create.attrs) }, this.mappingTtlMs);
    if (await this.setIfAbsent(index, id, this.mappingTtlMs)) return { id, created: true };
    await this.delete(this.convKey(tenant, id));
    const winner = await this.get(index);
    return winner ? { id: winner, created: false } : undefined;
  }

  /**
   * Retires a native id's index that points at a conversation whose record is gone (expired): the
   * record expires a moment before the index written after it, and in that moment a new customer
   * event would otherwise be dropped for a conversation nobody knows. Deleted only while it still
   * names the dead conversation, so one another instance has just created stays.
   */
  async retireNative(tenant: string, platform: string, nativeId: string, deadId: string): Promise<void> {
    const index = this.nativeKey(tenant, platform, nativeId);
    this.forgetStable(index);
    await this.deleteIfEquals(index, deadId);
  }

  async getConversation(tenant: string, id: string): Promise<ConversationRecord | undefined> {
    const fields = await this.hashGetAll(this.convKey(tenant, id));
    if (Object.keys(fields).length === 0) return undefined;
    const record: ConversationRecord = { id, tenant, links: {}, attrs: {} };
    for (const [field, value] of Object.entries(fields)) {
      if (field.startsWith('link.')) record.links[field.slice(5)] = value;
      else if (field.startsWith('attr.')) record.attrs[field.slice(5)] = value;
    }
    return record;
  }

  /** Records the native id of an existing canonical conversation on another platform. */
  async linkConversation(tenant: string, id: string, platform: string, nativeId: string): Promise<void> {
    await this.hashSet(this.convKey(tenant, id), { [`link.${platform}`]: nativeId }, this.mappingTtlMs);
    await this.set(this.nativeKey(tenant, platform, nativeId), id, this.mappingTtlMs);
  }

  async setConversationAttrs(tenant: string, id: string, attrs: Record<string, string>): Promise<void> {
    await this.hashSet(this.convKey(tenant, id), prefixAttrs(attrs), this.mappingTtlMs);
  }

  /** Remembers the native id a platform gave an event we delivered (receipts, echoes, edits). */
  async linkMessage(tenant: string, eventId: string, platform: string, nativeId: string): Promise<void> {
    // Two independent keys: written concurrently, one round trip.
    await Promise.all([
      this.hashSet(this.messageKey(tenant, eventId), { [platform]: nativeId }, this.mappingTtlMs),
      this.set(this.nativeMessageKey(tenant, platform, nativeId), eventId, this.mappingTtlMs),
    ]);
  }

  async findMessage(tenant: string, platform: string, nativeId: string): Promise<string | undefined> {
    return this.get(this.nativeMessageKey(tenant, platform, nativeId));
  }

  async messageLinks(tenant: string, eventId: string): Promise<Record<string, string>> {
    return this.hashGetAll(this.messageKey(tenant, eventId));
  }
}

/** Builds the key of one piece of a platform's own state (ConnectorRuntime.key). */
export type PlatformKey = (kind: string, ...parts: string[]) => string;

/**
 * The keys a platform keeps its own state under for one tenant: `<platform>:<tenant>:<kind>:...`
 * (under the store's prefix), so every adapter's keys for a tenant share one prefix.
 */
export function platformKeys(store: MappingStore, platform: string, tenantId: string): PlatformKey {
  return (kind, ...parts) => store.key(platform, tenantId, kind, ...parts);
}

function prefixAttrs(attrs: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(attrs).map(([k, v]) => [`attr.${k}`, v]));
}

/**
 * Keeps ids with colons or braces from colliding with the key structure or Cluster hash tags.
 * Lone surrogates are escaped too: encodeURIComponent threw on them, and Redis would store every one
 * as the same U+FFFD bytes. `%` is always escaped, so the encoding stays reversible (no collisions).
 */
const SPECIAL = /[%:{}]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Any character SPECIAL could match: most parts (uuids, vendor ids) have none and are used as they are. */
const MAYBE_SPECIAL = /[%:{}\uD800-\uDFFF]/;

function escapePart(part: string): string {
  if (!MAYBE_SPECIAL.test(part)) return part;
  return part.replace(SPECIAL, (c) => {
    const code = c.charCodeAt(0);
    return code > 0xff ? `%u${code.toString(16).toUpperCase()}` : `%${code.toString(16).toUpperCase().padStart(2, '0')}`;
  });
}
