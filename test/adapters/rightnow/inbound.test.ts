import { normalizeBatch } from '../../../adapters/rightnow/inbound.js';
import { unwrapGetMessages } from '../../../adapters/rightnow/wire.js';

describe('rightnow getMessages parsing', () => {
  it('when the reply uses the Customer Portal envelope with enum objects, then the activity becomes typing', () => {
    const reply = {
      responses: [{
        getResponseTypes: [{
          sequenceNumber: 216, clientId: 40, engagementId: 147, senderId: 40,
          mode: { value: 'RESPONDING', chatMessageType: 'ChatInteractionMode' },
          senderType: { value: 'END_USER', chatMessageType: 'ChatChannelType' },
          createdTime: '2021-08-30T19:51:13.817Z',
          chatMessageType: 'ChatActivitySignal',
        }],
        sessionId: 'node0x', chatMessageType: 'ChatGetResponse',
      }],
      chatMessageType: 'ChatMessage',
    };
    const batch = normalizeBatch(unwrapGetMessages(reply), '47');
    expect(batch.events).toEqual([{
      id: 'rightnow:147:seq-216',
      kind: 'typing',
      state: 'start',
      origin: { platform: 'rightnow', conversationId: '147' },
      sender: { role: 'customer' },
      timestamp: '2021-08-30T19:51:13.817Z',
    }]);
  });

  it('when the same reply is read twice, then the event ids are identical (the core can dedupe)', () => {
    const reply = { getResponseTypes: [{ ChatPostMessage: { engagementId: 5, body: 'x', createdTime: 1700000000000 } }] };
    const first = normalizeBatch(unwrapGetMessages(reply), undefined).events.map((e) => e.id);
    const second = normalizeBatch(unwrapGetMessages(reply), undefined).events.map((e) => e.id);
    expect(first).toEqual(second);
    expect(first[0]).toMatch(/^rightnow:5:h-[0-9a-f]{24}$/);
  });

  it('when a type is unknown or unreadable, then it is reported as ignored, never thrown', () => {
    const reply = { getResponseTypes: [{ ChatSomethingNew: { a: 1 } }, { ChatActivitySignal: { engagementId: 'x' } }, { ChatGetTimeout: {} }] };
    const batch = normalizeBatch(unwrapGetMessages(reply), undefined);
    expect(batch.events).toEqual([]);
    expect(batch.ignored).toEqual([
      { type: 'ChatSomethingNew', reason: 'unknown-message-type' },
      { type: 'ChatActivitySignal', reason: 'unreadable-message' },
    ]);
  });

  it('when the pool changes or the session is disconnected, then the batch says so', () => {
    const reply = { getResponseTypes: [{ ChatConfigChangeNotification: { pool: '298:2' } }, { ChatDisconnectNotification: { reason: 'SESSION_EXPIRED' } }] };
    expect(normalizeBatch(unwrapGetMessages(reply), undefined)).toMatchObject({ pool: '298:2', sessionEnded: true, events: [] });
  });
});
