import type { MappingStore } from './mapping-store.js';

/**
 * An adapter key that moved to the layout `runtime.key` builds (`<platform>:<tenant>:<kind>:...`) from
 * the one earlier releases used (`<platform>:<kind>:<tenant>:...`), kept in step with its legacy key so a
 * rolling upgrade forgets nothing and shares nothing twice (docs/migration.md, Upgrading):
 * - writes go to both keys, so instances of the earlier release, which read only the legacy key, see them;
 * - reads take the new key and fall back to the legacy one, which holds what was stored before the upgrade;
 * - a claim (a lease, a once-only mark) is won only when both keys are won, so an old and a new instance
 *   never both hold it;
 * - a counter continues above both keys, so no number is handed out below one already used.
 *
 * LEGACY: this class and every use of it go in the first release after the one that introduced it (its
 * upgrade note says so); from then on each key is the new one alone. Until then each write costs one
 * command more (a hash write none on one Redis, where both keys go in one command).
 */
export class MovedKey {
  constructor(
    private readonly store: MappingStore,
    readonly key: string,
    readonly legacy: string,
  ) {}

  async get(): Promise<string | undefined> {
    return (await this.store.get(this.key)) ?? this.store.get(this.legacy);
  }

  /** For values that never change once written (see MappingStore.getStable). */
  async getStable(): Promise<string | undefined> {
    return (await this.store.getStable(this.key)) ?? this.store.getStable(this.legacy);
  }

  async set(value: string, ttlMs?: number): Promise<void> {
    await Promise.all([this.store.set(this.key, value, ttlMs), this.store.set(this.legacy, value, ttlMs)]);
  }

  /** The hash as one record: the new key's when it has one, else the legacy key's (never a mix of two). */
  async hashGetAll(): Promise<Record<string, string>> {
    const current = await this.store.hashGetAll(this.key);
    return Object.keys(current).length > 0 ? current : this.store.hashGetAll(this.legacy);
  }

  /** A hash whose fields accumulate (one per item seen): both keys' fields, the new key's winning. */
  async hashGetMerged(): Promise<Record<string, string>> {
    const [legacy, current] = await Promise.all([this.store.hashGetAll(this.legacy), this.store.hashGetAll(this.key)]);
    return { ...legacy, ...current };
  }

  async hashSet(fields: Record<string, string>, ttlMs?: number): Promise<void> {
    await this.store.hashSetEach([this.key, this.legacy], fields, ttlMs);
  }

  async delete(): Promise<void> {
    await Promise.all([this.store.delete(this.key), this.store.delete(this.legacy)]);
  }

  /**
   * Set-if-absent on both keys, new first (so two new instances race on one key): true only when both
   * were won. A lost legacy key gives the new one back, so the claim is held whole or not at all.
   */
  async claim(value: string, ttlMs?: number): Promise<boolean> {
    if (!(await this.store.setIfAbsent(this.key, value, ttlMs))) return false;
    if (await this.store.setIfAbsent(this.legacy, value, ttlMs)) return true;
    await this.store.deleteIfEquals(this.key, value);
    return false;
  }

  /** Extends a claim this caller holds; false (and nothing held any more) when either key was lost. */
  async renew(value: string, ttlMs: number): Promise<boolean> {
    const renewed = await Promise.all([this.store.expireIfEquals(this.key, value, ttlMs), this.store.expireIfEquals(this.legacy, value, ttlMs)]);
    if (renewed.every(Boolean)) return true;
    await this.release(value);
    return false;
  }

  /** Gives back whatever part of a claim this caller still holds. */
  async release(value: string): Promise<void> {
    await Promise.all([this.store.deleteIfEquals(this.key, value), this.store.deleteIfEquals(this.legacy, value)]);
  }

  /**
   * The next number of a counter that the earlier release counts on the legacy key. Both keys count
   * every number drawn, and the new key is raised to the legacy one when that is ahead (an earlier
   * release's instance drew meanwhile), so every number comes from the new key and is above what both
   * had handed out: the first release without the legacy key just continues the new one.
   */
  async increment(): Promise<number> {
    const [next, legacy] = await Promise.all([this.store.increment(this.key), this.store.increment(this.legacy)]);
    return next >= legacy ? next : this.store.increment(this.key, legacy - next);
  }
}
