import type { Delivery } from '../../src/delivery/delivery.js';

/** A queued customer message of `conversationId` towards platform `b`, for queue-level tests. */
export function messageDelivery(conversationId: string, id: string): Delivery {
  return {
    event: {
      kind: 'message',
      id,
      tenant: 't1',
      conversationId,
      origin: { platform: 'a', conversationId: `native-${conversationId}` },
      sender: { role: 'customer' },
      timestamp: new Date(0).toISOString(),
      text: id,
    },
    target: 'b',
    acceptedAt: 0,
  } as Delivery;
}
