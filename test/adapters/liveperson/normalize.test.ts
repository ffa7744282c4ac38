import { readFileSync } from 'node:fs';
import { PayloadError } from '../../../src/errors.js';
import { makeConnector, makeRuntime, TENANT } from './harness.js';

const CONV = '5491e1b4-6c59-4e0e-b8b4-bf0a0e2c2ee1';
const config = { accountId: '42257269', clientId: 'c', clientSecret: 's' };

function setup() {
  const runtime = makeRuntime();
  return { runtime, connector: makeConnector(config, runtime) };
}

const change = (over: Record<string, unknown>) => ({
  sequence: 2,
  originatorId: 'agent-1',
  originatorMetadata: { id: 'agent-1', role: 'ASSIGNED_AGENT' },
  serverTimestamp: 1528371199686,
  event: { type: 'ContentEvent', message: 'Hello from the Agent\n', contentType: 'text/plain' },
  conversationId: CONV,
  dialogId: CONV,
  messageAudience: 'ALL',
  ...over,
});
const messaging = (...changes: unknown[]) => ({ kind: 'notification', type: 'ms.MessagingEventNotification', body: { changes } });

describe('LivePerson messaging notifications', () => {
  it('when a notification holds several changes, then every one becomes an event in order', async () => {
    const { connector } = setup();
    const events = await connector.normalize!(
      messaging(
        change({}),
        change({ sequence: 3, event: { type: 'ContentEvent', message: 'second', contentType: 'text/plain' } }),
        change({ sequence: undefined, serverTimestamp: undefined, event: { type: 'ChatStateEvent', chatState: 'COMPOSING' } }),
      ),
    );
    expect(events.map((e) => e.kind)).toEqual(['message', 'message', 'typing']);
    expect(events[0]).toEqual({
      id: `liveperson:${CONV}:2`,
      kind: 'message',
      text: 'Hello from the Agent\n',
      origin: { platform: 'liveperson', conversationId: CONV, messageId: `${CONV}:2` },
      sender: { role: 'agent', id: 'agent-1' },
      timestamp: new Date(1528371199686).toISOString(),
    });
    expect(events[1]!.id).toBe(`liveperson:${CONV}:3`);
    expect(events[2]).toMatchObject({ kind: 'typing', state: 'start' });
  });

  it('when the same notification is redelivered, then the events carry identical ids', async () => {
    const { connector } = setup();
    const body = messaging(change({}), change({ sequence: 5, event: { type: 'AcceptStatusEvent', status: 'READ', sequenceList: [1] } }));
    const first = await connector.normalize!(body);
    const again = await connector.normalize!(structuredClone(body));
    expect(again.map((e) => e.id)).toEqual(first.map((e) => e.id));
    expect(first.length).toBeGreaterThan(0);
  });

  it('when our own consumer message comes back (role CONSUMER), then it is dropped as an echo', async () => {
    const { connector, runtime } = setup();
    const echo = change({ originatorMetadata: { id: 'f'.repeat(64), role: 'CONSUMER' }, originatorId: 'f'.repeat(64) });
    expect(await connector.normalize!(messaging(echo))).toEqual([]);
    expect(runtime.drops).toEqual([{ kind: 'vendor', reason: 'echo', type: 'ContentEvent' }]);
  });

  it('when a message is not for ALL (a private agent note) or has no audience, then it is dropped', async () => {
    const { connector, runtime } = setup();
    const events = await connector.normalize!(
      messaging(change({ messageAudience: 'AGENTS_AND_MANAGERS' }), change({ sequence: 9, messageAudience: undefined }), change({ sequence: 10 })),
    );
    expect(events.map((e) => e.id)).toEqual([`liveperson:${CONV}:10`]);
    expect(runtime.drops.map((d) => d.reason)).toEqual(['private', 'private']);
  });

  it('when a manager writes to ALL, then it reaches the customer as an agent; a controller or reader does not', async () => {
    const { connector, runtime } = setup();
    const events = await connector.normalize!(
      messaging(
        change({ sequence: 3, originatorMetadata: { id: 'm', role: 'MANAGER' } }),
        change({ sequence: 4, originatorMetadata: { id: 'c', role: 'CONTROLLER' } }),
        change({ sequence: 5, originatorMetadata: { id: 'r', role: 'READER' } }),
      ),
    );
    expect(events.map((e) => [e.id, e.sender])).toEqual([[`liveperson:${CONV}:3`, { role: 'agent', id: 'm' }]]);
    expect(runtime.drops).toEqual([
      { kind: 'vendor', reason: 'other-participant', type: 'ContentEvent' },
      { kind: 'vendor', reason: 'other-participant', type: 'ContentEvent' },
    ]);
  });

  it('when the agent reads messages we delivered, then the receipt names their canonical ids', async () => {
    const { connector, runtime } = setup();
    await runtime.store.linkMessage(TENANT, 'egain:c:1', 'liveperson', `${CONV}:0`);
    await runtime.store.linkMessage(TENANT, 'egain:c:2', 'liveperson', `${CONV}:1`);
    const [receipt] = await connector.normalize!(
      messaging(change({ sequence: 4, event: { type: 'AcceptStatusEvent', status: 'READ', sequenceList: [0, 1, 77] } })),
    );
    expect(receipt).toMatchObject({ id: `liveperson:${CONV}:4`, kind: 'receipt', status: 'read', messageIds: ['egain:c:1', 'egain:c:2'] });
  });

  it('when an agent receipt refers to nothing we know, then it is dropped', async () => {
    const { connector, runtime } = setup();
    const body = messaging(change({ event: { type: 'AcceptStatusEvent', status: 'ACCEPT', sequenceList: [3] } }));
    expect(await connector.normalize!(body)).toEqual([]);
    expect(runtime.drops[0]!.reason).toBe('unknown-messages');
  });

  it('when the agent stops typing, then typing stop is emitted with a stable id when a timestamp exists', async () => {
    const { connector } = setup();
    const body = messaging(change({ sequence: 0, event: { type: 'ChatStateEvent', chatState: 'ACTIVE' } }));
    const [a] = await connector.normalize!(body);
    const [b] = await connector.normalize!(body);
    expect(a).toMatchObject({ kind: 'typing', state: 'stop' });
    expect(a!.id).toBe(b!.id);
  });

  it('when the payload is not a notification, then PayloadError names the path', async () => {
    const { connector } = setup();
    const err = (await Promise.resolve(connector.normalize!({ kind: 'notification', type: 'x', body: {} })).catch((e: unknown) => e)) as PayloadError;
    expect(err).toBeInstanceOf(PayloadError);
    expect(err.details?.[0]?.path).toBe('body.body.changes');
  });

  it('when one change of a batch is malformed, then it alone is reported unrecognised and the others still count', async () => {
    const { connector, runtime } = setup();
    const events = await connector.normalize!(messaging(change({ dialogId: undefined }), change({ sequence: 3 })));
    expect(events.map((e) => e.id)).toEqual([`liveperson:${CONV}:3`]);
    expect(runtime.drops).toEqual([]);
    expect(runtime.unrecognizedSeen).toEqual([
      expect.objectContaining({ what: 'field', detail: expect.stringContaining('change.dialogId') }),
    ]);
  });

  it('when an unknown notification type arrives, then it is reported unrecognised, not refused', async () => {
    const { connector, runtime } = setup();
    expect(await connector.normalize!({ kind: 'notification', type: 'ms.Other', body: { changes: [{}, {}] } })).toEqual([]);
    expect(runtime.drops).toEqual([]);
    expect(runtime.unrecognizedSeen).toEqual([expect.objectContaining({ what: 'type', detail: 'notification type ms.Other' })]);
  });

  it('when the payload is not a notification, then it is reported as an unknown envelope besides the 400', async () => {
    const { connector, runtime } = setup();
    await expect(Promise.resolve(connector.normalize!({ hello: 1 }))).rejects.toBeInstanceOf(PayloadError);
    expect(runtime.unrecognizedSeen).toEqual([expect.objectContaining({ what: 'envelope', payload: { hello: 1 } })]);
  });

  it.each([
    ['an undocumented event type', { event: { type: 'FancyEvent' } }, 'type', 'event type FancyEvent'],
    ['a role LivePerson does not document', { originatorMetadata: { id: 'x', role: 'ROBOT' } }, 'enum', 'ContentEvent from role ROBOT'],
    ['no originator role', { originatorMetadata: undefined }, 'field', 'ContentEvent without originatorMetadata.role'],
    ['an undocumented content type', { event: { type: 'ContentEvent', contentType: 'text/html', message: '<b>x</b>' } }, 'enum', 'ContentEvent contentType text/html'],
    ['a text whose message is not a string', { event: { type: 'ContentEvent', contentType: 'text/plain', message: { text: 'x' } } }, 'field', 'ContentEvent text/plain with a message of type object'],
    ['a content event without sequence', { sequence: undefined }, 'field', 'ContentEvent without sequence'],
    ['an undocumented receipt status', { event: { type: 'AcceptStatusEvent', status: 'SEEN', sequenceList: [1] } }, 'enum', 'AcceptStatusEvent status SEEN'],
    ['an undocumented chat state', { event: { type: 'ChatStateEvent', chatState: 'THINKING' } }, 'enum', 'ChatStateEvent chatState THINKING'],
  ])('when a change carries %s, then it is reported unrecognised (not dropped quietly)', async (_case, over, what, detail) => {
    const { connector, runtime } = setup();
    expect(await connector.normalize!(messaging(change(over)))).toEqual([]);
    expect(runtime.drops).toEqual([]);
    expect(runtime.unrecognizedSeen).toEqual([expect.objectContaining({ what, detail })]);
  });

  it('when a change is one LivePerson documents and the bridge ignores on purpose, then it is a drop, not unrecognised', async () => {
    const { connector, runtime } = setup();
    const events = await connector.normalize!(
      messaging(
        change({ originatorMetadata: { id: 'c', role: 'CONSUMER' } }),
        change({ originatorMetadata: { id: 'r', role: 'READER' } }),
        change({ messageAudience: 'AGENTS_AND_MANAGERS' }),
        change({ event: { type: 'AcceptStatusEvent', status: 'ACCESS', sequenceList: [1] } }),
        change({ event: { type: 'AcceptStatusEvent', status: 'NACK', sequenceList: [1] } }),
      ),
    );
    expect(events).toEqual([]);
    expect(runtime.unrecognizedSeen).toEqual([]);
    expect(runtime.drops.map((d) => d.reason)).toEqual(['echo', 'other-participant', 'private', 'not-carried', 'not-carried']);
  });
});

