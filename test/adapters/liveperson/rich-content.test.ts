import { publishedRich, quickRepliesOf, structuredContentOf } from '../../../adapters/liveperson/rich-content.js';
import { PublishedEvent } from '../../../adapters/liveperson/simulator/schemas.js';
import { InboundEvent } from '../../../src/model/events.js';
import { makeConnector, makeRuntime } from './harness.js';

const CONV = 'conv-rich';
const config = { accountId: '42257269', clientId: 'c', clientSecret: 's' };
const agentChange = (sequence: number, event: Record<string, unknown>, audience = 'ALL') => ({
  sequence,
  originatorMetadata: { id: 'agent-1', role: 'ASSIGNED_AGENT' },
  serverTimestamp: 1_700_000_000_000,
  event,
  conversationId: CONV,
  dialogId: CONV,
  messageAudience: audience,
});
const messaging = (...changes: unknown[]) => ({ kind: 'notification', type: 'ms.MessagingEventNotification', body: { changes } });

const QUICK = {
  type: 'quickReplies',
  itemsPerRow: 8,
  replies: [
    { type: 'button', title: 'Yes', click: { actions: [{ type: 'publishText', text: 'Yes please' }] } },
    { type: 'button', title: 'No', click: { actions: [{ type: 'publishText', text: 'No' }] } },
  ],
};
const CARD = {
  type: 'vertical',
  elements: [
    { type: 'image', url: 'https://shop.example/shirt.png', caption: 'Shirt' },
    { type: 'text', text: 'Blue shirt' },
    { type: 'text', text: '29 EUR' },
    { type: 'button', title: 'Buy', click: { actions: [{ type: 'link', name: 'Buy', uri: 'https://shop.example/buy' }] } },
  ],
};

describe('LivePerson rich content -> canonical', () => {
  it('when an agent text carries quick replies, then the message carries them and their readable text', async () => {
    const connector = makeConnector(config, makeRuntime());
    const [event] = await connector.normalize!(messaging(agentChange(4, { type: 'ContentEvent', contentType: 'text/plain', message: 'Did that help?', quickReplies: QUICK })));
    expect(InboundEvent.parse(event)).toMatchObject({
      kind: 'message',
      text: 'Did that help?\n1. Yes\n2. No',
      rich: { type: 'quickReplies', prompt: 'Did that help?', options: [{ title: 'Yes', value: 'Yes please' }, { title: 'No' }] },
    });
  });

  it('when an agent sends a card as structured content, then it is a canonical card with its image and link', async () => {
    const connector = makeConnector(config, makeRuntime());
    const [event] = await connector.normalize!(messaging(agentChange(5, { type: 'RichContentEvent', content: CARD })));
    expect(InboundEvent.parse(event)).toMatchObject({
      id: `liveperson:${CONV}:5`,
      rich: { type: 'card', title: 'Blue shirt', subtitle: '29 EUR', imageUrl: 'https://shop.example/shirt.png', url: 'https://shop.example/buy' },
    });
  });

  it('when structured content is a private note, then it never reaches the customer', async () => {
    const runtime = makeRuntime();
    const events = await makeConnector(config, runtime).normalize!(messaging(agentChange(6, { type: 'RichContentEvent', content: CARD }, 'AGENTS_AND_MANAGERS')));
    expect(events).toEqual([]);
    expect(runtime.drops).toEqual([{ kind: 'vendor', reason: 'private', type: 'RichContentEvent' }]);
  });

  it('when structured content holds nothing readable, then it is reported unrecognised, not dropped quietly', async () => {
    const runtime = makeRuntime();
    const unrecognizedSeen: { what: string }[] = [];
    runtime.unrecognized = (what) => void unrecognizedSeen.push({ what });
    const events = await makeConnector(config, runtime).normalize!(messaging(agentChange(7, { type: 'RichContentEvent', content: { type: 'map', la: 1, lo: 2 } })));
    expect(events).toEqual([]);
    expect(unrecognizedSeen).toEqual([{ what: 'field' }]);
  });

  it('when quick replies come in a shape we cannot read, then the text still arrives and the shape is reported', async () => {
    const runtime = makeRuntime();
    const unrecognizedSeen: string[] = [];
    runtime.unrecognized = (what, detail) => void unrecognizedSeen.push(`${what}: ${detail}`);
    const [event] = await makeConnector(config, runtime).normalize!(
      messaging(agentChange(8, { type: 'ContentEvent', contentType: 'text/plain', message: 'Pick', quickReplies: { options: ['a'] } })),
    );
    expect(event).toMatchObject({ kind: 'message', text: 'Pick' });
    expect(event).not.toHaveProperty('rich');
    expect(unrecognizedSeen).toEqual(['field: ContentEvent quickReplies without readable replies']);
  });

  it('when a carousel holds cards, then each card is an option of a list', () => {
    const card = (t: string) => ({ type: 'vertical', elements: [{ type: 'text', text: t }, { type: 'button', title: 'Pick', click: { actions: [{ type: 'publishText', text: t }] } }] });
    expect(structuredContentOf({ type: 'carousel', elements: [card('Red'), card('Green')] })).toEqual({
      type: 'listPicker',
      title: 'Red, Green',
      options: [{ title: 'Red', value: 'Red' }, { title: 'Green', value: 'Green' }],
    });
    expect(quickRepliesOf('x', { replies: [] })).toBeUndefined();
  });
});

describe('canonical rich content -> LivePerson', () => {
  it.each([
    ['quick replies', { type: 'quickReplies' as const, prompt: 'Size?', options: [{ title: 'S' }, { title: 'M', value: 'medium' }] }],
    ['a list picker', { type: 'listPicker' as const, title: 'Size', subtitle: 'pick one', options: [{ title: 'S' }] }],
    ['a card', { type: 'card' as const, title: 'Shirt', imageUrl: 'https://x.example/a.png', url: 'https://x.example', buttons: [{ title: 'Buy', value: 'buy' }] }],
  ])('when %s is published, then the simulator (its own reading of the docs) accepts it and it reads back the same', (_name, rich) => {
    const event = publishedRich(rich, 'fallback');
    expect(PublishedEvent.safeParse(event).error).toBeUndefined();
    const back = event.type === 'ContentEvent' ? quickRepliesOf(String(event.message), event.quickReplies) : structuredContentOf(event.content);
    expect(back).toMatchObject({ type: rich.type === 'listPicker' ? 'listPicker' : rich.type });
  });
});
