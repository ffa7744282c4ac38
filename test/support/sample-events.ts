import { ConversationEvent, type EventKind } from '../../src/model/events.js';
import type { RouteRole } from '../../src/ports/adapter.js';

/** The platform the samples come from: none of the registered ones, as for any target. */
export const SAMPLE_ORIGIN = 'elsewhere';

/**
 * One valid canonical event of every kind, addressed to a target playing `role` in conversation
 * `conversationId` (`originConversationId` on the platform they come from), keyed in the order of a conversation's life (started first, ended last) so that
 * delivering them in turn reaches each kind's handler while the conversation is still open. They come
 * from the other side of the route: an agent's towards a customer platform, a customer's towards an agent
 * platform. A kind added to the canonical model does not compile here until it has a sample.
 */
export function sampleEvents(args: {
  tenant: string;
  conversationId: string;
  originConversationId: string;
  role: RouteRole;
}): Record<EventKind, ConversationEvent> {
  const from = args.role === 'customer' ? 'agent' : 'customer';
  const participant = { id: `${from}-1`, name: from === 'agent' ? 'Ann Agent' : 'Carl Customer', role: from };
  const customer = { id: 'customer-1', firstName: 'Carl', lastName: 'Customer', email: 'carl@example.com', language: 'en-US' };
  const event = (kind: EventKind, body: Record<string, unknown>): ConversationEvent =>
    ConversationEvent.parse({
      id: `${SAMPLE_ORIGIN}:${args.conversationId}:${kind}`,
      tenant: args.tenant,
      conversationId: args.conversationId,
      origin: { platform: SAMPLE_ORIGIN, conversationId: args.originConversationId, messageId: kind },
      sender: { role: from, id: participant.id, name: participant.name },
      timestamp: new Date().toISOString(),
      kind,
      ...body,
    });
  const message = event('message', { text: 'Hello from the other side' });
  return {
    'conversation.started': event('conversation.started', { customer, subject: 'A question' }),
    'customer.info': event('customer.info', { customer }),
    'participant.joined': event('participant.joined', { participant }),
    message,
    typing: event('typing', { state: 'start' }),
    receipt: event('receipt', { status: 'read', messageIds: [message.id] }),
    'participant.left': event('participant.left', { participant }),
    'conversation.ended': event('conversation.ended', { endedBy: from }),
  };
}
