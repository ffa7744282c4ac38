import { MemoryQueueBackend } from '../../src/delivery/memory-queue.js';
import type { InboundEventInput } from '../../src/model/events.js';
import { RedisMappingStore } from '../../src/store/redis-store.js';
import { eventually } from '../support/eventually.js';
import { testIngestor } from '../support/ingestor.js';
import { suiteRedis } from '../support/redis.js';

/** The ingestor over the real Redis store: what its batching and the store's stable copies must not change. */

const { redis, prefix } = await suiteRedis();

let n = 0;
function setup(store: RedisMappingStore) {
  const queue = new MemoryQueueBackend();
  return { queue, ingestor: testIngestor(store, queue) };
}

const say = (conversationId: string, seq: number): InboundEventInput => ({
  kind: 'message',
  id: `cust:${conversationId}:${seq}`,
  text: `message ${seq}`,
  origin: { platform: 'cust', conversationId, messageId: `${conversationId}-m${seq}` },
  sender: { role: 'customer' },
  timestamp: new Date().toISOString(),
});

async function queuedConversations(queue: MemoryQueueBackend): Promise<Map<string, string>> {
  const byEvent = new Map<string, string>();
  for (const { lane, head: first } of await queue.claim(100, 'test')) {
    for (let head = first; head; ) {
      byEvent.set(head.delivery.event.id, head.delivery.event.conversationId);
      const done = await queue.complete(lane, 'test', head.raw);
      head = done.popped ? done.next : undefined;
    }
  }
  return byEvent;
}

(redis ? describe : describe.skip)('Ingestor on the Redis store', () => {
  it('when a conversation expired after this instance resolved it, then the next customer event starts a new one', async () => {
    const store = new RedisMappingStore(redis!, { keyPrefix: `${prefix}${(n += 1)}:`, mappingTtlMs: 400 });
    const { queue, ingestor } = setup(store);
    await ingestor.ingest('acme', 'cust', [say('c1', 1)]);
    await ingestor.ingest('acme', 'cust', [say('c1', 2)]);
    const first = (await queuedConversations(queue)).get('cust:c1:1')!;
    await eventually(async () => expect(await store.getConversation('acme', first)).toBeUndefined());
    expect(await ingestor.ingest('acme', 'cust', [say('c1', 3)])).toMatchObject({ accepted: 1, dropped: 0 });
    const third = (await queuedConversations(queue)).get('cust:c1:3');
    expect(third).toBeDefined();
    expect(third).not.toBe(first);
  });

  it('when the record is gone but its native index is not yet, then the next customer event starts a new conversation', async () => {
    const store = new RedisMappingStore(redis!, { keyPrefix: `${prefix}${(n += 1)}:` });
    const { queue, ingestor } = setup(store);
    await ingestor.ingest('acme', 'cust', [say('c1', 1)]);
    const first = (await queuedConversations(queue)).get('cust:c1:1')!;
    // The record expires a moment before the index written after it: the moment, made to last.
    await redis!.del(store.key('conv', 'acme', first));
    expect(await ingestor.ingest('acme', 'cust', [say('c1', 2)])).toMatchObject({ accepted: 1, dropped: 0 });
    const second = (await queuedConversations(queue)).get('cust:c1:2');
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
  });

  it('when one batch spans conversations, then every event is queued under its own conversation, in order', async () => {
    const store = new RedisMappingStore(redis!, { keyPrefix: `${prefix}${(n += 1)}:` });
    const { queue, ingestor } = setup(store);
    const batch = [say('a', 1), say('b', 1), say('a', 2), say('c', 1), say('b', 2)];
    expect(await ingestor.ingest('acme', 'cust', batch)).toMatchObject({ accepted: 5 });
    const ids = await Promise.all(['a', 'b', 'c'].map(async (c) => (await store.resolveConversation('acme', 'cust', c))!.id));
    expect(new Set(ids).size).toBe(3);
    const queued = await queuedConversations(queue);
    expect([...queued.keys()].filter((id) => id.startsWith('cust:a:'))).toEqual(['cust:a:1', 'cust:a:2']);
    expect(queued.get('cust:b:2')).toBe(ids[1]);
    expect(await store.findMessage('acme', 'cust', 'b-m2')).toBe('cust:b:2');
  });

  it('when one batch names an event twice (a vendor repeating a message in one callback), then it is queued once and the repeat counts as a duplicate', async () => {
    const store = new RedisMappingStore(redis!, { keyPrefix: `${prefix}${(n += 1)}:` });
    const { queue, ingestor } = setup(store);
    expect(await ingestor.ingest('acme', 'cust', [say('c1', 1), say('c1', 1)])).toMatchObject({ accepted: 1, duplicates: 1 });
    expect([...(await queuedConversations(queue)).keys()]).toEqual(['cust:c1:1']);
  });

  it('when a message link fails to write, then the ingest fails, and the redelivery writes it while the queue drops the copy', async () => {
    let failures = 1;
    class FlakyStore extends RedisMappingStore {
      override async linkMessage(tenant: string, eventId: string, platform: string, nativeId: string): Promise<void> {
        if (failures-- > 0) throw new Error('store down');
        return super.linkMessage(tenant, eventId, platform, nativeId);
      }
    }
    const store = new FlakyStore(redis!, { keyPrefix: `${prefix}${(n += 1)}:` });
    const { ingestor } = setup(store);
    await expect(ingestor.ingest('acme', 'cust', [say('c1', 1)])).rejects.toThrow('store down');
    expect(await store.findMessage('acme', 'cust', 'c1-m1')).toBeUndefined();
    expect(await ingestor.ingest('acme', 'cust', [say('c1', 1)])).toMatchObject({ accepted: 0, duplicates: 1 });
    expect(await store.findMessage('acme', 'cust', 'c1-m1')).toBe('cust:c1:1');
  });
});