const exconv = (ts: number, opts: { agent?: string; state?: 'OPEN' | 'CLOSE'; closeReason?: string }) => {
  const participants = [{ id: 'consumer-1', role: 'CONSUMER' }, ...(opts.agent ? [{ id: opts.agent, role: 'ASSIGNED_AGENT' }] : [])];
  return {
    kind: 'notification',
    type: 'cqm.ExConversationChangeNotification',
    body: {
      changes: [
        {
          type: 'UPSERT',
          result: {
            convId: CONV,
            conversationDetails: {
              participants,
              dialogs: [{ dialogId: CONV, participantsDetails: participants, dialogType: 'MAIN', state: opts.state ?? 'OPEN', metaDataLastUpdateTs: ts }],
              state: opts.state ?? 'OPEN',
              ...(opts.closeReason ? { closeReason: opts.closeReason } : {}),
              metaDataLastUpdateTs: ts,
            },
          },
        },
      ],
    },
  };
};

describe('LivePerson conversation change notifications', () => {
  it('when an agent is assigned, then transferred, then the conversation closes, then joined / left+joined / ended follow', async () => {
    const { connector } = setup();
    const joined = await connector.normalize!(exconv(100, { agent: 'a1' }));
    const transfer = await connector.normalize!(exconv(200, { agent: 'a2' }));
    const closed = await connector.normalize!(exconv(300, { agent: 'a2', state: 'CLOSE', closeReason: 'AGENT' }));
    expect(joined).toEqual([
      expect.objectContaining({ id: `liveperson:${CONV}:100:joined:a1`, kind: 'participant.joined', participant: { id: 'a1', role: 'agent' }, transfer: false }),
    ]);
    expect(transfer).toEqual([
      expect.objectContaining({ kind: 'participant.left', participant: { id: 'a1', role: 'agent' }, reason: 'transfer' }),
      expect.objectContaining({ kind: 'participant.joined', participant: { id: 'a2', role: 'agent' }, transfer: true }),
    ]);
    expect(closed).toEqual([expect.objectContaining({ kind: 'conversation.ended', endedBy: 'agent', reason: 'AGENT' })]);
  });

  it('when an older notification arrives after a newer one, then it is dropped as stale', async () => {
    const { connector, runtime } = setup();
    await connector.normalize!(exconv(100, { agent: 'a1' }));
    await connector.normalize!(exconv(200, { agent: 'a2' }));
    expect(await connector.normalize!(exconv(150, { agent: 'a1' }))).toEqual([]);
    expect(runtime.drops).toEqual([{ kind: 'vendor', reason: 'stale', type: 'cqm.ExConversationChange' }]);
    // The stale one did not rewind the state: the next change still compares against a2.
    const next = await connector.normalize!(exconv(250, { agent: 'a2', state: 'CLOSE', closeReason: 'CONSUMER' }));
    expect(next).toEqual([expect.objectContaining({ kind: 'conversation.ended', endedBy: 'customer' })]);
  });

  it('when the latest notification is redelivered, then the same events come out with the same ids', async () => {
    const { connector } = setup();
    await connector.normalize!(exconv(100, { agent: 'a1' }));
    const first = await connector.normalize!(exconv(200, { agent: 'a2' }));
    const again = await connector.normalize!(exconv(200, { agent: 'a2' }));
    expect(again).toEqual(first);
    expect(first).toHaveLength(2);
  });

  it('when the agent goes back to the queue, then participant.left is emitted', async () => {
    const { connector } = setup();
    await connector.normalize!(exconv(100, { agent: 'a1' }));
    const left = await connector.normalize!(exconv(200, {}));
    expect(left).toEqual([expect.objectContaining({ kind: 'participant.left', reason: 'unassigned' })]);
  });

  it("when LivePerson's own close example arrives, then the customer ended it", async () => {
    const { connector } = setup();
    const body = JSON.parse(readFileSync(new URL('./fixtures/lp-demo-exconv-close.json', import.meta.url), 'utf8')) as unknown;
    const events = await connector.normalize!(body);
    expect(events).toEqual([
      expect.objectContaining({
        id: 'liveperson:b8b83fe9-75f0-46f2-baaa-2930f7192cfb:1545399379370:closed',
        kind: 'conversation.ended',
        endedBy: 'customer',
        timestamp: new Date(1545399379370).toISOString(),
      }),
    ]);
  });

  it('when a conversation is already closed, then later notifications emit nothing', async () => {
    const { connector } = setup();
    await connector.normalize!(exconv(100, { state: 'CLOSE', closeReason: 'SYSTEM' }));
    expect(await connector.normalize!(exconv(200, { state: 'CLOSE', closeReason: 'SYSTEM' }))).toEqual([]);
  });
});
