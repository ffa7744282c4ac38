import { laneOf } from '../../src/delivery/delivery.js';
import { RedisQueueBackend } from '../../src/delivery/redis-queue.js';
import { connectRedis, type RedisClient } from '../../src/store/redis-connection.js';
import { messageDelivery as delivery } from '../support/deliveries.js';
import { connectTestRedis, deleteKeysWithPrefix, uniqueTestPrefix } from '../support/redis.js';
import { suiteCluster } from '../support/redis-cluster.js';
import { eventually } from '../support/eventually.js';

const redis = await connectTestRedis();
const cluster = await suiteCluster();
const runPrefix = uniqueTestPrefix();

interface Target {
  name: string;
  connect(): RedisClient;
}
const targets: Target[] = [];
if (redis) targets.push({ name: 'one Redis', connect: () => redis.duplicate() });
// The cluster client as production makes it (connectRedis), with its options.
if (cluster) targets.push({ name: 'a Redis Cluster', connect: () => connectRedis({ cluster: cluster.urls }) });

afterAll(async () => {
  if (!redis) return;
  // The cluster's keys go with its servers.
  await deleteKeysWithPrefix(redis, runPrefix);
  await redis.quit();
});

/** Jest refuses an empty table: with neither (outside CI) the suite is skipped, as the messages above said. */
const describeEachTarget = targets.length > 0 ? describe.each(targets) : describe.skip.each([{ name: 'no Redis', connect: () => redis! }]);

