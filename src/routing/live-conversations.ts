import type { ConversationRecord, MappingStore } from '../store/mapping-store.js';

/** How many conversations per tenant the index remembers; older ones fall off (it is a glance, not an archive). */
export const LIVE_INDEX_LENGTH = 200;

/**
 * A bounded index of each tenant's newest conversations, so an operator (the /admin page) and the
 * sandbox can find live conversations without scanning the store. Written by the ingestor: a
 * conversation enters when it is created and leaves when it ends. Ending marks the conversation's record
 * (`endedAt`) instead of rewriting the list, so the index needs only the store's append-and-trim list,
 * one key per tenant (fine on Redis Cluster).
 */
export class LiveConversations {
  constructor(
    private readonly store: MappingStore,
    private readonly maxLength = LIVE_INDEX_LENGTH,
  ) {}

  private indexKey(tenant: string): string {
    return this.store.key('live', tenant);
  }

  async opened(tenant: string, conversationId: string): Promise<void> {
    await this.store.listAppend(this.indexKey(tenant), conversationId, { maxLength: this.maxLength });
  }

  async ended(tenant: string, conversationId: string): Promise<void> {
    await this.store.setConversationAttrs(tenant, conversationId, { endedAt: new Date().toISOString() });
  }

  /** Newest first; conversations that ended or whose mapping expired are left out. */
  async list(tenant: string, limit = this.maxLength): Promise<ConversationRecord[]> {
    const ids = (await this.store.listRange(this.indexKey(tenant))).reverse();
    const live: ConversationRecord[] = [];
    for (const id of ids) {
      if (live.length >= limit) break;
      const record = await this.store.getConversation(tenant, id);
      if (record && !record.attrs.endedAt) live.push(record);
    }
    return live;
  }
}
