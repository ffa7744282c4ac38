import { randomUUID } from 'node:crypto';
import type { MappingStore } from '../../src/store/mapping-store.js';

/**
 * "Only one retrieval at a time per agent session": the instance holding this lease runs getMessages.
 * Set-if-absent with a TTL to take it, compare-and-expire to renew it, compare-and-delete to release it;
 * a holder that dies simply stops renewing and another instance takes over when the TTL runs out.
 */
export class PollLease {
  private held = false;
  private renewal: NodeJS.Timeout | undefined;
  readonly token = randomUUID();

  constructor(
    private readonly store: MappingStore,
    private readonly key: string,
    readonly ttlMs: number,
  ) {}

  get isHeld(): boolean {
    return this.held;
  }

  /** Takes or renews the lease; true while this instance holds it. */
  async acquire(): Promise<boolean> {
    this.held = this.held
      ? await this.store.expireIfEquals(this.key, this.token, this.ttlMs)
      : await this.store.setIfAbsent(this.key, this.token, this.ttlMs);
    return this.held;
  }

  /** Keeps the lease alive while a long poll is outstanding; `onLost` fires if another instance has it. */
  keepAlive(onLost: () => void): void {
    this.stopKeepAlive();
    this.renewal = setInterval(() => {
      this.acquire()
        .then((held) => {
          if (!held) onLost();
        })
        .catch(() => undefined);
    }, Math.max(Math.floor(this.ttlMs / 3), 10));
  }

  stopKeepAlive(): void {
    if (this.renewal) clearInterval(this.renewal);
    this.renewal = undefined;
  }

  /** Stops renewing without giving the lease back: what a crashed instance leaves behind. */
  abandon(): void {
    this.stopKeepAlive();
    this.held = false;
  }

  async release(): Promise<void> {
    this.stopKeepAlive();
    if (this.held) await this.store.deleteIfEquals(this.key, this.token);
    this.held = false;
  }
}
