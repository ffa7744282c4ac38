import type { ConversationEvent } from '../model/events.js';

/**
 * A message the bridge itself says in a conversation (a hand-off summary, a notice to a sender), tied
 * to the event that caused it: its id derives from that event's, so a redelivered or retried cause
 * never says it twice (the queue dedupes on the id).
 */
export function systemMessage(cause: ConversationEvent, purpose: 'summary' | 'notice', text: string): ConversationEvent {
  return {
    kind: 'message',
    id: `${cause.id}:${purpose}`,
    tenant: cause.tenant,
    conversationId: cause.conversationId,
    origin: { platform: cause.origin.platform, conversationId: cause.origin.conversationId },
    sender: { role: 'system' },
    timestamp: new Date().toISOString(),
    text,
    richText: false,
    attachments: [],
  };
}
