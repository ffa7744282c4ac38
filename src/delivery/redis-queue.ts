import { randomUUID } from 'node:crypto';
import { type DeadLetter, type Delivery, type ParkedLane, type QueuedHead, laneOf } from './delivery.js';
import type { ClaimedLane, Completion, Enqueued, GivenUp, LaneClaim, QueueBackend } from './queue-backend.js';
import { completion, head, parkedValue, partitionOfId, type QueueKeys, queueKeys, readParked } from './redis-queue-keys.js';
import * as scripts from './redis-queue-scripts.js';
import { duplicateRedis, type RedisClient } from '../store/redis-connection.js';

type Script = (numKeys: number, ...args: (string | number)[]) => Promise<unknown>;

/**
 * The durable queue (Redis mode). Lanes are spread over `partitions` hash tags; per partition a
 * sorted set of due lanes (score = due time, or lease end while claimed), a hash of claim tokens,
 * a hash of attempt counts, a hash of parked lanes, one list per lane, a depth counter, a dead-letter
 * hash and one list per dead-letter group (its letters' ids in lane order). An event is
 * acknowledged to the vendor only after ENQUEUE ran, and leaves its list only after delivery, so a
 * `kill -9` loses nothing: the lease lapses and any instance picks the lane up again.
 */
export class RedisQueueBackend implements QueueBackend {
  readonly kind = 'redis' as const;
  private readonly listeners: (() => void)[] = [];
  private subscriber: RedisClient | undefined;
  private readonly channel: string;
  private nextPartition = 0;
  /** Partitions where work was announced (here or by another instance) and not yet looked at. */
  private readonly announced = new Set<number>();
  /** Marks this instance's own announcements, which come back by pub/sub and are already known here. */
  private readonly instance = randomUUID();

