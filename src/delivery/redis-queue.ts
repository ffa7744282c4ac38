import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { DeadLetter, Delivery, QueuedHead } from './delivery.js';
import type { ClaimedLane, Completion, QueueBackend } from './queue-backend.js';
import * as scripts from './redis-queue-scripts.js';

type Script = (numKeys: number, ...args: (string | number)[]) => Promise<unknown>;

/**
 * The durable queue (Redis mode). Lanes are spread over `partitions` hash tags; per partition a
 * sorted set of due lanes (score = due time, or lease end while claimed), a hash of claim tokens,
 * a hash of attempt counts, one list per lane, a depth counter and a dead-letter hash. An event is
 * acknowledged to the vendor only after ENQUEUE ran, and leaves its list only after delivery, so a
 * `kill -9` loses nothing: the lease lapses and any instance picks the lane up again.
 */
export class RedisQueueBackend implements QueueBackend {
  readonly kind = 'redis' as const;
  private readonly listeners: (() => void)[] = [];
  private subscriber: Redis | undefined;
  private readonly channel: string;
  private nextPartition = 0;
  /** Partitions where work was announced (here or by another instance) and not yet looked at. */
  private readonly announced = new Set<number>();
  /** Marks this instance's own announcements, which come back by pub/sub and are already known here. */
  private readonly instance = randomUUID();

  constructor(
    private readonly redis: Redis,
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

  private keys(p: number) {
    const base = `${this.options.keyPrefix}{q${p}}:`;
    return {
      ready: `${base}ready`,
      claims: `${base}claims`,
      attempts: `${base}attempts`,
      depth: `${base}depth`,
      dlq: `${base}dlq`,
      lane: (lane: string) => `${base}lane:${lane}`,
      seen: (d: Delivery) => `${base}seen:${d.event.tenant}:${d.event.id}`,
    };
  }

  async enqueue(lane: string, deliveries: Delivery[], dedupeTtlMs: number): Promise<boolean[]> {
    const p = this.partitionOf(lane);
    const k = this.keys(p);
    const res = (await this.run(
      'ENQUEUE',
      [k.ready, k.lane(lane), k.depth, ...deliveries.map(k.seen)],
      [lane, this.now(), Math.ceil(dedupeTtlMs), this.channel, this.announcement(p), ...deliveries.map((d) => JSON.stringify(d))],
    )) as number[];
    // The script announced it to the other instances; this one's worker is told here.
    if (res.pop() === 1) this.announce(p);
    return res.map((r) => r === 1);
  }

  async requeue(lane: string, delivery: Delivery): Promise<void> {
    const p = this.partitionOf(lane);
    const k = this.keys(p);
    await this.run('REQUEUE', [k.ready, k.lane(lane), k.depth], [lane, this.now(), JSON.stringify(delivery), this.channel, this.announcement(p)]);
    this.announce(p);
  }

  /**
   * One script per partition looked at (each touches one hash tag), so a sweep costs `partitions`
   * round trips; between sweeps only the announced partitions are looked at.
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
      const lanes = (await this.run('CLAIM', [k.ready, k.claims, k.attempts, k.lane('')], [this.now(), leaseMs, token, wanted])) as [
        string,
        string | null,
        string,
      ][];
      // It may hold more due lanes than there were free slots: look there again next time.
      if (lanes.length === wanted) this.announced.add(p);
      for (const [lane, raw, attempts] of lanes) claimed.push({ lane, head: raw === null ? undefined : head(raw, attempts) });
    }
    this.nextPartition = (this.nextPartition + 1) % this.options.partitions;
    return claimed;
  }

  async complete(lane: string, token: string, raw: string): Promise<Completion> {
    const k = this.keys(this.partitionOf(lane));
    return completion(await this.run('POP', [k.claims, k.attempts, k.lane(lane), k.depth, k.ready], [lane, token, raw]));
  }

  async postpone(lane: string, token: string, dueAt: number, failedAttempts: number): Promise<boolean> {
    const k = this.keys(this.partitionOf(lane));
    return (await this.run('POSTPONE', [k.ready, k.claims, k.attempts], [lane, token, dueAt, failedAttempts])) === 1;
  }

  async deadLetter(lane: string, token: string, head: QueuedHead, reason: string): Promise<Completion> {
    const p = this.partitionOf(lane);
    const k = this.keys(p);
    const id = `${p}.${randomUUID()}`;
    const letter: DeadLetter = { id, delivery: head.delivery, reason, attempts: head.attempts, at: new Date(this.now()).toISOString() };
    return completion(
      await this.run('POP', [k.claims, k.attempts, k.lane(lane), k.depth, k.ready, k.dlq], [lane, token, head.raw, id, JSON.stringify(letter)]),
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

  private partitions(): number[] {
    return Array.from({ length: this.options.partitions }, (_, i) => i);
  }

  async depth(): Promise<number> {
    const pipeline = this.redis.pipeline();
    for (const p of this.partitions()) pipeline.get(this.keys(p).depth);
    const results = (await pipeline.exec()) ?? [];
    return results.reduce((sum, [, v]) => sum + Number(v ?? 0), 0);
  }

  async listDeadLetters(limit: number): Promise<DeadLetter[]> {
    const pipeline = this.redis.pipeline();
    for (const p of this.partitions()) pipeline.hvals(this.keys(p).dlq);
    const results = (await pipeline.exec()) ?? [];
    const letters = results.flatMap(([, v]) => (v as string[]).map((s) => JSON.parse(s) as DeadLetter));
    return letters.sort((a, b) => a.at.localeCompare(b.at)).slice(-limit);
  }

  async takeDeadLetter(id: string): Promise<DeadLetter | undefined> {
    const p = Number(id.split('.')[0]);
    if (!Number.isInteger(p) || p < 0 || p >= this.options.partitions) return undefined;
    const raw = (await this.run('TAKE_DEAD_LETTER', [this.keys(p).dlq], [id])) as string | null;
    return raw ? (JSON.parse(raw) as DeadLetter) : undefined;
  }

  async deadLetterCount(): Promise<number> {
    const pipeline = this.redis.pipeline();
    for (const p of this.partitions()) pipeline.hlen(this.keys(p).dlq);
    const results = (await pipeline.exec()) ?? [];
    return results.reduce((sum, [, v]) => sum + Number(v ?? 0), 0);
  }

  /** Other instances learn of new work by pub/sub; the worker's poll covers lost messages and leases. */
  onWork(listener: () => void): void {
    this.listeners.push(listener);
    if (this.subscriber) return;
    this.subscriber = this.redis.duplicate();
    this.subscriber.on('error', () => undefined);
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

/** POP's answer: { 1, next head or false } when popped, { 0 } or { -1 } when not. */
function completion(reply: unknown): Completion {
  const [status, next] = reply as [number, string | null | undefined];
  if (status !== 1) return { popped: false };
  // The next head's attempts were never counted: only a head that failed has any.
  return { popped: true, next: next ? head(next, '0') : undefined };
}

function head(raw: string, attempts: string): QueuedHead {
  return { raw, delivery: JSON.parse(raw) as Delivery, attempts: Number(attempts) };
}
