import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * Instances sharing a Redis store tell each other of a reload asked through the admin API, so one
 * `POST /admin/reload` sent through the load balancer reaches them all. Each instance re-reads its
 * own configuration source: nothing is copied between them (in Kubernetes, the ConfigMap volume is
 * what brings every pod the same file). SIGHUP stays local: a signal is sent to each process anyway.
 */
export class PeerReloads {
  private readonly instance = randomUUID();
  private subscriber: Redis | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly channel: string,
  ) {}

  /** Calls `onPeer` whenever another instance announces a reload. */
  async listen(onPeer: () => void): Promise<void> {
    const subscriber = this.redis.duplicate();
    this.subscriber = subscriber;
    // ioredis reconnects and resubscribes by itself; without a listener an outage is an unhandled 'error'.
    subscriber.on('error', () => undefined);
    subscriber.on('message', (_channel: string, from: string) => {
      if (from !== this.instance) onPeer();
    });
    await subscriber.subscribe(this.channel);
  }

  /** Announces a reload of this instance; resolves to how many other instances heard it. */
  async announce(): Promise<number> {
    const heard = await this.redis.publish(this.channel, this.instance);
    return Math.max(heard - (this.subscriber ? 1 : 0), 0);
  }

  async close(): Promise<void> {
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
  }
}
