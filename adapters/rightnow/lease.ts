import { randomUUID } from 'node:crypto';
import type { MovedKey } from '../../src/store/moved-key.js';

/**
 * "Only one retrieval at a time per agent session": the instance holding this lease runs getMessages.
 * Set-if-absent with a TTL to take it, compare-and-expire to renew it, compare-and-delete to release it;
 * a holder that dies simply stops renewing and another instance takes over when the TTL runs out.
 * LEGACY: the lease is claimed on its key and on the key earlier releases used (MovedKey), so an instance
 * of the earlier release and one of this never poll at once during a rolling upgrade.
 */
export class PollLease {
  private held = false;
  private renewal: NodeJS.Timeout | undefined;
  readonly token = randomUUID();

  constructor(
    private readonly key: MovedKey,
    readonly ttlMs: number,
  ) {}

  get isHeld(): boolean {
    return this.held;
  }

  /** Takes or renews the lease; true while this instance holds it. */
  async acquire(): Promise<boolean> {
    this.held = this.held ? await this.key.renew(this.token, this.ttlMs) : await this.key.claim(this.token, this.ttlMs);
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
    if (this.held) await this.key.release(this.token);
    this.held = false;
  }
}
