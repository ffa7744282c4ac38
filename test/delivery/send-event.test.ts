import { sendEvent } from '../../src/delivery/send-event.js';
import type { ConversationEvent } from '../../src/model/events.js';
import type { DeliveryContext, OutboundHandlers } from '../../src/ports/adapter.js';

const ctx = {} as DeliveryContext;
const event = (body: Record<string, unknown>) =>
  ({
    id: 'alpha:c1:1',
    tenant: 'acme',
    conversationId: 'conv-1',
    origin: { platform: 'alpha', conversationId: 'c1' },
    sender: { role: 'agent' },
    timestamp: '2024-01-01T00:00:00.000Z',
    ...body,
  }) as ConversationEvent;

describe('sending an event through the target handlers', () => {
  const seen: string[] = [];
  const handlers: OutboundHandlers = {
    message: async (e) => {
      seen.push(`message ${e.text}`);
      return { status: 'sent', nativeMessageIds: ['n-1'] };
    },
    typing: async (e) => {
      seen.push(`typing ${e.state}`);
      return { status: 'sent' };
    },
  };

  it('when the target has a handler for the kind, then that handler sends it and its result is returned', async () => {
    expect(await sendEvent(handlers, event({ kind: 'message', text: 'hi', richText: false, attachments: [] }), ctx)).toEqual({
      status: 'sent',
      nativeMessageIds: ['n-1'],
    });
    expect(await sendEvent(handlers, event({ kind: 'typing', state: 'start' }), ctx)).toEqual({ status: 'sent' });
    expect(seen).toEqual(['message hi', 'typing start']);
  });

  it('when the target declares no handler for the kind, then the core drops it with the one reason, calling nothing', async () => {
    seen.length = 0;
    const receipt = event({ kind: 'receipt', status: 'read', messageIds: ['x'] });
    const left = event({ kind: 'participant.left', participant: { id: 'a1', role: 'agent' } });
    expect(await sendEvent(handlers, receipt, ctx)).toEqual({ status: 'dropped', reason: 'unsupported-kind' });
    expect(await sendEvent(handlers, left, ctx)).toEqual({ status: 'dropped', reason: 'unsupported-kind' });
    expect(seen).toEqual([]);
  });
});
