import type { Logger } from '../../src/observability/logger.js';
import type { InboundGap } from '../../src/observability/inbound-gaps.js';
import type { MappingStore, PlatformKey } from '../../src/store/mapping-store.js';
import { MovedKey } from '../../src/store/moved-key.js';

/**
 * Loss detection on LivePerson's webhooks. Every event of a dialog takes the next `sequence` (the
 * agent's, and the consumer's own, which come back by webhook and in SEND's reply), and the webhook
 * retry policy admits loss ("Webhooks: retry policy": data loss and duplicates are possible). So a
 * number that never arrives while a later one did is an event the customer may never have seen.
 *
 * Each number seen is written to one hash per dialog in the shared store (field = sequence, value =
 * when it arrived; the TTL renews with each write), so every instance sees what the others received.
 * A while after a dialog's events (`waitMs`, room for LivePerson's out-of-order and retried
 * deliveries) the instance that received them reads the hash: a hole below a number that arrived at
 * least `waitMs` ago is a gap. A gap is claimed with set-if-absent before it is reported, so it counts
 * once across instances, and a `floor` field remembers up to where the dialog was checked.
 * Limits: a loss after a dialog's last delivered event shows only once a later event arrives; one
 * before the first number the bridge saw of a dialog is not seen at all.
 */

const SEQUENCE_TTL_MS = 24 * 3600_000;
const FLOOR = 'floor';

export interface SequenceGapOptions {
  enabled: boolean;
  waitMs: number;
}

export class SequenceGaps {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly store: MappingStore,
    private readonly keys: PlatformKey,
    private readonly tenant: string,
    private readonly options: SequenceGapOptions,
    private readonly report: (gap: InboundGap) => void,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** LEGACY: with the keys earlier releases used, until MovedKey goes (src/store/moved-key.ts). */
  private key(dialogId: string): MovedKey {
    return new MovedKey(this.store, this.keys('seq', dialogId), this.store.key('lp', 'seq', this.tenant, dialogId));
  }

  private claim(dialogId: string, from: number): MovedKey {
    return new MovedKey(this.store, this.keys('gap', dialogId, String(from)), this.store.key('lp', 'gap', this.tenant, dialogId, String(from)));
  }

  /**
   * A sequence number of the dialog reached us (webhook or SEND reply). Never rejects, and callers do
   * not wait for it: loss detection must not slow or fail the webhook answer.
   */
  seen(conversationId: string, dialogId: string, sequence: number): Promise<void> {
    if (!this.options.enabled || !Number.isSafeInteger(sequence) || sequence < 0) return Promise.resolve();
    return this.key(dialogId).hashSet({ [sequence]: String(this.now()) }, SEQUENCE_TTL_MS).then(
      () => this.schedule(conversationId, dialogId, this.options.waitMs),
      (err: unknown) => void this.logger.debug('sequence not recorded for loss detection', { dialogId, error: (err as Error).message }),
    );
  }

  private schedule(conversationId: string, dialogId: string, delayMs: number): void {
    if (this.timers.has(dialogId)) return;
    const timer = setTimeout(() => {
      this.timers.delete(dialogId);
      this.check(conversationId, dialogId).catch((err: unknown) =>
        this.logger.debug('sequence check failed', { dialogId, error: (err as Error).message }),
      );
    }, delayMs);
    timer.unref();
    this.timers.set(dialogId, timer);
  }

  /** Reports every hole old enough to be a loss; comes back later for holes that are not yet. */
  async check(conversationId: string, dialogId: string): Promise<void> {
    const fields = await this.key(dialogId).hashGetMerged();
    const floor = fields[FLOOR] === undefined ? undefined : Number(fields[FLOOR]);
    const seen = Object.entries(fields)
      .filter(([field]) => field !== FLOOR)
      .map(([field, at]) => ({ sequence: Number(field), at: Number(at) }))
      .filter((s) => Number.isSafeInteger(s.sequence) && (floor === undefined || s.sequence >= floor))
      .sort((a, b) => a.sequence - b.sequence);
    const due = this.now() - this.options.waitMs;
    let checkedTo: number | undefined;
    for (let i = 1; i < seen.length; i += 1) {
      const before = seen[i - 1]!;
      const after = seen[i]!;
      if (after.at > due) {
        // Too recent to call: a late delivery may still fill the hole. Look again when it is due.
        this.schedule(conversationId, dialogId, after.at - due);
        break;
      }
      checkedTo = after.sequence;
      if (after.sequence === before.sequence + 1) continue;
      const gap = { conversationId, dialogId, from: before.sequence + 1, to: after.sequence - 1 };
      if (await this.claim(dialogId, gap.from).claim('1', SEQUENCE_TTL_MS)) this.report(gap);
    }
    if (checkedTo !== undefined) await this.key(dialogId).hashSet({ [FLOOR]: String(checkedTo) }, SEQUENCE_TTL_MS);
  }

  stop(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
