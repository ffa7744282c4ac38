import { InboundEvent } from '../../src/model/events.js';
import { choiceText, richFallbackText } from '../../src/model/rich-text.js';

const base = { id: 'x:1', origin: { platform: 'liveperson', conversationId: 'c1' }, sender: { role: 'agent' }, timestamp: '2026-01-01T00:00:00Z' };

describe('canonical rich messages', () => {
  it('when quick replies are offered, then the fallback text names every option, numbered', () => {
    const text = richFallbackText({ type: 'quickReplies', prompt: 'Did that help?', options: [{ title: 'Yes' }, { title: 'No', subtitle: 'talk to someone' }] });
    expect(text).toBe('Did that help?\n1. Yes\n2. No — talk to someone');
  });

  it('when a card has an image, a link and buttons, then the fallback writes each out in full', () => {
    const text = richFallbackText({
      type: 'card',
      title: 'Blue shirt',
      subtitle: '29 EUR',
      url: 'https://shop.example/shirt',
      imageUrl: 'https://shop.example/shirt.png',
      buttons: [{ title: 'Buy', url: 'https://shop.example/buy' }],
    });
    expect(text).toBe('Blue shirt\n29 EUR\nhttps://shop.example/shirt\nImage: https://shop.example/shirt.png\n1. Buy — https://shop.example/buy');
  });

  it('when a list picker allows several choices, then the fallback says so', () => {
    const text = richFallbackText({ type: 'listPicker', title: 'Sizes', multipleSelection: true, options: [{ title: 'S' }, { title: 'M' }] });
    expect(text).toBe('Sizes\n(choose one or more)\n1. S\n2. M');
  });

  it('when a rich message comes without its text fallback, then the edge refuses it', () => {
    const rich = { type: 'quickReplies', prompt: '', options: [{ title: 'Yes' }] };
    const parsed = InboundEvent.safeParse({ ...base, kind: 'message', text: ' ', rich });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ path: ['text'], message: expect.stringContaining('fallback') });
    expect(InboundEvent.safeParse({ ...base, kind: 'message', text: 'Yes?', rich }).success).toBe(true);
  });

  it('when a choice comes back, then it says the option value, else its title', () => {
    expect(choiceText({ title: 'Yes', value: 'yes-please' })).toBe('yes-please');
    expect(choiceText({ title: 'Yes' })).toBe('Yes');
  });
});
