import { Redis } from 'ioredis';
import { eventually } from '../support/eventually.js';
import { TEST_REDIS_URL } from '../support/redis.js';
import { AGENT_JOINED_TEXT, consumerEvents, type E2eBridge, type E2eTenant, egainSent, onlyConversation, STORE_MODES, startE2eBridge } from './harness.js';

describe.each(STORE_MODES)('transcripts (%s store)', (store) => {
  let bridge: E2eBridge | undefined;
  let acme: E2eTenant;

  async function start(transcripts?: Record<string, unknown>, agent: 'liveperson' | 'egain' = 'liveperson') {
    bridge = await startE2eBridge({ store, transcripts, tenants: [{ id: 'acme', customer: 'rightnow', agent }] });
    acme = bridge.tenant('acme');
    return bridge;
  }
  afterEach(async () => {
    await bridge?.close();
    bridge = undefined;
  });

  /** A chat with an agent: the customer says `said` (each delivered before the next). */
  async function chat(said: string[]) {
    const rn = acme.rightnow!;
    const lp = acme.liveperson!;
    const engagement = rn.customerStartsChat({ firstName: 'Zoë', subject: 'Order 42' });
    await eventually(() => void onlyConversation(lp));
    const conv = onlyConversation(lp);
    await lp.agentJoins(conv, { id: 'agent-1' });
    for (const [i, text] of said.entries()) {
      rn.customerSays(engagement, text);
      await eventually(() => expect(consumerEvents(lp, conv)).toHaveLength(i + 1));
    }
    const canonical = await bridge!.service.bridge.store.resolveConversation('acme', 'rightnow', engagement);
    return { engagement, conv, id: canonical!.id };
  }

  it('when the agent is transferred, then the new agent receives a summary of what came before', async () => {
    await start({ summaryMessages: 3 });
    const { engagement, conv } = await chat(['Where is my order?', 'It was due Monday — 月曜日']);
    await acme.liveperson!.agentSays(conv, 'Let me check');
    await eventually(() => expect(acme.rightnow!.postsFor(engagement).map((p) => p.body)).toEqual([AGENT_JOINED_TEXT, 'Let me check']));
    acme.rightnow!.customerSays(engagement, 'Thanks');
    await eventually(() => expect(consumerEvents(acme.liveperson!, conv)).toHaveLength(3));

    await acme.liveperson!.agentJoins(conv, { id: 'agent-2' });
    await eventually(() =>
      expect(consumerEvents(acme.liveperson!, conv).at(-1)).toEqual([
        'ContentEvent text/plain',
        'Conversation so far about "Order 42" (last 3 of 4 messages):\nCustomer: It was due Monday — 月曜日\nAgent: Let me check\nCustomer: Thanks',
      ]),
    );
    // The end user sees the new agent arrive, not the summary.
    await eventually(() => expect(acme.rightnow!.postsFor(engagement).map((p) => p.body)).toEqual([AGENT_JOINED_TEXT, 'Let me check', AGENT_JOINED_TEXT]));
  });

  it('when an eGain agent transfers the chat, then the new eGain agent receives the summary', async () => {
    await start(undefined, 'egain');
    const { rightnow: rn, egain: eg } = acme;
    const engagement = rn!.customerStartsChat({ firstName: 'Zoë', subject: 'Order 42' });
    await eventually(() => expect(eg!.messages).toHaveLength(1));
    const chat = eg!.messages[0]!.conversationId;
    await eg!.send(chat, 'agent.join', { senderType: 'egain_agent', participant: { id: 'agent-1' } });
    rn!.customerSays(engagement, 'Hello — 你好');
    await eventually(() => expect(egainSent(eg!, chat).at(-1)).toEqual(['text', 'Hello — 你好']));
    await eg!.send(chat, 'agent.transfer', { senderType: 'egain_agent', participant: { id: 'agent-2', name: 'Agnès' } });
    await eventually(() =>
      expect(egainSent(eg!, chat).at(-1)).toEqual(['text', 'Conversation so far about "Order 42" (last 1 of 1 messages):\nCustomer: Hello — 你好']),
    );
    await eventually(() => expect(rn!.postsFor(engagement).map((p) => p.body)).toEqual([AGENT_JOINED_TEXT, AGENT_JOINED_TEXT]));
  });

  it('when an admin asks for a conversation, then it gets the native ids and every event in order', async () => {
    const b = await start();
    const { engagement, conv, id } = await chat(['Hello — こんにちは']);
    acme.rightnow!.customerLeaves(engagement);
    await eventually(() => expect(acme.liveperson!.conversations.get(conv)!.state).toBe('CLOSE'));

    await eventually(async () => {
      const { status, body } = await b.admin(`/admin/conversations/${id}`);
      expect(status).toBe(200);
      expect(body.conversation).toMatchObject({ id, tenant: 'acme', links: { rightnow: engagement, liveperson: conv }, attrs: { customer: 'rightnow', agent: 'liveperson' } });
      expect(body.transcript.events.map((e: { kind: string; origin: { platform: string } }) => `${e.origin.platform} ${e.kind}`)).toEqual([
        'rightnow conversation.started',
        'liveperson participant.joined',
        'rightnow message',
        // The end user leaving is the end of the conversation, however RightNow words it: one event.
        'rightnow conversation.ended',
      ]);
    });
    const { body } = await b.admin(`/admin/conversations/${id}`);
    expect(body.transcript.events[2]).toMatchObject({ tenant: 'acme', conversationId: id, text: 'Hello — こんにちは', sender: { role: 'customer' } });

    expect((await b.admin(`/admin/conversations/${id}?tenant=other`)).status).toBe(404);
    expect((await b.admin('/admin/conversations/no-such-conversation')).status).toBe(404);
    const anonymous = await fetch(`${b.service.url}/admin/conversations/${id}`);
    expect(anonymous.status).toBe(401);
  });

  it('when a conversation has more events than transcripts.maxEvents, then only the newest are kept, for the retention', async () => {
    const b = await start({ maxEvents: 3, retentionSeconds: 120 });
    const { id } = await chat(['one', 'two', 'three']);
    const { body } = await b.admin(`/admin/conversations/${id}`);
    expect(body.transcript.events.map((e: { text?: string }) => e.text)).toEqual(['one', 'two', 'three']);
    if (store === 'redis') {
      const redis = new Redis(TEST_REDIS_URL);
      try {
        const ttl = await redis.pttl(b.service.bridge.store.key('transcript', 'acme', id));
        expect(ttl).toBeGreaterThan(100_000);
        expect(ttl).toBeLessThanOrEqual(120_000);
      } finally {
        redis.disconnect();
      }
    }
  });
});
