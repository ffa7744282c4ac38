import { eventually } from '../support/eventually.js';
import { bridgePerTest, consumerEvents, CUSTOMER_CHANNEL, EGAIN_MAX_TEXT, egainSent, onlyConversation, PNG, STORE_MODES } from './harness.js';

const GREETING = 'Bonjour, ma commande n°42 — où est-elle ? 🙂';
const REPLY = 'Je regarde ça — 少々お待ちください';
const LONG = `${'Ceci est un très long message, découpé proprement. '.repeat(12)}fin`;
const REFUSAL = "Files of type 'png' cannot be sent here.";

describe.each(STORE_MODES)('route egain -> liveperson (%s store)', (store) => {
  const bridge = bridgePerTest({ store, tenants: [{ id: 'beta', customer: 'egain', agent: 'liveperson' }] });
  const beta = () => bridge().tenant('beta');

  async function converse() {
    const eg = beta().egain!;
    const lp = beta().liveperson!;
    const chat = eg.openConversation(CUSTOMER_CHANNEL, 'customer-1');
    const customer = { senderType: 'customer' as const };
    await eg.send(chat, 'customer.info', {
      ...customer,
      customer: { firstName: 'Zoë', lastName: 'Ångström', language: 'fr-FR', contacts: { contact: [{ type: 'email', address: 'zoe@example.com' }] } },
    });
    await eventually(() => void onlyConversation(lp));
    const conv = onlyConversation(lp);
    expect(lp.conversations.get(conv)!.profiles[0]).toEqual({
      authenticatedData: {
        lp_sdes: [{ type: 'personal', personal: { firstname: 'Zoë', lastname: 'Ångström', language: 'fr-FR', contacts: [{ email: 'zoe@example.com' }] } }],
      },
    });

    await lp.agentJoins(conv, { id: 'agent-9' });
    await eventually(() => expect(egainSent(eg, chat)).toEqual([['agent.join', undefined]]));

    await eg.send(chat, 'typing.start', customer);
    await eventually(() => expect(consumerEvents(lp, conv)).toEqual([['ChatStateEvent', 'COMPOSING']]));
    await lp.agentTyping(conv, 'COMPOSING');
    await eventually(() => expect(egainSent(eg, chat).at(-1)).toEqual(['typing.start', undefined]));

    await eg.customerSays(chat, GREETING);
    await eg.customerSays(chat, LONG);
    const photo = eg.addAsset({ name: 'photo.png', contentType: 'image/png', bytes: PNG, channelType: CUSTOMER_CHANNEL, senderType: 'customer' });
    await eg.customerSays(chat, 'Voici la photo', { attachmentIds: [photo] });
    await eventually(() => expect(consumerEvents(lp, conv)).toHaveLength(6));
    expect(consumerEvents(lp, conv)).toEqual([
      ['ChatStateEvent', 'COMPOSING'],
      ['ContentEvent text/plain', GREETING],
      ['ChatStateEvent', 'PAUSE'],
      ['ContentEvent text/plain', LONG],
      ['ContentEvent text/plain', 'Voici la photo'],
      ['ContentEvent hosted/file', expect.objectContaining({ caption: 'photo.png', fileType: 'PNG' })],
    ]);

    // eGain's channel takes at most EGAIN_MAX_TEXT characters: the long reply arrives in parts, nothing lost.
    const { sequences } = await lp.agentSays(conv, [REPLY, LONG]);
    await eventually(() => expect(egainSent(eg, chat).filter(([type]) => type === 'text').map(([, text]) => text).join('')).toBe(REPLY + LONG));
    const texts = egainSent(eg, chat).filter(([type]) => type === 'text');
    expect(texts.length).toBeGreaterThan(2);
    expect(texts.every(([, text]) => String(text).length <= EGAIN_MAX_TEXT)).toBe(true);

    await lp.agentReads(conv, [sequences[0]!]);
    await eventually(async () => expect(await bridge().dropped({ tenant: 'beta', platform: 'egain', kind: 'receipt' })).toBe(1));

    // The customer's channel takes only pdf files: the agent's image is refused and the agent told why.
    await lp.agentSharesFile(conv, { name: 'scan.png', fileType: 'PNG' });
    await eventually(() => expect(consumerEvents(lp, conv).at(-1)).toEqual(['ContentEvent text/plain', REFUSAL]));
    expect(await bridge().dropped({ tenant: 'beta', platform: 'egain', kind: 'message', reason: 'msg_hub_blocked_file_extension' })).toBe(1);
    expect(eg.rejections).toEqual([]);
    return { chat, conv };
  }

  it('when the customer ends the chat, then LivePerson received the whole conversation in order and is closed', async () => {
    const { chat, conv } = await converse();
    await beta().egain!.send(chat, 'conversation.end', { senderType: 'customer' });
    await eventually(() => expect(beta().liveperson!.conversations.get(conv)!.state).toBe('CLOSE'));
    expect(beta().liveperson!.conversations.get(conv)!.closeReason).toBe('CONSUMER');
    expect(egainSent(beta().egain!, chat).map(([type]) => type)).not.toContain('conversation.end');
  });

  it('when the agent ends the chat, then eGain receives conversation.end from the agent app', async () => {
    const { chat, conv } = await converse();
    await beta().liveperson!.closeConversation(conv, 'AGENT');
    await eventually(() => expect(egainSent(beta().egain!, chat).at(-1)).toEqual(['conversation.end', undefined]));
    expect(beta().liveperson!.state.rejections).toEqual([]);
  });
});
