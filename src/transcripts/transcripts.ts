import type { TranscriptsConfig } from '../config/schema.js';
import { ConversationEvent } from '../model/events.js';
import type { MappingStore } from '../store/mapping-store.js';
import type { z } from 'zod';

/**
 * The transcript of each conversation: every event the bridge accepted for it, in acceptance order,
 * as a bounded list in the store (newest `maxEvents`, expiring `retentionSeconds` after the last one).
 * One key per conversation, so it works unchanged on Redis Cluster.
 */
export class Transcripts {
  constructor(
    private readonly store: MappingStore,
    private readonly config: z.infer<typeof TranscriptsConfig>,
  ) {}

  private key(tenant: string, conversationId: string): string {
    return this.store.key('transcript', tenant, conversationId);
  }

  async append(event: ConversationEvent): Promise<void> {
    await this.store.listAppend(this.key(event.tenant, event.conversationId), JSON.stringify(event), {
      maxLength: this.config.maxEvents,
      ttlMs: this.config.retentionSeconds * 1000,
    });
  }

  /** Oldest first; entries that no longer parse (written by another version) are skipped. */
  async read(tenant: string, conversationId: string): Promise<ConversationEvent[]> {
    const raw = await this.store.listRange(this.key(tenant, conversationId));
    const events: ConversationEvent[] = [];
    for (const entry of raw) {
      const parsed = ConversationEvent.safeParse(safeJson(entry));
      if (parsed.success) events.push(parsed.data);
    }
    return events;
  }

  get summaryMessages(): number {
    return this.config.summaryMessages;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