/** The Redis queue's own bookkeeping: what the worker no longer asks for in separate commands. */
describeEachTarget('Redis queue backend on $name', (target) => {
  const prefix = `${runPrefix}${target.name.replaceAll(' ', '-')}:`;
  /** For what the tests do behind the queue's back. */
  const direct = target.connect();
  const backends: RedisQueueBackend[] = [];
  const clients: RedisClient[] = [direct];

  function backend(): RedisQueueBackend {
    const client = target.connect();
    clients.push(client);
    const created = new RedisQueueBackend(client, { keyPrefix: prefix, partitions: 4 });
    backends.push(created);
    return created;
  }

  afterAll(async () => {
    for (const b of backends) await b.close();
    await Promise.all(clients.map((c) => c.quit()));
  });

  it('when a head is completed, then the next head comes back in order and the claim ends with the last one', async () => {
    const queue = backend();
    const lane = laneOf(delivery('c1', 'x'));
    await queue.enqueue(lane, [delivery('c1', 'e1'), delivery('c1', 'e2')], 60_000);
    const [first] = await queue.claim(10, 'w1', 30_000);
    expect(first?.lane).toBe(lane);

    const afterFirst = await queue.complete(lane, 'w1', first!.head!.raw);
    expect(afterFirst.popped && afterFirst.next?.delivery.event.id).toBe('e2');
    const afterSecond = await queue.complete(lane, 'w1', afterFirst.popped ? afterFirst.next!.raw : '');
    expect(afterSecond).toEqual({ popped: true, next: undefined });

    // No release was called: new work in the lane is claimable at once by another worker.
    await queue.enqueue(lane, [delivery('c1', 'e3')], 60_000);
    const again = await queue.claim(10, 'w2', 30_000);
    expect(again.map((c) => [c.lane, c.head?.delivery.event.id])).toEqual([[lane, 'e3']]);
  });

  it('when more lanes are due than there are free slots, then the rest are claimed as slots free, without a sweep', async () => {
    const queue = backend();
    const ids = Array.from({ length: 40 }, (_, i) => `busy-${i}`);
    const lanes = ids.map((id) => laneOf(delivery(id, 'x')));
    const partition = queue.partitionOf(lanes[0]!);
    const same = ids.filter((_, i) => queue.partitionOf(lanes[i]!) === partition).slice(0, 3);
    expect(same).toHaveLength(3);
    for (const id of same) await queue.enqueue(laneOf(delivery(id, 'x')), [delivery(id, `${id}-e1`)], 60_000);

    const claimed = [];
    for (let slot = 0; slot < 3; slot++) claimed.push(...(await queue.claim(1, 'w1', 30_000, false)).map((c) => c.lane));
    expect(claimed.sort()).toEqual(same.map((id) => laneOf(delivery(id, 'x'))).sort());
  });

  it('when another instance enqueues, then this one claims it between sweeps; unannounced due work waits for a sweep', async () => {
    const here = backend();
    const there = backend();
    let woken = 0;
    let probes = 0;
    here.onWork(() => (woken += 1));
    let claimed = 0;
    await eventually(async () => {
      // The subscription is asynchronous: enqueue until this instance hears of it and claims, without a
      // sweep, what it heard of. A new lane each time, because only a lane entering the schedule is
      // announced; an earlier test's late announcement may wake it for a partition with nothing due.
      probes += 1;
      await there.enqueue(laneOf(delivery(`probe-${probes}`, 'x')), [delivery(`probe-${probes}`, 'p')], 60_000);
      expect(woken).toBeGreaterThan(0);
      claimed += (await here.claim(100, 'w1', 30_000, false)).length;
      expect(claimed).toBeGreaterThan(0);
    });

    // A lane whose work became due without an announcement (a lapsed lease) is found only by a sweep.
    const lane = laneOf(delivery('c2', 'x'));
    const before = woken;
    await there.enqueue(lane, [delivery('c2', 'e1')], 60_000);
    await eventually(() => expect(woken).toBeGreaterThan(before));
    const lanes = async (sweep: boolean, token: string, leaseMs: number) => (await here.claim(100, token, leaseMs, sweep)).map((c) => c.lane);
    expect(await lanes(false, 'w-crashed', 1)).toContain(lane);
    await new Promise((r) => setTimeout(r, 5));
    expect(await lanes(false, 'w1', 30_000)).not.toContain(lane);
    expect(await lanes(true, 'w1', 30_000)).toContain(lane);
  });

  it('when a lane claimed at enqueue is not completed within its lease (a crash), then another worker claims it', async () => {
    const queue = backend();
    const lane = laneOf(delivery('k3', 'x'));
    const { claimed } = await queue.enqueue(lane, [delivery('k3', 'k3-e1')], 60_000, { token: 'w-crashed', leaseMs: 1 });
    expect(claimed?.delivery.event.id).toBe('k3-e1');
    await new Promise((r) => setTimeout(r, 5));
    const again = (await queue.claim(100, 'w1', 30_000)).filter((c) => c.lane === lane);
    expect(again.map((c) => c.head?.delivery.event.id)).toEqual(['k3-e1']);
    expect(await queue.complete(lane, 'w-crashed', claimed!.raw)).toEqual({ popped: false });
    expect(await queue.complete(lane, 'w1', again[0]!.head!.raw)).toEqual({ popped: true, next: undefined });
  });

  it('when a lane is claimed empty, then it comes without a head and a release takes it out of the schedule', async () => {
    const queue = backend();
    const lane = laneOf(delivery('c3', 'x'));
    await queue.enqueue(lane, [delivery('c3', 'e1')], 60_000);
    // Lanes of the tests above share the prefix: pick this one out.
    await queue.claim(100, 'w-crashed', 1);
    // The list emptied behind the schedule's back (an operator, or an instance of an older version that
    // popped the last event and crashed before releasing); the lease lapses.
    await direct.del(`${prefix}{q${queue.partitionOf(lane)}}:lane:${lane}`);
    await new Promise((r) => setTimeout(r, 5));

    const again = (await queue.claim(100, 'w1', 30_000)).filter((c) => c.lane === lane);
    expect(again).toEqual([{ lane, head: undefined }]);
    await queue.release(lane, 'w1');
    await new Promise((r) => setTimeout(r, 5));
    expect((await queue.claim(100, 'w2', 1)).map((c) => c.lane)).not.toContain(lane);
  });
  it('when the parked record is of an earlier head (an older instance popped it without clearing), then the new head does not inherit its time', async () => {
    const queue = backend();
    const lane = laneOf(delivery('c5', 'x'));
    await queue.enqueue(lane, [delivery('c5', 'c5-e2')], 60_000);
    await direct.hset(`${prefix}{q${queue.partitionOf(lane)}}:parked`, lane, '1000 0 c5-e1');
    const [claimed] = (await queue.claim(100, 'w1', 30_000)).filter((c) => c.lane === lane);
    expect(claimed!.head!.delivery.event.id).toBe('c5-e2');
    expect(claimed!.head!.parkedSince).toBeUndefined();
  });
});
