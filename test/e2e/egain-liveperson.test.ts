import type { CallbackShape } from '../../adapters/egain/simulator/index.js';
import { eventually } from '../support/eventually.js';
import { bridgePerTest, consumerEvents, CUSTOMER_CHANNEL, EGAIN_MAX_TEXT, egainSent, onlyConversation, PNG, STORE_MODES } from './harness.js';

const GREETING = 'Bonjour, ma commande n°42 — où est-elle ? 🙂';
const REPLY = 'Je regarde ça — 少々お待ちください';
const LONG = `${'Ceci est un très long message, découpé proprement 🇫🇷. '.repeat(12)}fin`;
const REFUSAL = "Files of type 'png' cannot be sent here.";
const ZOE = { firstName: 'Zoë', lastName: 'Ångström', language: 'fr-FR', contacts: { contact: [{ type: 'email', address: 'zoe@example.com' }] } };

/** eGain's docs leave open where a callback names the conversation and how it names the customer: each reading is played. */
const SHAPES: [string, CallbackShape][] = [
  ['the conversation in each message and firstName/lastName', { conversationIn: 'message', customerName: 'firstLast' }],
  ['the conversation in metadata and one name', { conversationIn: 'metadata', customerName: 'name' }],
];

/** What LivePerson's SetUserProfile must carry for Zoë, by how eGain named her. */
function profileFor(shape: CallbackShape) {
  const contact = { language: 'fr-FR', contacts: [{ email: 'zoe@example.com' }] };
  const sdes =
    shape.customerName === 'name'
      ? [{ type: 'ctmrinfo', info: { userName: 'Zoë Ångström' } }, { type: 'personal', personal: contact }]
      : [{ type: 'personal', personal: { firstname: 'Zoë', lastname: 'Ångström', ...contact } }];
  return { authenticatedData: { lp_sdes: sdes } };
}

describe.each(STORE_MODES)('route egain -> liveperson (%s store)', (store) => {
  describe.each(SHAPES)('with %s in eGain callbacks', (_shapeName, shape) => {
    const bridge = bridgePerTest({ store, tenants: [{ id: 'beta', customer: 'egain', agent: 'liveperson', egainCallbacks: shape }] });
    const beta = () => bridge().tenant('beta');

    async function converse() {
      const eg = beta().egain!;
      const lp = beta().liveperson!;
      const chat = eg.openConversation(CUSTOMER_CHANNEL, 'customer-1', ZOE);
      const customer = { senderType: 'customer' as const };

      // The first message opens the LivePerson conversation with the customer eGain named.
      await eg.customerSays(chat, GREETING, { id: 'greeting' });
      await eventually(() => expect(consumerEvents(lp, onlyConversation(lp))).toEqual([['ContentEvent text/plain', GREETING]]));
      const conv = onlyConversation(lp);
      expect(lp.conversations.get(conv)!.profiles).toEqual([profileFor(shape)]);

      // The Hub delivers the same callback again: a duplicate, not an echo, and the agent sees it once.
      expect((await eg.customerSays(chat, GREETING, { id: 'greeting' })).status).toBe(200);
      expect((await bridge().metrics.duplicates.get()).values.find((v) => v.labels.platform === 'egain')?.value).toBe(1);
      expect(await bridge().dropped({ tenant: 'beta', platform: 'egain', kind: 'text' })).toBe(0);

      await lp.agentJoins(conv, { id: 'agent-9' });
      await eventually(() => expect(egainSent(eg, chat)).toEqual([['agent.join', undefined]]));

      await eg.send(chat, 'typing.start', customer);
      await eventually(() => expect(consumerEvents(lp, conv).at(-1)).toEqual(['ChatStateEvent', 'COMPOSING']));
      await lp.agentTyping(conv, 'COMPOSING');
      await eventually(() => expect(egainSent(eg, chat).at(-1)).toEqual(['typing.start', undefined]));

      await eg.customerSays(chat, LONG);
      const photo = eg.addAsset({ name: 'photo.png', contentType: 'image/png', bytes: PNG, channelType: CUSTOMER_CHANNEL, senderType: 'customer' });
      await eg.customerSays(chat, 'Voici la photo', { attachmentIds: [photo] });
      await eventually(() => expect(consumerEvents(lp, conv)).toHaveLength(6));
      expect(consumerEvents(lp, conv)).toEqual([
        ['ContentEvent text/plain', GREETING],
        ['ChatStateEvent', 'COMPOSING'],
        ['ContentEvent text/plain', LONG],
        ['ChatStateEvent', 'PAUSE'],
        ['ContentEvent text/plain', 'Voici la photo'],
        ['ContentEvent hosted/file', expect.objectContaining({ caption: 'photo.png', fileType: 'PNG' })],
      ]);

      // eGain's channel takes at most EGAIN_MAX_TEXT UTF-16 code units: the long reply arrives in parts, nothing lost, no flag cut.
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
      expect(await bridge().dropped({ tenant: 'beta', platform: 'egain', kind: 'message', reason: 'file-type-refused' })).toBe(1);
      // With a caption, the caption still reaches the customer; only the file stays behind.
      await lp.agentSharesFile(conv, { name: 'scan2.png', fileType: 'PNG', caption: 'Le bon de livraison' });
      await eventually(() => expect(egainSent(eg, chat).at(-1)).toEqual(['text', 'Le bon de livraison']));
      await eventually(() => expect(consumerEvents(lp, conv).filter(([, text]) => text === REFUSAL)).toHaveLength(2));
      // The partial refusal counts as a second drop of the message kind, for the same reason.
      expect(await bridge().dropped({ tenant: 'beta', platform: 'egain', kind: 'message', reason: 'file-type-refused' })).toBe(2);
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
});

describe('eGain callbacks in a shape the bridge cannot read', () => {
  const bridge = bridgePerTest({ store: 'memory', tenants: [{ id: 'beta', customer: 'egain', agent: 'liveperson' }] });

  it('when the Hub posts a body of another shape, then the webhook answers 400 with what is missing and counts it; nothing reaches LivePerson', async () => {
    const eg = bridge().tenant('beta').egain!;
    const chat = eg.openConversation(CUSTOMER_CHANNEL, 'customer-1');
    const payload = eg.callbackPayload(chat, 'text', { text: 'hello', senderType: 'customer' });
    const { conversation: _dropped, ...orphan } = payload.messages.message[0]!;
    const answer = await eg.deliver({ ...payload, messages: { message: [orphan] } });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({
      error: 'invalid_payload',
      details: [{ path: 'messages.message.0.conversation.id', problem: expect.stringContaining('no conversation id') }],
    });
    const { values } = await bridge().metrics.inboundUnrecognized.get();
    expect(values).toEqual([expect.objectContaining({ labels: { tenant: 'beta', platform: 'egain', what: 'field' }, value: 1 })]);
    expect(bridge().tenant('beta').liveperson!.conversations.size).toBe(0);
  });
});
