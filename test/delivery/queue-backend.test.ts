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

  it('when an idle lane is enqueued with a claim, then it comes back claimed with its head, for that worker alone', async () => {
    const lane = laneOf(delivery('k1', 'x'));
    const { accepted, claimed } = await queue.enqueue(lane, [delivery('k1', 'k1-e1'), delivery('k1', 'k1-e2')], 60_000, { token: 'w1', leaseMs: 30_000 });
    expect(accepted).toEqual([true, true]);
    expect(claimed).toEqual({ raw: JSON.stringify(delivery('k1', 'k1-e1')), delivery: delivery('k1', 'k1-e1'), attempts: 0 });
    // Nobody else finds it, swept or announced.
    expect((await queue.claim(100, 'w2', 30_000)).map((c) => c.lane)).not.toContain(lane);
    const next = await queue.complete(lane, 'w1', claimed!.raw);
    expect(next.popped && next.next?.delivery.event.id).toBe('k1-e2');
    expect(await queue.complete(lane, 'w1', (next as { next: QueuedHead }).next.raw)).toEqual({ popped: true, next: undefined });
  });

  it('when the lane holds events or is held, or nothing new was accepted, then enqueue with a claim only appends', async () => {
    const lane = laneOf(delivery('k2', 'x'));
    await queue.enqueue(lane, [delivery('k2', 'k2-e1')], 60_000);
    // Not idle: queued, unclaimed. The new event goes behind; the claim comes from a claim.
    expect(await queue.enqueue(lane, [delivery('k2', 'k2-e2')], 60_000, { token: 'w1', leaseMs: 30_000 })).toEqual({ accepted: [true] });
    const [held] = (await queue.claim(100, 'w2', 30_000)).filter((c) => c.lane === lane);
    expect(held?.head?.delivery.event.id).toBe('k2-e1');
    // Held by w2: w3 cannot take it, and w2 gets the new event after the others.
    expect(await queue.enqueue(lane, [delivery('k2', 'k2-e3')], 60_000, { token: 'w3', leaseMs: 30_000 })).toEqual({ accepted: [true] });
    let head = held!.head!;
    const order = [head.delivery.event.id];
    for (;;) {
      const done = await queue.complete(lane, 'w2', head.raw);
      if (!done.popped || !done.next) break;
      head = done.next;
      order.push(head.delivery.event.id);
    }
    expect(order).toEqual(['k2-e1', 'k2-e2', 'k2-e3']);
    // Idle again, but a duplicate adds nothing: nothing to claim.
    const depth = await queue.depth();
    expect(await queue.enqueue(lane, [delivery('k2', 'k2-e3')], 60_000, { token: 'w1', leaseMs: 30_000 })).toEqual({ accepted: [false] });
    expect(await queue.depth()).toBe(depth);
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
