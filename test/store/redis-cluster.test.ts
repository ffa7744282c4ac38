import type { Cluster } from 'ioredis';
import { PeerReloads } from '../../src/config/peer-reloads.js';
import { laneOf } from '../../src/delivery/delivery.js';
import { queueKeys } from '../../src/delivery/redis-queue-keys.js';
import { RedisQueueBackend } from '../../src/delivery/redis-queue.js';
import { connectRedis } from '../../src/store/redis-connection.js';
import { RedisMappingStore } from '../../src/store/redis-store.js';
import { messageDelivery as delivery } from '../support/deliveries.js';
import { eventually } from '../support/eventually.js';
import { suiteCluster } from '../support/redis-cluster.js';
import { uniqueTestPrefix } from '../support/redis.js';

/** What only a Cluster can show: keys spread over its nodes, slots per partition, pub/sub between nodes. */

const cluster = await suiteCluster();

(cluster ? describe : describe.skip)('Redis Cluster', () => {
  const clients: Cluster[] = [];
  const client = (): Cluster => {
    const c = cluster!.client();
    clients.push(c);
    return c;
  };
  afterAll(() => Promise.all(clients.map((c) => c.quit())));

  it('when lanes of every partition are queued, then each partition keeps one slot, the partitions spread over every node, and the depth adds them all', async () => {
    const prefix = uniqueTestPrefix();
    const redis = client();
    const queue = new RedisQueueBackend(redis, { keyPrefix: prefix, partitions: 16 });
    const lanes = new Map<number, string>();
    for (let i = 0; lanes.size < 16; i++) {
      const lane = laneOf(delivery(`c${i}`, 'x'));
      if (!lanes.has(queue.partitionOf(lane))) lanes.set(queue.partitionOf(lane), lane);
    }
    for (const [, lane] of lanes) await queue.enqueue(lane, [delivery(lane, 'e1')], 60_000);

    for (const [p, lane] of lanes) {
      const k = queueKeys(prefix, p);
      const slots = await Promise.all([k.ready, k.lane(lane), k.depth, k.dlq].map((key) => redis.cluster('KEYSLOT', key)));
      expect(new Set(slots).size).toBe(1);
    }
    const masters = redis.nodes('master');
    expect(masters).toHaveLength(3);
    for (const node of masters) expect(await node.dbsize()).toBeGreaterThan(0);
    expect(await queue.depth()).toBe(16);
    expect(await queue.deadLetterCount()).toBe(0);
    expect(await queue.parkedLanes()).toEqual([]);
    await queue.close();
  });

  it('when events for every partition are enqueued at once through the production client, then each is taken', async () => {
    // Concurrent commands are what a client may batch; a batch must never mix nodes.
    const redis = connectRedis({ cluster: cluster!.urls });
    const queue = new RedisQueueBackend(redis, { keyPrefix: uniqueTestPrefix(), partitions: 16 });
    const conversations = Array.from({ length: 64 }, (_, i) => `burst-${i}`);
    const lanes = conversations.map((c) => laneOf(delivery(c, 'x')));
    expect(new Set(lanes.map((l) => queue.partitionOf(l))).size).toBe(16);
    const taken = await Promise.all(conversations.map((c, i) => queue.enqueue(lanes[i]!, [delivery(c, `${c}-e1`)], 60_000)));
    expect(taken.flatMap((t) => t.accepted)).toEqual(lanes.map(() => true));
    expect(await queue.depth()).toBe(64);
    await queue.close();
    await redis.quit();
  });

  it('when one instance announces a reload, then another hears it and the count says so, wherever each subscribed', async () => {
    const channel = `${uniqueTestPrefix()}config-reload`;
    const here = new PeerReloads(client(), channel);
    const there = new PeerReloads(client(), channel);
    let heardThere = 0;
    await here.listen(() => undefined);
    await there.listen(() => (heardThere += 1));
    expect(await here.announce()).toBe(1);
    await eventually(() => expect(heardThere).toBeGreaterThan(0));
    await here.close();
    await there.close();
  });

  it('when the store reports where it is, then it names the cluster nodes and never the password', async () => {
    const [first, second] = cluster!.urls.map((url) => url.replace('redis://', 'redis://:hunter2-secret@'));
    const store = RedisMappingStore.connect({ cluster: [first!, second!] }, { keyPrefix: uniqueTestPrefix() });
    expect(store.location).toBe(`redis-cluster://${cluster!.urls.slice(0, 2).map((u) => new URL(u).host).join(',')}`);
    expect(store.location).not.toContain('hunter2');
    await store.close();
  });
});
