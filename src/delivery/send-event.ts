import type { ConversationEvent, EventKind } from '../model/events.js';
import type { DeliveryContext, OutboundHandler, OutboundHandlers, SendResult } from '../ports/adapter.js';

/**
 * One event through the target's handler for its kind. A kind the target declares no handler for is
 * dropped here, with the one reason, so no adapter needs a catch-all of its own.
 */
export function sendEvent(handlers: OutboundHandlers, event: ConversationEvent, ctx: DeliveryContext): Promise<SendResult> {
  // The map pairs each kind with its own handler; indexing it by a union of kinds loses that pairing.
  const handler = handlers[event.kind] as OutboundHandler<EventKind> | undefined;
  if (!handler) return Promise.resolve({ status: 'dropped', reason: 'unsupported-kind' });
  return handler(event, ctx);
}
