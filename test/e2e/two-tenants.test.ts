import { eventually } from '../support/eventually.js';
import { CUSTOMER_CHANNEL, consumerEvents, onlyConversation, bridgePerTest, STORE_MODES } from './harness.js';

describe.each(STORE_MODES)('two tenants in one process (%s store)', (store) => {
  const bridge = bridgePerTest({
      store,
      tenants: [
        { id: 'acme', customer: 'rightnow', agent: 'liveperson' },
        { id: 'beta', customer: 'egain', agent: 'liveperson' },
      ],
    });

  it('when both tenants chat at the same time on different routes, then each vendor sees only its own tenant', async () => {
    const acme = bridge().tenant('acme');
    const beta = bridge().tenant('beta');
    const engagement = acme.rightnow!.customerStartsChat({ firstName: 'Ada' });
    const chat = beta.egain!.openConversation(CUSTOMER_CHANNEL, 'customer-b');
    await beta.egain!.customerSays(chat, 'beta: hello');
    await eventually(() => void onlyConversation(acme.liveperson!));
    await eventually(() => void onlyConversation(beta.liveperson!));
    const acmeConv = onlyConversation(acme.liveperson!);
    const betaConv = onlyConversation(beta.liveperson!);

    const says = Array.from({ length: 5 }, (_, i) => i);
    // Each conversation in order, as its vendor sends it; the two tenants at the same time.
    const betaSays = (async () => {
      for (const i of says) await beta.egain!.customerSays(chat, `beta: ${i}`);
    })();
    for (const i of says) acme.rightnow!.customerSays(engagement, `acme: ${i}`);
    await betaSays;
    await Promise.all([acme.liveperson!.agentSays(acmeConv, 'acme agent'), beta.liveperson!.agentSays(betaConv, 'beta agent')]);

    await eventually(() => expect(consumerEvents(acme.liveperson!, acmeConv)).toHaveLength(5));
    await eventually(() => expect(consumerEvents(beta.liveperson!, betaConv)).toHaveLength(6));
    await eventually(() => expect(acme.rightnow!.postsFor(engagement).map((p) => p.body)).toEqual(['acme agent']));
    await eventually(() => expect(beta.egain!.messages.map((m) => m.message.content?.text)).toEqual(['beta agent']));
    expect(consumerEvents(acme.liveperson!, acmeConv).map(([, text]) => text)).toEqual(says.map((i) => `acme: ${i}`));
    expect(consumerEvents(beta.liveperson!, betaConv).map(([, text]) => text)).toEqual(['beta: hello', ...says.map((i) => `beta: ${i}`)]);
    expect(acme.liveperson!.state.consumersCreated).toHaveLength(1);
    expect(beta.liveperson!.state.consumersCreated).toHaveLength(1);
  });

  it("when one tenant's vendor posts to the other tenant's webhook, then it is refused and nothing crosses", async () => {
    const acme = bridge().tenant('acme');
    const beta = bridge().tenant('beta');
    const engagement = acme.rightnow!.customerStartsChat({ firstName: 'Ada' });
    await eventually(() => void onlyConversation(acme.liveperson!));
    const chat = beta.egain!.openConversation(CUSTOMER_CHANNEL, 'customer-b');
    await beta.egain!.customerSays(chat, 'beta: hello');
    await eventually(() => void onlyConversation(beta.liveperson!));

    // beta's LivePerson signs with beta's secret: acme's endpoint must not take it.
    beta.liveperson!.setWebhookUrl(`${bridge().service.url}/webhooks/acme/liveperson`);
    const posted = await beta.liveperson!.agentSays(onlyConversation(beta.liveperson!), 'crossing over');
    expect(posted.status).toBe(401);
    await acme.liveperson!.agentSays(onlyConversation(acme.liveperson!), 'acme agent');
    await eventually(() => expect(acme.rightnow!.postsFor(engagement).map((p) => p.body)).toEqual(['acme agent']));
    expect(beta.egain!.messages).toEqual([]);
  });
});
