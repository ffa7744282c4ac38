import { eventually } from '../support/eventually.js';
import { AGENT_JOINED_TEXT, consumerEvents, egainSent, onlyConversation, bridgePerTest, STORE_MODES } from './harness.js';

describe.each(STORE_MODES)('hand-off to another agent platform (%s store)', (store) => {
  const bridge = bridgePerTest({ store, tenants: [{ id: 'acme', customer: 'rightnow', agent: 'liveperson', standby: ['egain'] }] });

  it('when an admin moves a conversation to eGain, then eGain gets the profile and a summary, and LivePerson is out', async () => {
    const { rightnow: rn, liveperson: lp, egain: eg } = bridge().tenant('acme');
    const engagement = rn!.customerStartsChat({ firstName: 'Zoë', lastName: 'Ångström', email: 'zoe@example.com', subject: 'Order 42' });
    await eventually(() => void onlyConversation(lp!));
    const conv = onlyConversation(lp!);
    await lp!.agentJoins(conv, { id: 'agent-1' });
    rn!.customerSays(engagement, 'Where is my order?');
    await eventually(() => expect(consumerEvents(lp!, conv)).toHaveLength(1));
    await lp!.agentSays(conv, 'Checking — un instant');
    await eventually(() => expect(rn!.postsFor(engagement).map((p) => p.body)).toEqual([AGENT_JOINED_TEXT, 'Checking — un instant']));
    const id = (await bridge().service.bridge.store.resolveConversation('acme', 'rightnow', engagement))!.id;
    const liveOn = async () => {
      const rows = await bridge().service.bridge.routeLedger.live([...bridge().service.bridge.config.tenants]);
      return Object.fromEntries(rows.map((r) => [r.route, r.live]));
    };
    expect(await liveOn()).toEqual({ 'rightnow->liveperson': 1, 'rightnow->egain': 0 });

    const moved = await bridge().admin(`/admin/conversations/${id}/hand-off`, { agent: 'egain' });
    expect(moved).toEqual({ status: 202, body: { conversationId: id, from: 'liveperson', to: 'egain' } });
    // The route gauges follow the conversation: a drain of rightnow->liveperson is now done.
    expect(await liveOn()).toEqual({ 'rightnow->liveperson': 0, 'rightnow->egain': 1 });

    await eventually(() => expect(lp!.conversations.get(conv)!.state).toBe('CLOSE'));
    await eventually(() => expect(eg!.messages.length).toBeGreaterThan(1));
    const chat = eg!.messages[0]!.conversationId;
    expect(eg!.messages[0]!.message).toMatchObject({
      type: { value: 'customer.info' },
      conversation: { customer: { firstName: 'Zoë', lastName: 'Ångström', contacts: { contact: expect.arrayContaining([{ type: 'email', address: 'zoe@example.com' }]) } } },
    });
    const summary = 'Conversation so far about "Order 42" (last 2 of 2 messages):\nCustomer: Where is my order?\nAgent: Checking — un instant';
    await eventually(() => expect(egainSent(eg!, chat).slice(1).map(([, text]) => text).join('')).toBe(summary));

    // From now on the customer talks with eGain; LivePerson no longer takes part.
    rn!.customerSays(engagement, 'Still there?');
    await eventually(() => expect(egainSent(eg!, chat).at(-1)).toEqual(['text', 'Still there?']));
    await lp!.agentSays(conv, 'late reply from the old side');
    await eg!.agentSays(chat, 'Yes — eGain here', { senderType: 'egain_agent' });
    await eventually(() => expect(rn!.postsFor(engagement).map((p) => p.body).at(-1)).toBe('Yes — eGain here'));
    expect(rn!.postsFor(engagement).map((p) => p.body)).toEqual([AGENT_JOINED_TEXT, 'Checking — un instant', 'Yes — eGain here']);
    expect(await bridge().dropped({ tenant: 'acme', platform: 'liveperson', kind: 'message', reason: 'unknown-conversation' })).toBe(1);
    expect(eg!.rejections).toEqual([]);

    const { body } = await bridge().admin(`/admin/conversations/${id}`);
    expect(body.conversation.attrs).toMatchObject({ agent: 'egain', handOffs: '1', 'handOff.1': 'liveperson>egain' });
    expect(body.conversation.links).toEqual({ rightnow: engagement, liveperson: conv, egain: chat });
  });

  it('when a hand-off names no platform of the route, the same one, or no conversation, then it is refused', async () => {
    const { rightnow: rn, liveperson: lp } = bridge().tenant('acme');
    const engagement = rn!.customerStartsChat({ firstName: 'Ada' });
    await eventually(() => void onlyConversation(lp!));
    const id = (await bridge().service.bridge.store.resolveConversation('acme', 'rightnow', engagement))!.id;
    expect((await bridge().admin(`/admin/conversations/${id}/hand-off`, { agent: 'liveperson' })).status).toBe(409);
    expect((await bridge().admin(`/admin/conversations/${id}/hand-off`, { agent: 'rightnow' })).status).toBe(409);
    expect((await bridge().admin(`/admin/conversations/${id}/hand-off`, {})).status).toBe(400);
    expect((await bridge().admin('/admin/conversations/nope/hand-off', { agent: 'egain' })).status).toBe(404);
    const anonymous = await fetch(`${bridge().service.url}/admin/conversations/${id}/hand-off`, { method: 'POST' });
    expect(anonymous.status).toBe(401);
    expect(bridge().tenant('acme').egain!.messages).toEqual([]);
  });
});
