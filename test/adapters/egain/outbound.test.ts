import { INTERACTION_SCOPE, startEgainSimulator, type EgainSimulator } from '../../../adapters/egain/simulator/index.js';
import { CHANNEL, CHANNEL_TYPE, deliveryContext, egainConfig, event, makeConnector, makeRuntime } from './harness.js';
import { sendEvent } from '../../../src/delivery/send-event.js';

describe('eGain outbound: canonical events -> POST /conversations/messages', () => {
  let sim: EgainSimulator;
  beforeEach(async () => {
    sim = await startEgainSimulator({
      channels: [CHANNEL],
      clients: [
        { clientId: 'bridge', clientSecret: 'bridge-secret', type: 'custom_agent', scopes: [INTERACTION_SCOPE] },
        { clientId: 'bot', clientSecret: 'bot-secret', type: 'custom_bot', scopes: [INTERACTION_SCOPE] },
        { clientId: 'cust', clientSecret: 'cust-secret', type: 'customer', scopes: [INTERACTION_SCOPE] },
      ],
    });
  });
  afterEach(() => sim.close());

  describe('when eGain is the customer side (the bridge speaks as a custom_agent app)', () => {
    const setup = async () => {
      const runtime = makeRuntime();
      const connector = makeConnector(egainConfig(sim), runtime);
      const conversationId = sim.openConversation(CHANNEL_TYPE, 'cust@example.com');
      const ctx = await deliveryContext(runtime, 'customer', conversationId);
      return { connector, ctx, conversationId };
    };

    it('when every mappable event is sent, then the Hub accepts each with its eGain type', async () => {
      const { connector, ctx, conversationId } = await setup();
      const events = [
        event({ kind: 'message', text: 'hello' }, 'agent'),
        event({ kind: 'typing', state: 'start' }, 'agent'),
        event({ kind: 'typing', state: 'stop' }, 'agent'),
        event({ kind: 'customer.info', customer: { firstName: 'Ann', email: 'ann@example.com' } }, 'agent'),
        event({ kind: 'participant.joined', participant: { id: 'a1', name: 'Bob', role: 'agent' } }, 'agent'),
        event({ kind: 'participant.joined', participant: { id: 'a2', name: 'Eve', role: 'agent' }, transfer: true }, 'agent'),
        event({ kind: 'conversation.ended', endedBy: 'agent' }, 'agent'),
      ];
      const results = [];
      for (const e of events) results.push(await sendEvent(connector.outbound, e, ctx));
      expect(results.every((r) => r.status === 'sent')).toBe(true);
      expect(sim.messages.map((m) => m.message.type.value)).toEqual([
        'text',
        'typing.start',
        'typing.end',
        'customer.info',
        'agent.join',
        'agent.transfer',
        'conversation.end',
      ]);
      expect(sim.messages.every((m) => m.conversationId === conversationId && m.message.sender.type === 'custom_agent')).toBe(true);
      expect(sim.messages[4]!.message.sender.participant).toEqual({ id: 'a1', name: 'Bob' });
      expect(results[0]).toEqual({ status: 'sent', nativeMessageIds: [sim.messages[0]!.message.id] });
    });

    it('when a text is longer than the channel allows, then it goes as several texts within the limit, nothing lost', async () => {
      const { connector, ctx } = await setup();
      const text = 'word '.repeat(19) + 'x'.repeat(45);
      const result = await sendEvent(connector.outbound, event({ kind: 'message', text }, 'agent'), ctx);
      expect(result.status).toBe('sent');
      const parts = sim.messages.map((m) => m.message.content?.text ?? '');
      expect(parts.length).toBeGreaterThan(2);
      expect(parts.every((p) => p.length <= 40)).toBe(true);
      expect(parts.join('')).toBe(text);
    });

    it('when emoji, flags and accented letters sit where the limit falls, then every part is accepted by the Hub and they join to the text', async () => {
      const { connector, ctx } = await setup();
      const text = `${'x'.repeat(39)}😀 ${'🇫🇷'.repeat(12)}e\u0301${'y'.repeat(38)}👨‍👩‍👧‍👦`;
      const result = await sendEvent(connector.outbound, event({ kind: 'message', text }, 'agent'), ctx);
      expect(result.status).toBe('sent');
      expect(sim.rejections).toEqual([]);
      const parts = sim.messages.map((m) => m.message.content?.text ?? '');
      expect(parts.every((p) => p.length <= 40)).toBe(true);
      expect(parts.join('')).toBe(text);
    });

    it('when the canonical model has nothing eGain carries, then the event is dropped with its reason', async () => {
      const { connector, ctx } = await setup();
      const left = await sendEvent(connector.outbound, event({ kind: 'participant.left', participant: { id: 'a1', role: 'agent' } }, 'agent'), ctx);
      const receipt = await sendEvent(connector.outbound, event({ kind: 'receipt', status: 'read', messageIds: ['x'] }, 'agent'), ctx);
      const started = await sendEvent(connector.outbound, event({ kind: 'conversation.started', customer: {} }), ctx);
      expect(left).toMatchObject({ status: 'dropped', reason: 'unsupported-kind' });
      expect(receipt).toMatchObject({ status: 'dropped', reason: 'unsupported-kind' });
      expect(started).toEqual({ status: 'dropped', reason: 'already-started', detail: 'it started on eGain' });
      expect(sim.messages).toHaveLength(0);
    });

    it('when the bridge is a custom_bot app, then agent.join is dropped by the permission table and never reaches the Hub', async () => {
      const runtime = makeRuntime();
    const connector = makeConnector(egainConfig(sim, { clientId: 'bot', clientSecret: 'bot-secret', agentClientType: 'custom_bot' }), runtime);
      const ctx = await deliveryContext(runtime, 'customer', sim.openConversation(CHANNEL_TYPE, 'c'));
      const joined = await sendEvent(connector.outbound, event({ kind: 'participant.joined', participant: { id: 'a1', role: 'agent' } }, 'agent'), ctx);
      const text = await sendEvent(connector.outbound, event({ kind: 'message', text: 'from the bot' }, 'bot'), ctx);
      expect(joined).toEqual({ status: 'dropped', reason: 'sender-not-permitted', detail: 'a custom_bot app may not send agent.join (eGain permission table)' });
      expect(text.status).toBe('sent');
      expect(sim.messages.map((m) => m.message.type.value)).toEqual(['text']);
      expect(sim.rejections).toHaveLength(0);
    });

    it('when there is no eGain conversation yet, then nothing is sent (it can only start on eGain)', async () => {
      const runtime = makeRuntime();
    const connector = makeConnector(egainConfig(sim), runtime);
      const ctx = await deliveryContext(runtime, 'customer');
      const result = await sendEvent(connector.outbound, event({ kind: 'message', text: 'hi' }, 'agent'), ctx);
      expect(result).toEqual({ status: 'dropped', reason: 'no-native-conversation', detail: 'it must start on eGain' });
      expect(sim.messages).toHaveLength(0);
    });
  });

  describe('when eGain is the agent side (the bridge is the customer app of the custom channel)', () => {
    const setup = async () => {
      const runtime = makeRuntime();
      const connector = makeConnector(egainConfig(sim, { clientId: 'cust', clientSecret: 'cust-secret' }), runtime);
      return { connector, runtime, ctx: await deliveryContext(runtime, 'agent') };
    };

    it('when the conversation starts, then the first message opens it on eGain with the customer, and the id is linked', async () => {
      const { connector, ctx } = await setup();
      const started = event({ kind: 'conversation.started', customer: { id: 'cust-9', firstName: 'Ann', email: 'ann@example.com', language: 'fr-FR' } });
      expect((await sendEvent(connector.outbound, started, ctx)).status).toBe('sent');
      const first = sim.messages[0]!;
      expect(first.message.type.value).toBe('customer.info');
      expect(first.message.conversation).toEqual({
        account: { address: 'acct-1', channel: { type: CHANNEL_TYPE } },
        customer: {
          firstName: 'Ann',
          language: 'fr-FR',
          contacts: { contact: [{ type: 'custom', address: 'cust-9' }, { type: 'email', address: 'ann@example.com' }] },
        },
        entryPoint: { id: 'ep-1' },
      });
      expect(ctx.conversation.nativeId()).toBe(first.conversationId);
      expect(ctx.conversation.attr('egain.language')).toBe('fr-FR');

      await sendEvent(connector.outbound, event({ kind: 'message', text: 'my order is late' }), ctx);
      await sendEvent(connector.outbound, event({ kind: 'typing', state: 'start' }), ctx);
      await sendEvent(connector.outbound, event({ kind: 'conversation.ended', endedBy: 'customer' }), ctx);
      expect(sim.messages.slice(1).map((m) => [m.message.type.value, m.conversationId, m.message.sender.type])).toEqual([
        ['text', first.conversationId, 'customer'],
        ['typing.start', first.conversationId, 'customer'],
        ['conversation.end', first.conversationId, 'customer'],
      ]);
      expect(sim.messages[1]!.metadata.attributes).toEqual([{ name: 'chatbridgeConversationId', value: ctx.conversation.id }]);
    });

    it('when the first event is a message, then it opens the conversation itself (typing before it is dropped)', async () => {
      const { connector, ctx } = await setup();
      expect(await sendEvent(connector.outbound, event({ kind: 'typing', state: 'start' }), ctx)).toEqual({ status: 'dropped', reason: 'no-native-conversation', detail: expect.stringMatching(/typing/) });
      await sendEvent(connector.outbound, event({ kind: 'message', text: 'hello?' }), ctx);
      expect(sim.messages[0]!.message.conversation?.entryPoint).toEqual({ id: 'ep-1' });
      expect(ctx.conversation.nativeId()).toBe(sim.messages[0]!.conversationId);
    });

    it('when a participant event would need an agent type, then the customer app drops it and the Hub sees nothing', async () => {
      const { connector, ctx } = await setup();
      await sendEvent(connector.outbound, event({ kind: 'message', text: 'hi' }), ctx);
      const joined = await sendEvent(connector.outbound, event({ kind: 'participant.joined', participant: { id: 'b', role: 'bot' }, transfer: true }, 'bot'), ctx);
      expect(joined).toEqual({ status: 'dropped', reason: 'sender-not-permitted', detail: 'a customer app may not send agent.transfer (eGain permission table)' });
      expect(sim.messages.map((m) => m.message.type.value)).toEqual(['text']);
    });

    it('when rich text goes to a channel whose inbound side has richText, then it is flagged as html', async () => {
      const { connector, ctx } = await setup();
      await sendEvent(connector.outbound, event({ kind: 'message', text: '<b>hi</b>', richText: true }), ctx);
      expect(sim.messages[0]!.message.content).toEqual({ text: '<b>hi</b>', format: 'html' });
    });
  });
});
