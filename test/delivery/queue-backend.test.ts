import { laneOf, type QueuedHead } from '../../src/delivery/delivery.js';
import { MemoryQueueBackend } from '../../src/delivery/memory-queue.js';
import type { QueueBackend } from '../../src/delivery/queue-backend.js';
import { RedisQueueBackend } from '../../src/delivery/redis-queue.js';
import { connectRedis, type RedisClient } from '../../src/store/redis-connection.js';
import { messageDelivery as delivery } from '../support/deliveries.js';
import { connectTestRedis, deleteKeysWithPrefix, uniqueTestPrefix } from '../support/redis.js';
import { suiteCluster } from '../support/redis-cluster.js';

const redis = await connectTestRedis();
/** Stopped with its keys after the suite: nothing to delete there. */
const cluster = await suiteCluster();
const stores = ['memory', ...(redis ? ['redis'] : []), ...(cluster ? ['redis cluster'] : [])] as ('memory' | 'redis' | 'redis cluster')[];

afterAll(async () => {
  await redis?.quit();
});

/** The queue contract the worker relies on, below the bridge, against every backend. */
describe.each(stores)('queue backend (%s)', (store) => {
  const prefix = uniqueTestPrefix();
  let clock = 1_000_000;
  let queue: QueueBackend;
  let client: RedisClient | undefined;

  beforeEach(() => {
    const now = () => clock;
    if (store === 'memory') queue = new MemoryQueueBackend({ now });
    else {
      // The cluster client as production makes it (connectRedis), with its options.
      client = store === 'redis' ? redis!.duplicate() : connectRedis({ cluster: cluster!.urls });
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
  it('when a head is parked, then the lane is parked since its first park until the head leaves, with the head\'s age', async () => {
    const lane = laneOf(delivery('p1', 'x'));
    await queue.enqueue(lane, [{ ...delivery('p1', 'p1-e1'), acceptedAt: clock - 5_000 }, delivery('p1', 'p1-e2')], 60_000);
    const parkedAt = clock;
    const first = (await queue.claim(100, 'w1', 30_000)).find((c) => c.lane === lane)!.head!;
    expect(first.parkedSince).toBeUndefined();
    await queue.postpone(lane, 'w1', clock + 10, 1, first);
    clock += 10;
    // Held again (an open breaker): still parked since the first time.
    const again = (await queue.claim(100, 'w1', 30_000)).find((c) => c.lane === lane)!.head!;
    expect(again.parkedSince).toBe(parkedAt);
    await queue.postpone(lane, 'w1', clock + 10, 0, again);
    expect((await queue.parkedLanes()).filter((p) => p.lane === lane)).toEqual([{ lane, since: parkedAt, headAcceptedAt: parkedAt - 5_000 }]);

    clock += 10;
    const third = (await queue.claim(100, 'w1', 30_000)).find((c) => c.lane === lane)!.head!;
    expect(third.attempts).toBe(1);
    const next = await queue.complete(lane, 'w1', third.raw);
    expect(next.popped && next.next).toMatchObject({ attempts: 0 });
    expect(next.popped && next.next?.parkedSince).toBeUndefined();
    expect((await queue.parkedLanes()).map((p) => p.lane)).not.toContain(lane);
  });

  it('when a lane is given up, then its head and every event behind it become one group in order, and a replay puts them back together, in order, after later events', async () => {
    const lane = laneOf(delivery('g1', 'x'));
    await queue.enqueue(lane, ['g1-e1', 'g1-e2', 'g1-e3'].map((id) => delivery('g1', id)), 60_000);
    const head = (await queue.claim(100, 'w1', 30_000)).find((c) => c.lane === lane)!.head!;
    await queue.postpone(lane, 'w1', clock, 4, head);
    const parked = (await queue.claim(100, 'w1', 30_000)).find((c) => c.lane === lane)!.head!;
    const before = await queue.depth();
    expect(await queue.giveUp(lane, 'w2', parked, { head: 'gave up', rest: 'with its lane' })).toBeUndefined();
    expect(await queue.giveUp(lane, 'w1', { ...parked, raw: 'stale' }, { head: 'gave up', rest: 'with its lane' })).toBeUndefined();

    const given = await queue.giveUp(lane, 'w1', parked, { head: 'gave up', rest: 'with its lane' });
    expect(given).toEqual({ group: expect.any(String), count: 3 });
    expect(await queue.depth()).toBe(before - 3);
    expect((await queue.parkedLanes()).map((p) => p.lane)).not.toContain(lane);
    expect(await queue.renew(lane, 'w1', 30_000)).toBe(false);
    const letters = (await queue.listDeadLetters(100)).filter((l) => l.group === given!.group);
    expect(letters.map((l) => [l.delivery.event.id, l.position, l.reason, l.attempts])).toEqual([
      ['g1-e1', 1, 'gave up', 4],
      ['g1-e2', 2, 'with its lane', 0],
      ['g1-e3', 3, 'with its lane', 0],
    ]);
    expect(letters[1]!.delivery).toEqual(delivery('g1', 'g1-e2'));

    // The conversation went on meanwhile; the replayed group goes behind it, whole and in order.
    await queue.enqueue(lane, [delivery('g1', 'g1-e4')], 60_000);
    clock += 1;
    const replayed = await queue.replayGroup(given!.group);
    expect(replayed.map((l) => l.delivery.event.id)).toEqual(['g1-e1', 'g1-e2', 'g1-e3']);
    expect(await queue.replayGroup(given!.group)).toEqual([]);
    const order: string[] = [];
    let claimed = (await queue.claim(100, 'w3', 30_000)).find((c) => c.lane === lane)!.head;
    while (claimed) {
      order.push(claimed.delivery.event.id);
      if (claimed.delivery.event.id !== 'g1-e4') expect(claimed.delivery.acceptedAt).toBe(clock);
      const done = await queue.complete(lane, 'w3', claimed.raw);
      claimed = done.popped ? done.next : undefined;
    }
    expect(order).toEqual(['g1-e4', 'g1-e1', 'g1-e2', 'g1-e3']);
    expect((await queue.listDeadLetters(100)).filter((l) => l.group === given!.group)).toEqual([]);
  });

  it('when one letter of a group is replayed alone, then it leaves the group and the group replays without it', async () => {
    const lane = laneOf(delivery('g2', 'x'));
    await queue.enqueue(lane, ['g2-e1', 'g2-e2', 'g2-e3'].map((id) => delivery('g2', id)), 60_000);
    const head = (await queue.claim(100, 'w1', 30_000)).find((c) => c.lane === lane)!.head!;
    const given = await queue.giveUp(lane, 'w1', head, { head: 'gave up', rest: 'with its lane' });
    const second = (await queue.listDeadLetters(100)).find((l) => l.group === given!.group && l.position === 2)!;
    expect((await queue.takeDeadLetter(second.id))?.delivery.event.id).toBe('g2-e2');
    expect((await queue.replayGroup(given!.group)).map((l) => l.delivery.event.id)).toEqual(['g2-e1', 'g2-e3']);
  });
});
