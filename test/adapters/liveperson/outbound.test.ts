import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PermanentError } from '../../../src/errors.js';
import { event, type Stack, startStack } from './harness.js';

describe('LivePerson outbound against the simulator', () => {
  let stack: Stack;
  afterEach(async () => stack.close());

  it('when a conversation starts, then SetUserProfile comes first with the SDEs and the conversation is linked', async () => {
    stack = await startStack();
    const ctx = await stack.deliveryContext();
    const started = event(ctx, {
      kind: 'conversation.started',
      customer: { id: 'cust-7', firstName: 'Zoë', lastName: 'Doe', email: 'z@example.com', displayName: 'Zoë D' },
    });
    expect(await stack.deliver(started, ctx)).toEqual({ status: 'sent' });

    const dialogId = ctx.conversation.nativeId()!;
    const conv = stack.simulator.conversations.get(dialogId)!;
    expect(conv.brandId).toBe(stack.simulator.accountId);
    expect(conv.skillId).toBe('-1');
    expect(conv.profiles[0]).toEqual({
      authenticatedData: {
        lp_sdes: [
          { type: 'ctmrinfo', info: { customerId: 'cust-7', userName: 'Zoë D' } },
          { type: 'personal', personal: { firstname: 'Zoë', lastname: 'Doe', contacts: [{ email: 'z@example.com' }] } },
        ],
      },
    });
    expect(conv.consumerId).toBe(ctx.conversation.attr('liveperson.consumerId'));
    expect(await stack.deliver(started, ctx)).toEqual({ status: 'dropped', reason: 'already-started' });
    expect(stack.simulator.conversations.size).toBe(1);
  });

  it('when the first event is a message, then the conversation is created and the text sent with its sequence', async () => {
    stack = await startStack();
    const ctx = await stack.deliveryContext();
    const first = await stack.deliver(event(ctx, { kind: 'message', text: 'hello 👋' }), ctx);
    const second = await stack.deliver(event(ctx, { kind: 'message', text: 'anyone?' }), ctx);

    const dialogId = ctx.conversation.nativeId()!;
    expect(first).toEqual({ status: 'sent', nativeMessageIds: [`${dialogId}:0`] });
    expect(second).toEqual({ status: 'sent', nativeMessageIds: [`${dialogId}:1`] });
    const conv = stack.simulator.conversations.get(dialogId)!;
    expect(conv.profiles).toEqual([{}]);
    expect(conv.events.map((e) => e.event)).toEqual([
      { type: 'ContentEvent', contentType: 'text/plain', message: 'hello 👋' },
      { type: 'ContentEvent', contentType: 'text/plain', message: 'anyone?' },
    ]);
  });

  it('when the tenant routes by campaign, then campaignInfo goes with the skill', async () => {
    stack = await startStack({}, { campaignId: '99999', engagementId: '888888', skillId: '42' });
    const ctx = await stack.deliveryContext();
    await stack.deliver(event(ctx, { kind: 'conversation.started', customer: {} }), ctx);
    const conv = stack.simulator.conversations.get(ctx.conversation.nativeId()!)!;
    expect(conv.campaignInfo).toEqual({ campaignId: '99999', engagementId: '888888' });
    expect(conv.skillId).toBe('42');
  });

  it('when typing starts and stops, then COMPOSING then PAUSE are sent', async () => {
    stack = await startStack();
    const ctx = await stack.deliveryContext();
    await stack.deliver(event(ctx, { kind: 'conversation.started', customer: {} }), ctx);
    await stack.deliver(event(ctx, { kind: 'typing', state: 'start' }), ctx);
    await stack.deliver(event(ctx, { kind: 'typing', state: 'stop' }), ctx);
    const states = stack.simulator.conversations.get(ctx.conversation.nativeId()!)!.events.map((e) => e.event.chatState);
    expect(states).toEqual(['COMPOSING', 'PAUSE']);
  });

  it('when a message follows COMPOSING without a stop, then PAUSE is sent after it', async () => {
    stack = await startStack();
    const ctx = await stack.deliveryContext();
    await stack.deliver(event(ctx, { kind: 'conversation.started', customer: {} }), ctx);
    await stack.deliver(event(ctx, { kind: 'typing', state: 'start' }), ctx);
    await stack.deliver(event(ctx, { kind: 'message', text: 'done typing' }), ctx);
    await stack.deliver(event(ctx, { kind: 'message', text: 'again' }), ctx);
    const events = stack.simulator.conversations.get(ctx.conversation.nativeId()!)!.events;
    expect(events.map((e) => e.event.chatState ?? e.event.message)).toEqual(['COMPOSING', 'done typing', 'PAUSE', 'again']);
  });

  it('when typing or a receipt arrives before any conversation, then it is dropped, not created', async () => {
    stack = await startStack();
    const ctx = await stack.deliveryContext();
    expect(await stack.deliver(event(ctx, { kind: 'typing', state: 'start' }), ctx)).toEqual({ status: 'dropped', reason: 'no-native-conversation' });
    expect(stack.simulator.conversations.size).toBe(0);
  });

  it('when the customer reads agent messages, then READ carries their LivePerson sequences', async () => {
    stack = await startStack();
    const ctx = await stack.deliveryContext();
    await stack.deliver(event(ctx, { kind: 'message', text: 'hi' }), ctx);
    const dialogId = ctx.conversation.nativeId()!;
    const said = await stack.simulator.agentSays(dialogId, ['first', 'second']);
    const agentIds = stack.receiver.events.map((e) => e.id);
    expect(agentIds).toEqual(said.sequences.map((s) => `liveperson:${dialogId}:${s}`));

    await stack.deliver(event(ctx, { kind: 'receipt', status: 'read', messageIds: agentIds }), ctx);
    await stack.deliver(event(ctx, { kind: 'receipt', status: 'delivered', messageIds: [agentIds[0]] }), ctx);
    const accepts = stack.simulator.conversations.get(dialogId)!.events.filter((e) => e.event.type === 'AcceptStatusEvent');
    expect(accepts.map((e) => e.event)).toEqual([
      { type: 'AcceptStatusEvent', status: 'READ', sequenceList: said.sequences },
      { type: 'AcceptStatusEvent', status: 'ACCEPT', sequenceList: [said.sequences[0]] },
    ]);
    expect(await stack.deliver(event(ctx, { kind: 'receipt', status: 'read', messageIds: ['nope'] }), ctx)).toEqual({
      status: 'dropped',
      reason: 'unknown-messages',
    });
  });

  it('when the conversation ends, then it is closed and a later SEND is refused permanently', async () => {
    // No webhooks: the adapter has not heard of the close, so only LivePerson's refusal stops the message.
    stack = await startStack({ echo: false });
    const ctx = await stack.deliveryContext();
    await stack.deliver(event(ctx, { kind: 'message', text: 'bye' }), ctx);
    await stack.deliver(event(ctx, { kind: 'conversation.ended', endedBy: 'customer' }), ctx);
    expect(stack.simulator.conversations.get(ctx.conversation.nativeId()!)!.state).toBe('CLOSE');
    await expect(stack.deliver(event(ctx, { kind: 'message', text: 'late' }), ctx)).rejects.toBeInstanceOf(PermanentError);
  });

  it('when customer info changes, then SetUserProfile is sent through SEND', async () => {
    stack = await startStack();
    const ctx = await stack.deliveryContext();
    await stack.deliver(event(ctx, { kind: 'conversation.started', customer: {} }), ctx);
    await stack.deliver(event(ctx, { kind: 'customer.info', customer: { phone: '+331234' } }), ctx);
    const conv = stack.simulator.conversations.get(ctx.conversation.nativeId()!)!;
    expect(conv.profiles[1]).toEqual({ authenticatedData: { lp_sdes: [{ type: 'personal', personal: { contacts: [{ phone: '+331234' }] } }] } });
  });

  it('when customer info comes before any conversation, then it becomes the profile of the new conversation', async () => {
    stack = await startStack();
    const ctx = await stack.deliveryContext();
    await stack.deliver(event(ctx, { kind: 'customer.info', customer: { firstName: 'Ana' } }), ctx);
    const conv = stack.simulator.conversations.get(ctx.conversation.nativeId()!)!;
    expect(conv.profiles).toEqual([{ authenticatedData: { lp_sdes: [{ type: 'personal', personal: { firstname: 'Ana' } }] } }]);
  });

  it('when LivePerson replies with code 200 instead of "OK", then the reply is accepted', async () => {
    stack = await startStack({ replyCode: 200 });
    const ctx = await stack.deliveryContext();
    const sent = await stack.deliver(event(ctx, { kind: 'message', text: 'numeric codes' }), ctx);
    expect(sent).toEqual({ status: 'sent', nativeMessageIds: [`${ctx.conversation.nativeId()}:0`] });
  });

  it('when the agent side is not expressible, then participant events are dropped', async () => {
    stack = await startStack();
    const ctx = await stack.deliveryContext();
    const joined = event(ctx, { kind: 'participant.joined', participant: { id: 'a', role: 'agent' } });
    expect(await stack.deliver(joined, ctx)).toEqual({ status: 'dropped', reason: 'unsupported-kind' });
  });
});

