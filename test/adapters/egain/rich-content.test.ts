import { readChoice, readRichMessage } from '../../../adapters/egain/rich-content.js';
import { INTERACTION_SCOPE, READ_SCOPE, startEgainSimulator, type EgainSimulator } from '../../../adapters/egain/simulator/index.js';
import type { ChannelBody } from '../../../adapters/egain/wire.js';
import { richMessageBody } from '../../../src/model/rich-text.js';
import { CHANNEL, deliveryContext, egainConfig, event, makeConnector, makeRuntime, TENANT } from './harness.js';
import { sendEvent } from '../../../src/delivery/send-event.js';

const QUICK = { type: 'quickReplies' as const, prompt: 'Did that help?', options: [{ title: 'Yes' }, { title: 'No', value: 'not really' }] };
const LIST = { type: 'listPicker' as const, title: 'Pick a size', options: [{ title: 'S' }, { title: 'M' }] };
const CARD = { type: 'card' as const, title: 'Blue shirt', url: 'https://shop.example/shirt', imageUrl: 'https://shop.example/shirt.png' };

/** The customers' channel: rich text, and of the rich types only quick replies and rich links. */
const RICH_CHANNEL: ChannelBody = {
  type: 'web_rich',
  displayName: 'web',
  icon: 'aWNvbg==',
  restrictions: { outbound: { maxTextLength: 200, features: ['typing_events', 'richText'], richMessageTypes: ['quickreply', 'richlink'] } },
};

describe('eGain rich messages: reading every plausible shape', () => {
  it.each([
    ['content.richMessage with wrapped options', { text: 'Did that help?', richMessage: { title: 'Did that help?', options: { option: [{ title: 'Yes' }, { title: 'No', value: 'not really' }] } } }],
    ['content.quickreply with a bare list', { quickreply: { text: 'Did that help?', options: [{ label: 'Yes' }, { label: 'No', payload: 'not really' }] } }],
    ['the fields in content, items wrapped as item[]', { text: 'Did that help?', items: { item: [{ name: 'Yes' }, { name: 'No', value: 'not really' }] } }],
  ])('when a quick reply comes as %s, then it reads as the same canonical quick replies', (_shape, content) => {
    expect(readRichMessage('quickreply', content)).toEqual(richMessageBody(QUICK));
  });

  it('when a rich link names its image as image.url, then the card carries it', () => {
    const read = readRichMessage('richlink', { richlink: { title: 'Blue shirt', link: 'https://shop.example/shirt', image: { url: 'https://shop.example/shirt.png' } } });
    expect(read?.rich).toEqual({ ...CARD, buttons: [] });
  });

  it('when a rich message has no structure we can read, then it is not rich (the caller keeps its text)', () => {
    expect(readRichMessage('quickreply', { text: 'Pick one' })).toBeUndefined();
    expect(readRichMessage('timepicker', { richMessage: { title: 'When?' } })).toBeUndefined();
  });

  it.each([
    ['selected', { richMessage: { selected: [{ title: 'No', value: 'not really' }] } }, 'not really'],
    ['options marked selected', { options: { option: [{ title: 'S' }, { title: 'M', selected: true }] } }, 'M'],
    ['only a text', { text: 'Yes' }, 'Yes'],
  ])('when a customer answer comes as %s, then the choice reads as text', (_shape, content, text) => {
    expect(readChoice(content)).toBe(text);
  });
});

describe('eGain outbound rich messages (the bridge speaks for agents to a customer channel)', () => {
  let sim: EgainSimulator;
  beforeEach(async () => {
    sim = await startEgainSimulator({
      channels: [CHANNEL, RICH_CHANNEL],
      clients: [{ clientId: 'bridge', clientSecret: 'bridge-secret', type: 'custom_agent', scopes: [INTERACTION_SCOPE, READ_SCOPE] }],
    });
  });
  afterEach(() => sim.close());

  async function send(channelType: string, rich: typeof QUICK | typeof LIST | typeof CARD) {
    const runtime = makeRuntime();
    const connector = makeConnector(egainConfig(sim), runtime);
    const conversationId = sim.openConversation(channelType, 'cust@example.com');
    // As a callback of that conversation would have told the adapter.
    await runtime.store.set(runtime.store.key('egain', 'channel', TENANT, conversationId), channelType);
    const ctx = await deliveryContext(runtime, 'customer', conversationId);
    const result = await sendEvent(connector.outbound, event({ kind: 'message', ...richMessageBody(rich) }, 'agent'), ctx);
    return { result, sent: sim.messages.map((m) => m.message) };
  }

  it('when the channel takes quick replies, then they go as richMessage.quickreply with their readable text', async () => {
    const { result, sent } = await send('web_rich', QUICK);
    expect(result.status).toBe('sent');
    expect(sent).toEqual([
      expect.objectContaining({
        type: { value: 'richMessage.quickreply' },
        content: { text: richMessageBody(QUICK).text, richMessage: { title: 'Did that help?', options: { option: QUICK.options } } },
      }),
    ]);
    expect(sim.rejections).toEqual([]);
  });

  it('when the channel takes rich links, then a card goes as richMessage.richlink with its image', async () => {
    const { sent } = await send('web_rich', CARD);
    expect(sent[0]).toMatchObject({ type: { value: 'richMessage.richlink' }, content: { richMessage: { title: 'Blue shirt', url: CARD.url, imageUrl: CARD.imageUrl } } });
  });

  it('when the channel lists rich types without listpicker, then a list picker goes as its text', async () => {
    const { result, sent } = await send('web_rich', LIST);
    expect(result.status).toBe('sent');
    expect(sent.map((m) => [m.type.value, m.content?.text])).toEqual([['text', 'Pick a size\n1. S\n2. M']]);
  });

  it('when the channel has no richText feature, then quick replies go as their text', async () => {
    const { sent } = await send(CHANNEL.type, QUICK);
    expect(sent.map((m) => [m.type.value, m.content?.text, m.content?.richMessage])).toEqual([['text', richMessageBody(QUICK).text, undefined]]);
    expect(sim.rejections).toEqual([]);
  });
});