  constructor(
    private readonly redis: RedisClient,
    private readonly options: { keyPrefix: string; partitions: number; now?: () => number },
  ) {
    this.channel = `${options.keyPrefix}queue-work`;
    for (const [name, lua] of Object.entries(scripts)) {
      if (!(name in redis)) redis.defineCommand(`cbq${name}`, { lua });
    }
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private run(name: keyof typeof scripts, keys: string[], args: (string | number)[]): Promise<unknown> {
    const fn = (this.redis as unknown as Record<string, Script>)[`cbq${name}`];
    if (!fn) throw new Error(`queue script ${name} not loaded`);
    return fn.call(this.redis, keys.length, ...keys, ...args);
  }

  partitionOf(lane: string): number {
    let hash = 0x811c9dc5;
    for (let i = 0; i < lane.length; i++) hash = Math.imul(hash ^ lane.charCodeAt(i), 0x01000193);
    return (hash >>> 0) % this.options.partitions;
  }

  private keys(p: number): QueueKeys {
    return queueKeys(this.options.keyPrefix, p);
  }

  async enqueue(lane: string, deliveries: Delivery[], dedupeTtlMs: number, claim?: LaneClaim): Promise<Enqueued> {
    const p = this.partitionOf(lane);
    const k = this.keys(p);
    const raws = deliveries.map((d) => JSON.stringify(d));
    const res = (await this.run(
      'ENQUEUE',
      [k.ready, k.lane(lane), k.depth, k.claims, ...deliveries.map(k.seen)],
      [lane, this.now(), Math.ceil(dedupeTtlMs), this.channel, this.announcement(p), claim?.token ?? '', claim?.leaseMs ?? 0, ...raws],
    )) as number[];
    const scheduled = res.pop();
    const accepted = res.map((r) => r === 1);
    // Claimed: the lane held only what was just added, so its head is the first of those.
    if (scheduled === 2) return { accepted, claimed: head(raws[accepted.indexOf(true)]!, '0') };
    // The script announced it to the other instances; this one's worker is told here.
    if (scheduled === 1) this.announce(p);
    return { accepted };
  }

  async requeue(lane: string, delivery: Delivery): Promise<void> {
    const p = this.partitionOf(lane);
    const k = this.keys(p);
    await this.run('REQUEUE', [k.ready, k.lane(lane), k.depth], [lane, this.now(), JSON.stringify(delivery), this.channel, this.announcement(p)]);
    this.announce(p);
  }

  /**
   * Per partition looked at, a read of its due lanes and, when there are any, one script that claims
   * them (every key declared, for Redis Cluster), so a sweep costs `partitions` round trips plus one
   * per partition with due work; between sweeps only the announced partitions are looked at.
   */
  async claim(max: number, token: string, leaseMs: number, sweep = true): Promise<ClaimedLane[]> {
    const claimed: ClaimedLane[] = [];
    // Start at a rotating partition so no partition is favoured when there is more work than slots.
    const order = Array.from({ length: this.options.partitions }, (_, i) => (this.nextPartition + i) % this.options.partitions);
    for (const p of sweep ? order : order.filter((q) => this.announced.has(q))) {
      if (claimed.length >= max) break;
      // Forgotten before the look, so an announcement arriving meanwhile is kept for the next claim.
      this.announced.delete(p);
      const k = this.keys(p);
      const wanted = max - claimed.length;
      const now = this.now();
      const due = await this.redis.zrangebyscore(k.ready, '-inf', now, 'LIMIT', 0, wanted);
      if (due.length === 0) continue;
      // It may hold more due lanes than there were free slots: look there again next time.
      if (due.length === wanted) this.announced.add(p);
      const lanes = (await this.run('CLAIM', [k.ready, k.claims, k.attempts, k.parked, ...due.map(k.lane)], [now, leaseMs, token, ...due])) as [
        string,
        string | null,
        string,
        string | null,
      ][];
      for (const [lane, raw, attempts, parked] of lanes) {
        claimed.push({ lane, head: raw === null ? undefined : head(raw, attempts, parked) });
      }
    }
    this.nextPartition = (this.nextPartition + 1) % this.options.partitions;
    return claimed;
  }

  async complete(lane: string, token: string, raw: string): Promise<Completion> {
    const k = this.keys(this.partitionOf(lane));
    return completion(await this.run('POP', [k.claims, k.attempts, k.lane(lane), k.depth, k.ready, k.parked], [lane, token, raw]));
  }

  async postpone(lane: string, token: string, dueAt: number, failedAttempts: number, queued: QueuedHead): Promise<boolean> {
    const k = this.keys(this.partitionOf(lane));
    const parked = parkedValue(this.now(), queued);
    return (await this.run('POSTPONE', [k.ready, k.claims, k.attempts, k.parked], [lane, token, dueAt, failedAttempts, parked])) === 1;
  }

  async deadLetter(lane: string, token: string, head: QueuedHead, reason: string): Promise<Completion> {
    const p = this.partitionOf(lane);
    const k = this.keys(p);
    const id = `${p}.${randomUUID()}`;
    const letter: DeadLetter = { id, delivery: head.delivery, reason, attempts: head.attempts, at: new Date(this.now()).toISOString() };
    return completion(
      await this.run('POP', [k.claims, k.attempts, k.lane(lane), k.depth, k.ready, k.parked, k.dlq], [lane, token, head.raw, id, JSON.stringify(letter)]),
    );
  }

  async giveUp(lane: string, token: string, queued: QueuedHead, reasons: { head: string; rest: string }): Promise<GivenUp | undefined> {
    const p = this.partitionOf(lane);
    const k = this.keys(p);
    const group = `${p}.${randomUUID()}`;
    const at = new Date(this.now()).toISOString();
    // The script writes id, group, position and the stored delivery around these fields.
    const fields = (reason: string, attempts: number) => JSON.stringify({ reason, attempts, at }).slice(1, -1);
    const count = (await this.run(
      'GIVE_UP',
      [k.claims, k.attempts, k.lane(lane), k.depth, k.ready, k.parked, k.dlq, k.group(group)],
      [lane, token, queued.raw, group, fields(reasons.head, queued.attempts), fields(reasons.rest, 0)],
    )) as number;
    return count > 0 ? { group, count } : undefined;
  }

  /**
   * Reads the group, then replays it in one script that checks nothing changed meanwhile (a concurrent
   * replay), so the events are rewritten with a new acceptedAt here and never parsed inside Redis.
   */
  async replayGroup(group: string): Promise<DeadLetter[]> {
    const p = partitionOfId(group, this.options.partitions);
    if (p === undefined) return [];
    const k = this.keys(p);
    for (let tries = 0; tries < 3; tries++) {
      const ids = await this.redis.lrange(k.group(group), 0, -1);
      if (ids.length === 0) return [];
      const letters = (await this.redis.hmget(k.dlq, ...ids)).filter((raw): raw is string => raw !== null).map((raw) => JSON.parse(raw) as DeadLetter);
      if (letters.length !== ids.length) continue;
      const lane = laneOf(letters[0]!.delivery);
      const raws = letters.map((l) => JSON.stringify({ ...l.delivery, acceptedAt: this.now() }));
      const done = await this.run(
        'REPLAY_GROUP',
        [k.dlq, k.group(group), k.ready, k.lane(lane), k.depth],
        [lane, this.now(), this.channel, this.announcement(p), ids.length, ...ids, ...raws],
      );
      if (done === 1) {
        this.announce(p);
        return letters;
      }
    }
    return [];
  }

  async parkedLanes(): Promise<ParkedLane[]> {
    const results = await this.eachPartition((k) => this.redis.hgetall(k.parked));
    return results.flatMap((parked) =>
      Object.entries(parked).map(([lane, value]) => {
        const { since, headAcceptedAt } = readParked(value);
        return { lane, since, headAcceptedAt };
      }),
    );
  }

  async release(lane: string, token: string): Promise<void> {
    const p = this.partitionOf(lane);
    const k = this.keys(p);
    const more = await this.run('RELEASE', [k.ready, k.claims, k.lane(lane)], [lane, token, this.now(), this.channel, this.announcement(p)]);
    if (more === 1) this.announce(p);
  }

  async renew(lane: string, token: string, leaseMs: number): Promise<boolean> {
    const k = this.keys(this.partitionOf(lane));
    return (await this.run('RENEW', [k.ready, k.claims], [lane, token, this.now() + leaseMs])) === 1;
  }

  /**
   * One command per partition, all sent at once: never one pipeline across partitions, whose keys lie
   * on different Cluster slots (on one endpoint, auto-pipelining still sends them in one write).
   */
  private eachPartition<T>(read: (keys: QueueKeys) => Promise<T>): Promise<T[]> {
    return Promise.all(Array.from({ length: this.options.partitions }, (_, p) => read(this.keys(p))));
  }

  async depth(): Promise<number> {
    const depths = await this.eachPartition((k) => this.redis.get(k.depth));
    return depths.reduce((sum, v) => sum + Number(v ?? 0), 0);
  }

  async listDeadLetters(limit: number): Promise<DeadLetter[]> {
    const results = await this.eachPartition((k) => this.redis.hvals(k.dlq));
    const letters = results.flatMap((values) => values.map((s) => JSON.parse(s) as DeadLetter));
    // A group's letters share their time: they keep their lane's order.
    return letters.sort((a, b) => a.at.localeCompare(b.at) || (a.group ?? '').localeCompare(b.group ?? '') || (a.position ?? 0) - (b.position ?? 0)).slice(-limit);
  }

  /** Ids are `<partition>.<uuid>`, or `<partition>.<uuid>.<position>` for a letter of group `<partition>.<uuid>`. */
  async takeDeadLetter(id: string): Promise<DeadLetter | undefined> {
    const p = partitionOfId(id, this.options.partitions);
    if (p === undefined) return undefined;
    const k = this.keys(p);
    const parts = id.split('.');
    const keys = parts.length === 3 ? [k.dlq, k.group(`${parts[0]}.${parts[1]}`)] : [k.dlq];
    const raw = (await this.run('TAKE_DEAD_LETTER', keys, [id])) as string | null;
    return raw ? (JSON.parse(raw) as DeadLetter) : undefined;
  }

  async deadLetterCount(): Promise<number> {
    const counts = await this.eachPartition((k) => this.redis.hlen(k.dlq));
    return counts.reduce((sum, n) => sum + n, 0);
  }

  /** Other instances learn of new work by pub/sub; the worker's poll covers lost messages and leases. */
  onWork(listener: () => void): void {
    this.listeners.push(listener);
    if (this.subscriber) return;
    this.subscriber = duplicateRedis(this.redis);
    this.subscriber.on('message', (_channel: string, message: string) => {
      const [from, partition] = message.split(' ');
      if (from !== this.instance) this.announce(Number(partition));
    });
    void this.subscriber.subscribe(this.channel).catch(() => undefined);
  }

  /** Tells this instance's worker that `partition` has new due work. */
  private announce(partition: number): void {
    if (Number.isInteger(partition)) this.announced.add(partition);
    this.listeners.forEach((l) => l());
  }

  /** What the scripts publish when a partition has new due work: who announced it, and where. */
  private announcement(partition: number): string {
    return `${this.instance} ${partition}`;
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async close(): Promise<void> {
    if (this.subscriber) await this.subscriber.quit().catch(() => this.subscriber?.disconnect());
  }
}
