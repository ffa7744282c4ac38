import type { MappingStore } from '../store/mapping-store.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';

/**
 * Events a vendor numbered but never delivered to us: a hole in a stream whose numbers are consecutive
 * (LivePerson's per-dialog `sequence`). The customer may have missed a message, so each gap is counted
 * (`chatbridge_inbound_gaps_total{tenant}`), logged as a warning with where and what is missing, and
 * kept for the status page. The adapter decides what a gap is (after waiting for late deliveries);
 * this is only where it is reported.
 */
export interface InboundGap {
  /** The platform's native conversation id. */
  conversationId: string;
  /** The numbered stream within it, when the vendor has several (a LivePerson dialog). */
  dialogId?: string;
  /** The first and last missing numbers, inclusive. */
  from: number;
  to: number;
}

export interface InboundGapRecord extends InboundGap {
  at: string;
  tenant: string;
  platform: string;
  /** The bridge conversation the native one belongs to, when the mapping knows it. */
  bridgeConversationId?: string;
}

/** How many gaps a process keeps for the status page (the newest). */
export const INBOUND_GAPS_KEPT = 50;

export class InboundGaps {
  private readonly records: InboundGapRecord[] = [];

  constructor(
    private readonly metrics: Metrics,
    private readonly logger: Logger,
    private readonly store: MappingStore,
  ) {}

  async report(tenant: string, platform: string, gap: InboundGap): Promise<void> {
    this.metrics.inboundGaps.inc({ tenant });
    const resolved = await this.store.resolveConversation(tenant, platform, gap.conversationId).catch(() => undefined);
    const record: InboundGapRecord = { at: new Date().toISOString(), tenant, platform, ...gap, ...(resolved ? { bridgeConversationId: resolved.id } : {}) };
    this.logger.warn('inbound events missing: the vendor numbered events it never delivered; the customer may have missed a message', {
      tenant,
      platform,
      conversationId: gap.conversationId,
      dialogId: gap.dialogId,
      bridgeConversationId: record.bridgeConversationId,
      missing: gap.from === gap.to ? `${gap.from}` : `${gap.from}-${gap.to}`,
    });
    this.records.push(record);
    if (this.records.length > INBOUND_GAPS_KEPT) this.records.shift();
  }

  /** Newest first: what this instance detected (each gap is detected by one instance). */
  list(): InboundGapRecord[] {
    return [...this.records].reverse();
  }
}
