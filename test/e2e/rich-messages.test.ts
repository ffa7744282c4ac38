import { richFallbackText } from '../../src/model/rich-text.js';
import { eventually } from '../support/eventually.js';
import { bridgePerTest, consumerEvents, CUSTOMER_CHANNEL, EGAIN_MAX_TEXT, egainSent, onlyConversation } from './harness.js';

const QUICK_REPLIES = {
  type: 'quickReplies',
  itemsPerRow: 8,
  replies: [
    { type: 'button', title: 'Oui', click: { actions: [{ type: 'publishText', text: 'Oui, merci' }] } },
    { type: 'button', title: 'Non', click: { actions: [{ type: 'publishText', text: 'Non' }] } },
  ],
};
const QUICK_FALLBACK = 'Le problème est-il réglé ?\n1. Oui\n2. Non';
const CARD = {
  type: 'vertical',
  elements: [
    { type: 'image', url: 'https://shop.example/chemise.png', caption: 'Chemise' },
    { type: 'text', text: 'Chemise bleue' },
    { type: 'button', title: 'Voir', click: { actions: [{ type: 'link', name: 'Voir', uri: 'https://shop.example/chemise' }] } },
  ],
};
const CARD_FALLBACK = 'Chemise bleue\nhttps://shop.example/chemise\nImage: https://shop.example/chemise.png\n1. Voir — https://shop.example/chemise';
const SIZES = { title: 'Quelle taille ?', options: { option: [{ title: 'S' }, { title: 'M', value: 'taille M' }] } };

describe('rich messages between eGain customers and LivePerson agents', () => {
  const bridge = bridgePerTest({
    store: 'memory',
    tenants: [{ id: 'beta', customer: 'egain', agent: 'liveperson', customerRichTypes: ['quickreply', 'listpicker', 'richlink'], consumerRichContent: true }],
  });

  it('when the agent offers quick replies and a card, then the customer gets eGain rich messages, and the choice comes back as text; an eGain bot list reaches the agent as structured content', async () => {
    const eg = bridge().tenant('beta').egain!;
    const lp = bridge().tenant('beta').liveperson!;
    const chat = eg.openConversation(CUSTOMER_CHANNEL, 'customer-1');
    await eg.customerSays(chat, 'Ma commande est abîmée');
    // Once the first message is in, the bridge has linked LivePerson's conversation: agent webhooks find it.
    await eventually(() => expect(consumerEvents(lp, onlyConversation(lp))).toHaveLength(1));
    const conv = onlyConversation(lp);

    await lp.agentQuickReplies(conv, 'Le problème est-il réglé ?', QUICK_REPLIES);
    await eventually(() => expect(eg.messages.filter((m) => m.conversationId === chat)).toHaveLength(1));
    expect(eg.messages[0]!.message).toMatchObject({
      type: { value: 'richMessage.quickreply' },
      sender: { type: 'custom_agent' },
      content: { text: QUICK_FALLBACK, richMessage: { title: 'Le problème est-il réglé ?', options: { option: [{ title: 'Oui', value: 'Oui, merci' }, { title: 'Non' }] } } },
    });

    // The customer taps "Oui": the widget posts the choice as text (eGain's documented customer type).
    await eg.customerSays(chat, 'Oui, merci');
    await eventually(() => expect(consumerEvents(lp, conv).at(-1)).toEqual(['ContentEvent text/plain', 'Oui, merci']));

    await lp.agentRichContent(conv, CARD);
    // The whole readable text is longer than the channel's EGAIN_MAX_TEXT: content.text holds the heading.
    expect(CARD_FALLBACK.length).toBeGreaterThan(EGAIN_MAX_TEXT);
    await eventually(() => expect(egainSent(eg, chat).at(-1)).toEqual(['richMessage.richlink', 'Chemise bleue']));
    expect(eg.messages.at(-1)!.message.content?.richMessage).toEqual({
      title: 'Chemise bleue',
      url: 'https://shop.example/chemise',
      imageUrl: 'https://shop.example/chemise.png',
    });

    // eGain's own bot in the customer's conversation offers a list: LivePerson gets it as structured content.
    await eg.send(chat, 'richMessage.listpicker', { senderType: 'egain_bot', text: 'Quelle taille ?', richMessage: SIZES });
    await eventually(() => expect(consumerEvents(lp, conv).at(-1)?.[0]).toBe('RichContentEvent undefined'));
    const published = lp.conversations.get(conv)!.events.at(-1)!.event;
    expect(published).toEqual({
      type: 'RichContentEvent',
      content: {
        type: 'vertical',
        elements: [
          { type: 'text', text: 'Quelle taille ?' },
          { type: 'button', title: 'S', click: { actions: [{ type: 'publishText', text: 'S' }] } },
          { type: 'button', title: 'M', click: { actions: [{ type: 'publishText', text: 'taille M' }] } },
        ],
      },
    });
    expect(eg.rejections).toEqual([]);
    expect(lp.state.rejections).toEqual([]);
  });
});

