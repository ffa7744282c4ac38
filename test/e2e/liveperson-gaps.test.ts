import { eventually } from '../support/eventually.js';
import { ADMIN_TOKEN, bridgePerTest, consumerEvents, CUSTOMER_CHANNEL, egainSent, onlyConversation, STORE_MODES } from './harness.js';

describe.each(STORE_MODES)('LivePerson loss detection (%s store)', (store) => {
  const bridge = bridgePerTest({ store, tenants: [{ id: 'beta', customer: 'egain', agent: 'liveperson', sequenceGapWaitMs: 300 }] });

  it('when LivePerson numbers an agent message but never delivers it, then the gap is counted, and the status page shows the conversation and the missing number', async () => {
    const eg = bridge().tenant('beta').egain!;
    const lp = bridge().tenant('beta').liveperson!;
    const chat = eg.openConversation(CUSTOMER_CHANNEL, 'customer-1');
    await eg.customerSays(chat, 'Bonjour');
    // Once the first message is in, the bridge has linked LivePerson's conversation: agent webhooks find it.
    await eventually(() => expect(consumerEvents(lp, onlyConversation(lp))).toHaveLength(1));
    const conv = onlyConversation(lp);

    await lp.agentSays(conv, 'Un');
    const lost = lp.loseNextAgentEvent(conv);
    await lp.agentSays(conv, 'Trois');
    await eventually(() => expect(egainSent(eg, chat).map(([, text]) => text)).toEqual(['Un', 'Trois']));

    const gaps = async () => (await bridge().metrics.inboundGaps.get()).values.find((v) => v.labels.tenant === 'beta')?.value ?? 0;
    await eventually(async () => expect(await gaps()).toBe(1));
    // More events of the dialog after the gap was called: once they are checked too, it is still counted once.
    const { sequences } = await lp.agentSays(conv, 'Quatre');
    const store = bridge().service.bridge.store;
    const checkedTo = async () => Number((await store.hashGetAll(store.key('lp', 'seq', 'beta', conv))).floor);
    await eventually(async () => expect(await checkedTo()).toBe(sequences[0]));

    const page = await fetch(`${bridge().service.url}/admin`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    const html = await page.text();
    const row = html.slice(html.indexOf('Events possibly lost'));
    expect(row).toContain(`<code>${conv}</code>`);
    expect(row).toMatch(new RegExp(`<td>${lost}</td>`));
    expect(await gaps()).toBe(1);
  });
});
