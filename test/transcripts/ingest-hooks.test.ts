import type { Delivery } from '../../src/delivery/delivery.js';
import type { InboundEventInput } from '../../src/model/events.js';
import { MemoryMappingStore } from '../../src/store/memory-store.js';
import { Transcripts } from '../../src/transcripts/transcripts.js';
import { testIngestor } from '../support/ingestor.js';

function setup(transcripts?: (store: MemoryMappingStore) => Transcripts) {
  const store = new MemoryMappingStore({ keyPrefix: 'ih:' });
  const queued: Delivery[] = [];
  const queue = {
    async enqueue(_lane: string, deliveries: Delivery[]) {
      queued.push(...deliveries);
      return deliveries.map(() => true);
    },
  };
  const ingestor = testIngestor(store, queue, transcripts?.(store));
  return { store, queued, ingestor };
}

const at = new Date().toISOString();
const say = (id: string, text: string): InboundEventInput => ({
  kind: 'message',
  id,
  text,
  origin: { platform: 'cust', conversationId: 'c1' },
  sender: { role: 'customer' },
  timestamp: at,
});
const join = (id: string, transfer: boolean, platform: string, conversationId: string): InboundEventInput => ({
  kind: 'participant.joined', id, transfer, participant: { id: 'a2', role: 'agent' }, origin: { platform, conversationId }, sender: { role: 'system' }, timestamp: at,
});

describe('ingestor hooks for transcripts', () => {
  it('when an agent is transferred on the agent side, then a summary is queued towards that side', async () => {
    const { store, queued, ingestor } = setup((s) => new Transcripts(s, { maxEvents: 50, retentionSeconds: 60, summaryMessages: 5 }));
    await ingestor.ingest('acme', 'cust', [say('cust:c1:1', 'hello')]);
    const id = (await store.resolveConversation('acme', 'cust', 'c1'))!.id;
    await store.linkConversation('acme', id, 'agent', 'a1');
    await ingestor.ingest('acme', 'agent', [join('agent:a1:first', false, 'agent', 'a1'), join('agent:a1:transfer', true, 'agent', 'a1')]);
    expect(queued.map((d) => `${d.target} ${d.event.id}`)).toEqual([
      'agent cust:c1:1',
      'cust agent:a1:first',
      'cust agent:a1:transfer',
      'agent agent:a1:transfer:summary',
    ]);
    expect(queued[3]!.event).toMatchObject({ kind: 'message', sender: { role: 'system' }, text: 'Conversation so far (last 1 of 1 messages):\nCustomer: hello' });
  });

  it('when a transfer comes from the customer side, then no summary is sent', async () => {
    const { queued, ingestor } = setup((s) => new Transcripts(s, { maxEvents: 50, retentionSeconds: 60, summaryMessages: 5 }));
    await ingestor.ingest('acme', 'cust', [say('cust:c1:1', 'hello'), join('cust:c1:t', true, 'cust', 'c1')]);
    expect(queued.map((d) => d.event.id)).toEqual(['cust:c1:1', 'cust:c1:t']);
  });

  it('when the transcript store fails, then the events are still accepted', async () => {
    const { queued, ingestor } = setup(
      (s) =>
        new (class extends Transcripts {
          override async append(): Promise<void> {
            throw new Error('store down');
          }
        })(s, { maxEvents: 50, retentionSeconds: 60, summaryMessages: 5 }),
    );
    expect(await ingestor.ingest('acme', 'cust', [say('cust:c1:1', 'hello')])).toEqual({ accepted: 1, duplicates: 0, dropped: 0 });
    expect(queued).toHaveLength(1);
  });
});
