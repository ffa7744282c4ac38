import { randomUUID } from 'node:crypto';
import { Cluster } from 'ioredis';
import { duplicateRedis, type RedisClient } from '../store/redis-connection.js';

/**
 * Instances sharing a Redis store tell each other of a reload asked through the admin API, so one
 * `POST /admin/reload` sent through the load balancer reaches them all. Each instance re-reads its
 * own configuration source: nothing is copied between them (in Kubernetes, the ConfigMap volume is
 * what brings every pod the same file). SIGHUP stays local: a signal is sent to each process anyway.
 */
export class PeerReloads {
  private readonly instance = randomUUID();
  private subscriber: RedisClient | undefined;

  constructor(
    private readonly redis: RedisClient,
    private readonly channel: string,
  ) {}

  /** Calls `onPeer` whenever another instance announces a reload. */
  async listen(onPeer: () => void): Promise<void> {
    const subscriber = duplicateRedis(this.redis);
    this.subscriber = subscriber;
    // ioredis reconnects and resubscribes by itself (duplicateRedis listens for its errors).
    subscriber.on('message', (_channel: string, from: string) => {
      if (from !== this.instance) onPeer();
    });
    await subscriber.subscribe(this.channel);
  }

  /** Announces a reload of this instance; resolves to how many other instances heard it. */
  async announce(): Promise<number> {
    const published = await this.redis.publish(this.channel, this.instance);
    const heard = this.redis instanceof Cluster ? await this.subscribersOnCluster(this.redis) : published;
    return Math.max(heard - (this.subscriber ? 1 : 0), 0);
  }

  /**
   * A Cluster forwards a PUBLISH to every node, but its reply counts only the receiving node's
   * subscribers, and each instance subscribes on a node of its own; so every node is asked.
   */
  private async subscribersOnCluster(cluster: Cluster): Promise<number> {
    const counts = await Promise.all(
      cluster.nodes('all').map(async (node) => Number(((await node.pubsub('NUMSUB', this.channel)) as [string, number])[1])),
    );
    return counts.reduce((sum, n) => sum + n, 0);
  }

  async close(): Promise<void> {
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
  }
}
