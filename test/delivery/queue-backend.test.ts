import type { Redis } from 'ioredis';
import { laneOf, type QueuedHead } from '../../src/delivery/delivery.js';
import { MemoryQueueBackend } from '../../src/delivery/memory-queue.js';
import type { QueueBackend } from '../../src/delivery/queue-backend.js';
import { RedisQueueBackend } from '../../src/delivery/redis-queue.js';
import { messageDelivery as delivery } from '../support/deliveries.js';
import { connectTestRedis, deleteKeysWithPrefix, uniqueTestPrefix } from '../support/redis.js';

const redis: Redis | undefined = await connectTestRedis();
const stores: ('memory' | 'redis')[] = redis ? ['memory', 'redis'] : ['memory'];

afterAll(async () => {
  await redis?.quit();
});

/** The queue contract the worker relies on, below the bridge, against both backends. */
describe.each(stores)('queue backend (%s)', (store) => {
  const prefix = uniqueTestPrefix();
  let clock = 1_000_000;
  let queue: QueueBackend;
  let client: Redis | undefined;

  beforeEach(() => {
    const now = () => clock;
    if (store === 'memory') queue = new MemoryQueueBackend({ now });
    else {
      client = redis!.duplicate();
      queue = new RedisQueueBackend(client, { keyPrefix: prefix, partitions: 4, now });
    }
  });

  afterEach(async () => {
    await queue.close();
    await client?.quit();
    client = undefined;
  });

  afterAll(async () => {
    if (store === 'redis') await deleteKeysWithPrefix(redis!, prefix);
  });

  it('when a lane is claimed, then its head comes with the claim, with the attempts a postpone added', async () => {
    const lane = laneOf(delivery('c1', 'x'));
    await queue.enqueue(lane, [delivery('c1', 'e1'), delivery('c1', 'e2')], 60_000);

    const [first] = await queue.claim(10, 'w1', 30_000);
    expect(first?.lane).toBe(lane);
    expect(first?.head?.delivery.event.id).toBe('e1');
    expect(first?.head?.attempts).toBe(0);
    expect(first?.head?.raw).toBe(JSON.stringify(delivery('c1', 'e1')));

    expect(await queue.postpone(lane, 'w1', clock + 1_000, 3, first!.head!)).toBe(true);
    expect(await queue.claim(10, 'w2', 30_000)).toEqual([]);
    clock += 1_000;
    const again = await queue.claim(10, 'w2', 30_000);
    expect(again.map((c) => [c.lane, c.head?.delivery.event.id, c.head?.attempts])).toEqual([[lane, 'e1', 3]]);
  });

  it('when the last event is dead-lettered, then the claim is given up with it and the lane leaves the schedule', async () => {
    const lane = laneOf(delivery('c4', 'x'));
    await queue.enqueue(lane, [delivery('c4', 'e1'), delivery('c4', 'e2')], 60_000);
    const claimed = (await queue.claim(100, 'w1', 30_000)).find((c) => c.lane === lane);
    const first = await queue.deadLetter(lane, 'w1', claimed!.head!, 'refused');
    expect(first).toMatchObject({ popped: true, next: { attempts: 0 } });
    expect(first.popped && first.next?.delivery.event.id).toBe('e2');
    expect(await queue.deadLetter(lane, 'w1', (first as { next: QueuedHead }).next, 'refused')).toEqual({ popped: true, next: undefined });
    // No release was needed: another worker finds nothing to claim, and the claim is not ours any more.
    expect((await queue.claim(100, 'w2', 1)).map((c) => c.lane)).not.toContain(lane);
    expect(await queue.renew(lane, 'w1', 30_000)).toBe(false);
    expect((await queue.listDeadLetters(10)).map((l) => l.delivery.event.id)).toEqual(expect.arrayContaining(['e1', 'e2']));
  });
});
