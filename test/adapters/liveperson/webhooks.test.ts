import { ConversationGoneError } from '../../../src/errors.js';
import { event, type Stack, startStack } from './harness.js';

describe('LivePerson webhooks from the simulator to the connector', () => {
  let stack: Stack;
  afterEach(async () => stack.close());

  async function openConversation() {
    const ctx = await stack.deliveryContext();
    await stack.deliver(event(ctx, { kind: 'message', text: 'I need help 🙏' }), ctx);
    await stack.simulator.settle();
    return { ctx, dialogId: ctx.conversation.nativeId()! };
  }

  it('when our consumer message and the new conversation are notified back, then nothing is emitted and the echo is counted', async () => {
    stack = await startStack();
    await openConversation();
    const posted = stack.simulator.posted.map((p) => JSON.parse(p.raw) as { type: string });
    expect(posted.map((p) => p.type).sort()).toEqual(['cqm.ExConversationChangeNotification', 'ms.MessagingEventNotification']);
    expect(stack.simulator.posted.every((p) => p.status === 200)).toBe(true);
    expect(stack.receiver.events).toEqual([]);
    expect(stack.runtime.drops).toEqual([{ kind: 'vendor', reason: 'echo', type: 'ContentEvent' }]);
  });

  it('when we close the conversation, then its CLOSE notification is not bounced back as conversation.ended', async () => {
    stack = await startStack();
    const { ctx, dialogId } = await openConversation();
    await stack.simulator.agentJoins(dialogId, { id: 'a1' });
    await stack.deliver(event(ctx, { kind: 'conversation.ended', endedBy: 'customer' }), ctx);
    await stack.simulator.settle();
    expect(stack.receiver.events.map((e) => e.kind)).toEqual(['participant.joined']);
    expect(stack.runtime.drops).toContainEqual({ kind: 'conversation.ended', reason: 'echo' });
  });

  it('when the agent closed first, then a later customer message reports the conversation gone and a later end is dropped', async () => {
    stack = await startStack();
    const { ctx, dialogId } = await openConversation();
    await stack.simulator.closeConversation(dialogId, 'AGENT');
    await expect(stack.deliver(event(ctx, { kind: 'message', text: 'hello?' }), ctx)).rejects.toBeInstanceOf(ConversationGoneError);
    expect(await stack.deliver(event(ctx, { kind: 'conversation.ended', endedBy: 'customer' }), ctx)).toEqual({
      status: 'dropped',
      reason: 'already-ended',
    });
  });

  it('when an agent joins, types and answers with two messages in one webhook, then the events follow in order', async () => {
    stack = await startStack();
    const { dialogId } = await openConversation();
    await stack.simulator.agentJoins(dialogId, { id: 'agent-7' });
    await stack.simulator.agentTyping(dialogId);
    const said = await stack.simulator.agentSays(dialogId, ['Hi, I am Ana 😊', 'How can I help?']);
    expect(said.status).toBe(200);
    const kinds = stack.receiver.events.map((e) => e.kind);
    expect(kinds).toEqual(['participant.joined', 'typing', 'message', 'message']);
    expect(stack.receiver.events.slice(2).map((e) => (e.kind === 'message' ? e.text : ''))).toEqual(['Hi, I am Ana 😊', 'How can I help?']);
    expect(stack.receiver.events.every((e) => e.origin.conversationId === dialogId)).toBe(true);
  });

  it('when LivePerson redelivers a webhook byte for byte, then the events have the same ids (the core dedupes)', async () => {
    stack = await startStack();
    const { dialogId } = await openConversation();
    await stack.simulator.agentSays(dialogId, 'once');
    const again = await stack.simulator.repost(-1);
    expect(again.status).toBe(200);
    const ids = stack.receiver.events.map((e) => e.id);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(ids[1]);
  });

  it('when a private note is posted, then it never reaches the customer side', async () => {
    stack = await startStack();
    const { dialogId } = await openConversation();
    await stack.simulator.agentSays(dialogId, 'internal note', { audience: 'AGENTS_AND_MANAGERS' });
    expect(stack.receiver.events).toEqual([]);
  });

  it('when a supervisor (MANAGER) writes to ALL, then the customer receives it as an agent message, but not a MANAGER private note', async () => {
    stack = await startStack();
    const { dialogId } = await openConversation();
    await stack.simulator.agentSays(dialogId, 'Supervisor here, I will take it from now', { role: 'MANAGER' });
    await stack.simulator.agentSays(dialogId, 'note to the agent', { role: 'MANAGER', audience: 'AGENTS_AND_MANAGERS' });
    expect(stack.receiver.events).toHaveLength(1);
    expect(stack.receiver.events[0]).toMatchObject({
      kind: 'message',
      text: 'Supervisor here, I will take it from now',
      sender: { role: 'agent', id: 'sim-manager' },
    });
    expect(stack.runtime.drops).toContainEqual({ kind: 'vendor', reason: 'private', type: 'ContentEvent' });
  });

  it('when an older conversation change arrives after a transfer, then it is ignored as stale', async () => {
    stack = await startStack();
    const { dialogId } = await openConversation();
    await stack.simulator.agentJoins(dialogId, { id: 'a1' });
    await stack.simulator.agentJoins(dialogId, { id: 'a2' });
    const before = stack.receiver.events.length;
    const stale = await stack.simulator.repost(-2);
    expect(stale.status).toBe(200);
    expect(stack.receiver.events.length).toBe(before);
    expect(stack.runtime.drops.some((d) => d.reason === 'stale')).toBe(true);
  });

  it('when the agent reads our message, then a read receipt names the canonical message', async () => {
    stack = await startStack();
    const ctx = await stack.deliveryContext();
    const ours = event(ctx, { kind: 'message', text: 'did you see this?' });
    const sent = await stack.deliver(ours, ctx);
    const sequence = Number((sent as { nativeMessageIds: string[] }).nativeMessageIds[0]!.split(':').pop());
    await stack.simulator.agentReads(ctx.conversation.nativeId()!, [sequence]);
    expect(stack.receiver.events).toEqual([expect.objectContaining({ kind: 'receipt', status: 'read', messageIds: [ours.id] })]);
  });

  it('when the agent closes the conversation, then conversation.ended says the agent ended it', async () => {
    stack = await startStack();
    const { dialogId } = await openConversation();
    await stack.simulator.agentJoins(dialogId, { id: 'a1' });
    await stack.simulator.closeConversation(dialogId, 'AGENT');
    expect(stack.receiver.events.at(-1)).toMatchObject({ kind: 'conversation.ended', endedBy: 'agent' });
  });

  it('when a webhook carries a bad signature or another account, then it is refused with 401 and nothing is emitted', async () => {
    stack = await startStack();
    const { dialogId } = await openConversation();
    const raw = JSON.stringify({ kind: 'notification', type: 'ms.MessagingEventNotification', body: { changes: [] } });
    expect((await stack.simulator.postRaw(raw, 'sha1=AAAAAAAAAAAAAAAAAAAAAAAAAAA=')).status).toBe(401);
    expect((await stack.simulator.postRaw(raw, '')).status).toBe(401);
    await stack.simulator.agentSays(dialogId, 'fine');
    expect(stack.receiver.events).toHaveLength(1);

    const other = await startStack({ accountId: '999', clientSecret: stack.simulator.clientSecret });
    try {
      other.simulator.setWebhookUrl(stack.receiver.url);
      const forged = JSON.stringify({ kind: 'notification', type: 'ms.MessagingEventNotification', body: { changes: [] } });
      expect((await other.simulator.postRaw(forged)).status).toBe(401);
    } finally {
      await other.close();
    }
  });
});