describe('rich messages to an eGain channel whose restrictions exclude rich text', () => {
  const bridge = bridgePerTest({ store: 'memory', tenants: [{ id: 'beta', customer: 'egain', agent: 'liveperson' }] });

  it('when the agent offers quick replies, then the customer reads them as text and answers by number; an eGain bot list reaches LivePerson as text', async () => {
    const eg = bridge().tenant('beta').egain!;
    const lp = bridge().tenant('beta').liveperson!;
    const chat = eg.openConversation(CUSTOMER_CHANNEL, 'customer-2');
    await eg.customerSays(chat, 'Bonjour');
    // Once the first message is in, the bridge has linked LivePerson's conversation: agent webhooks find it.
    await eventually(() => expect(consumerEvents(lp, onlyConversation(lp))).toHaveLength(1));
    const conv = onlyConversation(lp);

    await lp.agentQuickReplies(conv, 'Le problème est-il réglé ?', QUICK_REPLIES);
    await eventually(() => expect(egainSent(eg, chat)).toEqual([['text', QUICK_FALLBACK]]));
    await eg.customerSays(chat, '1');
    await eventually(() => expect(consumerEvents(lp, conv).at(-1)).toEqual(['ContentEvent text/plain', '1']));

    // consumerRichContent is off: the bot's list reaches the agent as its readable text.
    await eg.send(chat, 'richMessage.listpicker', { senderType: 'egain_bot', text: 'Quelle taille ?', richMessage: SIZES });
    const sizes = richFallbackText({ type: 'listPicker', title: 'Quelle taille ?', options: [{ title: 'S' }, { title: 'M', value: 'taille M' }] });
    await eventually(() => expect(consumerEvents(lp, conv).at(-1)).toEqual(['ContentEvent text/plain', sizes]));
    expect(eg.rejections).toEqual([]);
  });
});

describe('rich messages to RightNow (text only)', () => {
  const bridge = bridgePerTest({
    store: 'memory',
    tenants: [
      { id: 'acme', customer: 'rightnow', agent: 'liveperson' },
      { id: 'gamma', customer: 'rightnow', agent: 'egain' },
    ],
  });

  it('when a LivePerson agent sends a card, then the RightNow end user reads its text with the link and image', async () => {
    const rn = bridge().tenant('acme').rightnow!;
    const lp = bridge().tenant('acme').liveperson!;
    const engagement = rn.customerStartsChat({ firstName: 'Zoë' });
    await eventually(() => void onlyConversation(lp));
    // The bridge links LivePerson's conversation just after creating it: agent webhooks before that are dropped.
    await eventually(async () => expect(await bridge().service.bridge.store.resolveConversation('acme', 'liveperson', onlyConversation(lp))).toBeDefined());
    await lp.agentRichContent(onlyConversation(lp), CARD);
    await eventually(() => expect(rn.postsFor(engagement).map((p) => p.body)).toEqual([CARD_FALLBACK]));
  });

  it('when an eGain agent offers quick replies, then the RightNow end user reads them as text and the answer reaches eGain as text', async () => {
    const rn = bridge().tenant('gamma').rightnow!;
    const eg = bridge().tenant('gamma').egain!;
    const engagement = rn.customerStartsChat({ firstName: 'Jörg' });
    await eventually(() => expect(eg.messages).toHaveLength(1));
    const chat = eg.messages[0]!.conversationId;
    await eventually(async () => expect(await bridge().service.bridge.store.resolveConversation('gamma', 'egain', chat)).toBeDefined());
    const richMessage = { title: 'Le problème est-il réglé ?', options: { option: [{ title: 'Oui', value: 'Oui, merci' }, { title: 'Non' }] } };
    await eg.send(chat, 'richMessage.quickreply', { senderType: 'egain_agent', text: 'Le problème est-il réglé ?', richMessage });
    await eventually(() => expect(rn.postsFor(engagement).map((p) => p.body)).toEqual([QUICK_FALLBACK]));
    rn.customerSays(engagement, '1');
    await eventually(() => expect(egainSent(eg, chat).at(-1)).toEqual(['text', '1']));
  });
});
