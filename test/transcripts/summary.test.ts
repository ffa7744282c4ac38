import { ConversationEvent, type SenderRole } from '../../src/model/events.js';
import { MemoryMappingStore } from '../../src/store/memory-store.js';
import { handOffSummary } from '../../src/transcripts/summary.js';
import { Transcripts } from '../../src/transcripts/transcripts.js';

let n = 0;
function event(body: Record<string, unknown>, role: SenderRole = 'customer', name?: string): ConversationEvent {
  n += 1;
  return ConversationEvent.parse({
    id: `p:c:${n}`,
    tenant: 'acme',
    conversationId: 'conv-1',
    origin: { platform: 'p', conversationId: 'c' },
    sender: { role, ...(name ? { name } : {}) },
    timestamp: new Date().toISOString(),
    ...body,
  });
}
const say = (text: string, role: SenderRole = 'customer', name?: string, attachments: unknown[] = []) =>
  event({ kind: 'message', text, attachments }, role, name);

describe('hand-off summary', () => {
  it('when there were messages, then it quotes the last ones with who said them, leaving out the bridge\'s own', () => {
    const transcript = [
      event({ kind: 'conversation.started', customer: {}, subject: 'Refund' }),
      say('first'),
      event({ kind: 'typing', state: 'start' }),
      say('second', 'agent', 'Agnès'),
      say('Conversation so far: an earlier summary', 'system'),
      say('   third\n  line  ', 'bot'),
      say('', 'customer', undefined, [{ name: 'photo.png', contentType: 'image/png', size: 3 }]),
    ];
    expect(handOffSummary(transcript, 3)).toBe(
      'Conversation so far about "Refund" (last 3 of 4 messages):\nAgent (Agnès): second\nBot: third line\nCustomer: [file: photo.png]',
    );
  });

  it('when a message is long, then its quote is cut to 200 characters', () => {
    const summary = handOffSummary([say('x'.repeat(1000))], 5)!;
    const quoted = summary.split('\n')[1]!.slice('Customer: '.length);
    expect(quoted).toHaveLength(200);
    expect(quoted.endsWith('…')).toBe(true);
  });

  it('when nothing was said, or summaries are off, then there is no summary', () => {
    expect(handOffSummary([event({ kind: 'typing', state: 'start' }), say('notice', 'system')], 10)).toBeUndefined();
    expect(handOffSummary([say('hello')], 0)).toBeUndefined();
  });
});

describe('transcripts in the store', () => {
  it('when more than maxEvents are appended, then the newest are read back in order, and foreign entries are skipped', async () => {
    const store = new MemoryMappingStore({ keyPrefix: 'tt:' });
    const transcripts = new Transcripts(store, { maxEvents: 3, retentionSeconds: 60, summaryMessages: 10 });
    const events = ['a', 'b', 'c', 'd'].map((t) => say(t));
    for (const e of events) await transcripts.append(e);
    await store.listAppend(store.key('transcript', 'acme', 'conv-1'), '{not json', { maxLength: 3 });
    expect((await transcripts.read('acme', 'conv-1')).map((e) => (e.kind === 'message' ? e.text : e.kind))).toEqual(['c', 'd']);
    expect(await transcripts.read('other', 'conv-1')).toEqual([]);
  });
});
