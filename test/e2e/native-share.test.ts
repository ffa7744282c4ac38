import { eventually } from '../support/eventually.js';
import { bridgePerTest, CUSTOMER_CHANNEL, consumerEvents, type E2eBridge, STORE_MODES } from './harness.js';

/**
 * A migration's first steps: most new conversations stay with the customer platform's own agents (the
 * native share), a few go to the new vendor. The draw is pinned (`random`), so the split is exact.
 */

/** 19 draws under 0.95 and one above, in this order, again and again: a 95/5 split of every 20. */
function ninetyFiveFive(): () => number {
  let n = 0;
  return () => (n++ % 20 === 7 ? 0.97 : 0.5);
}

async function routeCount(bridge: E2eBridge, metric: 'routeConversationsStarted' | 'routeConversationsEnded', route: string): Promise<number> {
  const { values } = await bridge.metrics[metric].get();
  return values.find((v) => v.labels.route === route)?.value ?? 0;
}

async function bridgeConversationOf(bridge: E2eBridge, tenant: string, platform: string, nativeId: string): Promise<string> {
  const found = await bridge.service.bridge.store.resolveConversation(tenant, platform, nativeId);
  if (!found) throw new Error(`no bridge conversation for ${platform} ${nativeId}`);
  return found.id;
}

describe.each(STORE_MODES)('native share: rightnow 95 / liveperson 5 (%s store)', (store) => {
  const bridge = bridgePerTest({
    store,
    random: ninetyFiveFive(),
    tenants: [{ id: 'acme', customer: 'rightnow', agent: 'liveperson', agents: [{ platform: 'rightnow', weight: 95 }, { platform: 'liveperson', weight: 5 }] }],
  });

  it('when 20 chats start, then 19 are rerouted to RightNow\'s own agents with nothing posted in them, and 1 reaches LivePerson', async () => {
    const { rightnow: rn, liveperson: lp } = bridge().tenant('acme');
    const chats = Array.from({ length: 20 }, (_, i) => rn!.customerStartsChat({ firstName: `Customer ${i}`, subject: `chat ${i}` }));
    for (const chat of chats) rn!.customerSays(chat, `hello from ${chat}`);

    // More than maxSessions (10) chats: every reroute gave its slot back, so offers kept coming.
    await eventually(() => expect(rn!.rerouted).toHaveLength(19));
    await eventually(() => expect(lp!.conversations.size).toBe(1));
    const native = chats.filter((c) => rn!.rerouted.includes(Number(c)));
    const bridged = chats.find((c) => !native.includes(c))!;
    expect(native).toHaveLength(19);
    expect(rn!.declined).toEqual([]);
    const [conv] = [...lp!.conversations.keys()];
    await eventually(() => expect(consumerEvents(lp!, conv!)).toEqual([['ContentEvent text/plain', `hello from ${bridged}`]]));

    // The native chats go on with RightNow's own agents: the automated agent never hears of them again.
    rn!.customerSays(native[0]!, 'are you a human?');
    expect(rn!.escalated.map((e) => [e.engagementId, e.body.body])).toEqual([[Number(native[0]), 'are you a human?']]);
    await lp!.agentSays(conv!, 'Hi, LivePerson here');
    await eventually(() => expect(rn!.postsFor(bridged).map((p) => p.body)).toEqual(['Hi, LivePerson here']));
    for (const chat of native) expect(rn!.postsFor(chat)).toEqual([]);
    expect(rn!.concluded).toEqual([]);

    expect(await routeCount(bridge(), 'routeConversationsStarted', 'rightnow->rightnow')).toBe(19);
    expect(await routeCount(bridge(), 'routeConversationsEnded', 'rightnow->rightnow')).toBe(19);
    expect(await routeCount(bridge(), 'routeConversationsStarted', 'rightnow->liveperson')).toBe(1);
    // The native chats' own events (offer, first message) were not bridged anywhere.
    expect(await bridge().dropped({ tenant: 'acme', platform: 'rightnow', kind: 'message', reason: 'native-agents' })).toBe(19);
    const { body } = await bridge().admin(`/admin/conversations/${await bridgeConversationOf(bridge(), 'acme', 'rightnow', native[0]!)}`);
    expect(body.conversation.attrs).toMatchObject({ customer: 'rightnow', agent: 'rightnow', native: 'drawn', nativeAt: expect.any(String) });
  });

  it('when the weights change by reload, then new chats follow them and the live ones stay where they were drawn', async () => {
    const { rightnow: rn, liveperson: lp } = bridge().tenant('acme');
    await bridge().reloadAgents('acme', [{ platform: 'rightnow', weight: 0 }, { platform: 'liveperson', weight: 100 }]);
    const onLivePerson = rn!.customerStartsChat({ firstName: 'Before' });
    rn!.customerSays(onLivePerson, 'first');
    await eventually(() => expect(lp!.conversations.size).toBe(1));

    // Roll back in one reload: every new chat to RightNow's own agents.
    await bridge().reloadAgents('acme', [{ platform: 'rightnow', weight: 100 }, { platform: 'liveperson', weight: 0 }]);
    const afterRollBack = rn!.customerStartsChat({ firstName: 'After' });
    await eventually(() => expect(rn!.rerouted).toEqual([Number(afterRollBack)]));

    rn!.customerSays(onLivePerson, 'second');
    const [conv] = [...lp!.conversations.keys()];
    await eventually(() => expect(consumerEvents(lp!, conv!).map(([, text]) => text)).toEqual(['first', 'second']));
    expect(lp!.conversations.size).toBe(1);
    expect(rn!.postsFor(afterRollBack)).toEqual([]);
  });
});

describe.each(STORE_MODES)('native share with eGain as the customer side (%s store)', (store) => {
  const bridge = bridgePerTest({
    store,
    random: () => 0.1,
    tenants: [{ id: 'beta', customer: 'egain', agent: 'liveperson', agents: [{ platform: 'egain', weight: 50 }, { platform: 'liveperson', weight: 50 }] }],
  });

  it('when a conversation is drawn for eGain\'s own agents, then the bridge sends it to eGain\'s queue and ignores it afterwards', async () => {
    const { egain: eg, liveperson: lp } = bridge().tenant('beta');
    const chat = eg!.openConversation(CUSTOMER_CHANNEL, 'customer-7', { firstName: 'Ines' });
    expect((await eg!.customerSays(chat, 'Hola')).status).toBe(200);

    await eventually(() => expect(eg!.state.conversations.get(chat)!.transferredBy).toBe('queue.transfer'));
    expect(eg!.messages.map((m) => [m.conversationId, m.message.type.value, m.message.sender.type])).toEqual([[chat, 'queue.transfer', 'custom_agent']]);
    expect(eg!.rejections).toEqual([]);

    expect((await eg!.customerSays(chat, '¿Hay alguien?')).status).toBe(200);
    expect(await bridge().dropped({ tenant: 'beta', platform: 'egain', kind: 'message', reason: 'native-agents' })).toBe(2);
    expect(eg!.messages).toHaveLength(1);
    expect(lp!.conversations.size).toBe(0);
    expect(await routeCount(bridge(), 'routeConversationsStarted', 'egain->egain')).toBe(1);
  });
});