describe('LivePerson hosted files', () => {
  let stack: Stack;
  let files: http.Server;
  let fileUrl: string;
  const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(64, 7)]);
  beforeAll(async () => {
    files = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'image/png' }).end(png));
    await new Promise<void>((r) => files.listen(0, '127.0.0.1', r));
    fileUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}/cat.png`;
  });
  afterAll(() => new Promise<void>((r) => files.close(() => r())));
  afterEach(async () => stack.close());

  const withImage = (text: string) => ({
    kind: 'message',
    text,
    attachments: [{ name: 'cat.png', contentType: 'image/png', size: png.length, url: fileUrl }],
  });

  it('when file sharing is on, then an image is uploaded to swift and published as hosted/file', async () => {
    stack = await startStack({ fileSharing: true }, { fileSharing: true });
    const ctx = await stack.deliveryContext();
    await stack.deliver(event(ctx, withImage('look')), ctx);
    const events = stack.simulator.conversations.get(ctx.conversation.nativeId()!)!.events.map((e) => e.event);
    expect(events[0]).toEqual({ type: 'ContentEvent', contentType: 'text/plain', message: 'look' });
    const file = events[1] as { contentType: string; message: { relativePath: string; fileType: string; caption: string; preview: string } };
    expect(file.contentType).toBe('hosted/file');
    expect(file.message).toMatchObject({ caption: 'cat.png', fileType: 'PNG', preview: `data:image/png;base64,${png.toString('base64')}` });
    expect(stack.simulator.state.uploads.get(file.message.relativePath)).toMatchObject({ bytes: png.length, done: true });
  });

  it('when file sharing is off, then the image travels as a link under the text', async () => {
    stack = await startStack();
    const ctx = await stack.deliveryContext();
    await stack.deliver(event(ctx, withImage('look')), ctx);
    const events = stack.simulator.conversations.get(ctx.conversation.nativeId()!)!.events.map((e) => e.event);
    expect(events).toEqual([{ type: 'ContentEvent', contentType: 'text/plain', message: `look\ncat.png: ${fileUrl}` }]);
  });
});
