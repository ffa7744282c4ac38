import { type InboundContext, normalizeBatch } from '../../../adapters/rightnow/inbound.js';
import { poolOfConfigChange, unwrapGetMessages } from '../../../adapters/rightnow/wire.js';

/** Our client 47, session epoch 3, and one end user we have seen before: client 40 in engagement 147. */
const ctx: InboundContext = {
  ownClientId: '47',
  epoch: '3',
  endUserEngagement: async (clientId) => (clientId === '40' ? '147' : undefined),
};
const read = (reply: unknown, context: InboundContext = ctx) => normalizeBatch(unwrapGetMessages(reply)!, context);
const items = (...list: Record<string, unknown>[]) => ({ getResponseTypes: list });

describe('rightnow getMessages parsing', () => {
  it('when the reply uses the Customer Portal envelope with enum objects, then the activity becomes typing', async () => {
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
    const batch = await read(reply);
    expect(batch.events).toEqual([{
      id: `rightnow:147:seq-3.216@${Date.parse('2021-08-30T19:51:13.817Z')}`,
      kind: 'typing',
      state: 'start',
      origin: { platform: 'rightnow', conversationId: '147' },
      sender: { role: 'customer' },
      timestamp: '2021-08-30T19:51:13.817Z',
    }]);
    expect([...batch.endUsers]).toEqual([['40', '147']]);
  });

  it('when the same reply is read twice, then the event ids are identical (the core can dedupe)', async () => {
    const reply = items({ ChatPostMessage: { engagementId: 5, body: 'x', createdTime: 1700000000000 } });
    const first = (await read(reply)).events.map((e) => e.id);
    const second = (await read(reply)).events.map((e) => e.id);
    expect(first).toEqual(second);
    expect(first[0]).toMatch(/^rightnow:5:h-[0-9a-f]{24}$/);
  });

  it('when a post without messageId reuses a sequence number under a new session epoch, then its id differs', async () => {
    const post = { ChatPostMessage: { engagementId: 5, body: 'x', sequenceNumber: 1, senderType: 'END_USER' } };
    const before = (await read(items(post), { ...ctx, epoch: '3' })).events[0]!.id;
    const after = (await read(items(post), { ...ctx, epoch: '9' })).events[0]!.id;
    expect(before).not.toBe(after);
  });

  it('when a type is unknown or unreadable, then it is reported as unreadable with its payload, never thrown', async () => {
    const batch = await read(items({ ChatSomethingNew: { a: 1 } }, { ChatActivitySignal: { engagementId: 'x' } }, { ChatGetTimeout: {} }, { a: 1, b: 2 }));
    expect(batch.events).toEqual([]);
    expect(batch.ignored).toEqual([]);
    expect(batch.unreadable).toEqual([
      { type: 'ChatSomethingNew', what: 'type', reason: 'unknown-message-type', payload: { a: 1 } },
      { type: 'ChatActivitySignal', what: 'field', reason: 'unreadable-message', payload: { engagementId: 'x' } },
      { type: '(untyped item)', what: 'type', reason: 'unknown-message-type', payload: { a: 1, b: 2 } },
    ]);
  });

  it('when a reply is in neither envelope, then it is not taken for an empty batch', () => {
    expect(unwrapGetMessages({ messages: [{ ChatPostMessage: {} }] })).toBeUndefined();
    expect(unwrapGetMessages('')).toBeUndefined();
    expect(unwrapGetMessages({ getResponseTypes: [] })).toEqual([]);
    expect(unwrapGetMessages({ responses: [] })).toEqual([]);
  });

  it.each([
    ['a pool field', { pool: '298:2' }],
    ['a poolId field', { poolId: '298:2' }],
    ['the Customer Portal configuration item', { name: 'CHAT_CLUSTER_POOL_ID', value: '298:2' }],
    ['a configName item', { configName: 'CHAT_CLUSTER_POOL_ID', value: '298:2' }],
    ['a list of configuration items', { items: [{ name: 'OTHER', value: 'x' }, { name: 'CHAT_CLUSTER_POOL_ID', value: '298:2' }] }],
  ])('when the pool change comes as %s, then the batch names the new pool', async (_what, body) => {
    expect(poolOfConfigChange(body)).toBe('298:2');
    expect((await read(items({ ChatConfigChangeNotification: body }))).pool).toBe('298:2');
  });

  it('when a configuration change names no pool, then it is reported as not recognised', async () => {
    const batch = await read(items({ ChatConfigChangeNotification: { name: 'SOMETHING_ELSE', value: 'x' } }));
    expect(batch.pool).toBeUndefined();
    expect(batch.unreadable).toEqual([
      { type: 'ChatConfigChangeNotification', what: 'field', reason: 'config-change-without-pool', payload: { name: 'SOMETHING_ELSE', value: 'x' } },
    ]);
  });

  it('when the end user\'s client disconnects without an engagement id, then that conversation ends by the customer and is released', async () => {
    const batch = await read(items({ ChatDisconnectNotification: { clientId: 40, reason: 'PARTICIPANT_LEFT' } }));
    expect(batch.sessionEnded).toBe(false);
    expect(batch.events).toMatchObject([{ id: 'rightnow:147:ended', kind: 'conversation.ended', endedBy: 'customer', reason: 'PARTICIPANT_LEFT' }]);
    expect(batch.ended).toEqual(['147']);
  });

  it('when an end user seen earlier in the same batch disconnects, then it is recognised from that batch', async () => {
    const batch = await read(items(
      { ChatPostMessage: { engagementId: 200, body: 'bye', messageId: 'm1', senderId: 77, senderType: 'END_USER' } },
      { ChatDisconnectNotification: { clientId: 77, reason: { value: 'PARTICIPANT_LEFT' } } },
    ));
    expect(batch.events.map((e) => [e.id, e.kind])).toEqual([['rightnow:200:m1', 'message'], ['rightnow:200:ended', 'conversation.ended']]);
  });

  it('when our own client is disconnected without an engagement, then the session is to be re-established', async () => {
    const batch = await read(items({ ChatDisconnectNotification: { clientId: 47, reason: 'EJECTED' } }));
    expect(batch).toMatchObject({ sessionEnded: true, events: [] });
  });

  it.each([
    ['an unknown client', { clientId: 999, reason: 'PARTICIPANT_LEFT' }],
    ['no client and no engagement', { reason: 'SESSION_EXPIRED' }],
  ])('when %s disconnects, then nothing is re-established or ended, and it is reported as not recognised', async (_what, body) => {
    const batch = await read(items({ ChatDisconnectNotification: body }));
    expect(batch).toMatchObject({ sessionEnded: false, events: [], ended: [] });
    expect(batch.unreadable).toEqual([{ type: 'ChatDisconnectNotification', what: 'enum', reason: 'unrecognized-disconnect', payload: body }]);
  });

  it('when our own conclusion comes back, then no event comes out but the engagement is to be released (once, idempotently)', async () => {
    const batch = await read(items({ ChatDisconnectNotification: { engagementId: 147, clientId: 47, reason: 'AGENT_CONCLUDED' } }));
    expect(batch).toMatchObject({ events: [], ended: ['147'], sessionEnded: false, capacityFreed: true });
  });

  it.each([
    ['participant left, role END_USER', { ChatParticipantLeftNotification: { engagementId: 147, clientId: 40, role: 'END_USER' } }],
    ['participant left, known end-user client', { ChatParticipantLeftNotification: { engagementId: 147, clientId: 40 } }],
    ['concluded notification', { ChatEngagementConcludedNotification: { engagementId: 147, reason: 'END_USER_LEFT' } }],
    ['disconnect with engagement, no client', { ChatDisconnectNotification: { engagementId: 147, reason: 'PARTICIPANT_LEFT' } }],
    ['disconnect with engagement and end-user client', { ChatDisconnectNotification: { engagementId: 147, clientId: 40, reason: 'PARTICIPANT_LEFT' } }],
  ])('when the end user leaves (%s), then the conversation ends by the customer', async (_what, item) => {
    const batch = await read(items(item));
    expect(batch.events).toMatchObject([{ id: 'rightnow:147:ended', kind: 'conversation.ended', endedBy: 'customer', sender: { role: 'customer' } }]);
    expect(batch.ended).toEqual(['147']);
  });

  it('when the end user leaves and the engagement is concluded in one batch, then one conversation.ended comes out', async () => {
    const batch = await read(items(
      { ChatParticipantLeftNotification: { engagementId: 147, clientId: 40, role: 'END_USER' } },
      { ChatEngagementConcludedNotification: { engagementId: 147, reason: 'END_USER_LEFT' } },
    ));
    expect(batch.events.map((e) => e.kind)).toEqual(['conversation.ended']);
    expect(batch.ended).toEqual(['147']);
  });

  it('when another agent leaves, then it stays participant.left and the conversation goes on', async () => {
    const batch = await read(items({ ChatParticipantLeftNotification: { engagementId: 147, clientId: 55, role: 'CONFEREE' } }));
    expect(batch.events).toMatchObject([{ kind: 'participant.left', participant: { id: '55', role: 'agent' } }]);
    expect(batch.ended).toEqual([]);
  });
});
