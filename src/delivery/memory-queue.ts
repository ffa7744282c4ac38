import { randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { type DeadLetter, type Delivery, type ParkedLane, type QueuedHead, laneOf } from './delivery.js';
import type { ClaimedLane, Completion, Enqueued, GivenUp, LaneClaim, QueueBackend } from './queue-backend.js';

interface Lane {
  items: string[];
  attempts: number;
  dueAt: number;
  owner?: string;
  /** Set when the head was first parked; cleared when it leaves. */
  parked?: { since: number; headAcceptedAt: number };
}

/**
 * The in-process queue (memory mode): lost on a crash, drained on SIGTERM. Same contract as Redis.
 */
export class MemoryQueueBackend implements QueueBackend {
  readonly kind = 'memory' as const;
  private readonly lanes = new Map<string, Lane>();
  private readonly seen: LRUCache<string, true>;
  private readonly deadLetters = new Map<string, DeadLetter>();
  private readonly listeners: (() => void)[] = [];
  private count = 0;

  constructor(
    private readonly options: { maxSeen?: number; maxDeadLetters?: number; now?: () => number } = {},
  ) {
    this.seen = new LRUCache({ max: options.maxSeen ?? 1_000_000 });
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private owned(name: string, token: string): Lane | undefined {
    const lane = this.lanes.get(name);
    return lane && lane.owner === token ? lane : undefined;
  }

  async enqueue(name: string, deliveries: Delivery[], dedupeTtlMs: number, claim?: LaneClaim): Promise<Enqueued> {
    const before = this.lanes.get(name);
    const idle = !before || (before.items.length === 0 && !before.owner);
    const accepted = deliveries.map((d) => {
      const key = `${d.event.tenant}\u0000${d.event.id}`;
      if (this.seen.has(key)) return false;
      this.seen.set(key, true, { ttl: dedupeTtlMs });
      this.push(name, JSON.stringify(d));
      return true;
    });
    if (!accepted.includes(true)) return { accepted };
    const lane = this.lanes.get(name)!;
    if (claim && idle) {
      lane.owner = claim.token;
      return { accepted, claimed: headOf(lane) };
    }
    this.notify();
    return { accepted };
  }

  async requeue(name: string, delivery: Delivery): Promise<void> {
    this.push(name, JSON.stringify(delivery));
    this.notify();
  }

  private push(name: string, raw: string): void {
    let lane = this.lanes.get(name);
    if (!lane) {
      lane = { items: [], attempts: 0, dueAt: this.now() };
      this.lanes.set(name, lane);
    }
    lane.items.push(raw);
    this.count += 1;
  }

  /**
   * One process owns every lane, so a claim lasts until it is given up: a lease that lapsed while the
   * event loop was busy would only let a second worker of the same process deliver the same head.
   */
  async claim(max: number, token: string): Promise<ClaimedLane[]> {
    const now = this.now();
    const claimed: ClaimedLane[] = [];
    for (const [name, lane] of this.lanes) {
      if (claimed.length >= max) break;
      if (lane.items.length === 0 || lane.dueAt > now || lane.owner) continue;
      lane.owner = token;
      claimed.push({ lane: name, head: headOf(lane) });
    }
    return claimed;
  }

  private pop(name: string, lane: Lane, raw: string): boolean {
    if (lane.items[0] !== raw) return false;
    lane.items.shift();
    lane.attempts = 0;
    lane.parked = undefined;
    this.count -= 1;
    return true;
  }

  async complete(name: string, token: string, raw: string): Promise<Completion> {
    const lane = this.owned(name, token);
    if (!lane || !this.pop(name, lane, raw)) return { popped: false };
    return this.next(name, lane, token);
  }

  /** After a pop: the new head, or, when the lane is empty, no head and the claim given up. */
  private async next(name: string, lane: Lane, token: string): Promise<Completion> {
    const next = headOf(lane);
    if (!next) await this.release(name, token);
    return { popped: true, next };
  }

  async postpone(name: string, token: string, dueAt: number, failedAttempts: number, head: QueuedHead): Promise<boolean> {
    const lane = this.owned(name, token);
    if (!lane) return false;
    lane.attempts += failedAttempts;
    lane.parked ??= { since: this.now(), headAcceptedAt: head.delivery.acceptedAt };
    lane.dueAt = dueAt;
    lane.owner = undefined;
    this.wakeAt(dueAt);
    return true;
  }

  async deadLetter(name: string, token: string, head: QueuedHead, reason: string): Promise<Completion> {
    const lane = this.owned(name, token);
    if (!lane || !this.pop(name, lane, head.raw)) return { popped: false };
    const id = randomUUID();
    this.keep({ id, delivery: head.delivery, reason, attempts: head.attempts, at: new Date(this.now()).toISOString() });
    return this.next(name, lane, token);
  }

  async giveUp(name: string, token: string, head: QueuedHead, reasons: { head: string; rest: string }): Promise<GivenUp | undefined> {
    const lane = this.owned(name, token);
    if (!lane || lane.items[0] !== head.raw) return undefined;
    const group = randomUUID();
    const at = new Date(this.now()).toISOString();
    lane.items.forEach((raw, i) =>
      this.keep({
        id: `${group}.${i + 1}`,
        delivery: JSON.parse(raw) as Delivery,
        reason: i === 0 ? reasons.head : reasons.rest,
        attempts: i === 0 ? head.attempts : 0,
        at,
        group,
        position: i + 1,
      }),
    );
    this.count -= lane.items.length;
    this.lanes.delete(name);
    return { group, count: lane.items.length };
  }

  async replayGroup(group: string): Promise<DeadLetter[]> {
    const letters = [...this.deadLetters.values()].filter((l) => l.group === group).sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
    for (const letter of letters) {
      this.deadLetters.delete(letter.id);
      this.push(laneOf(letter.delivery), JSON.stringify({ ...letter.delivery, acceptedAt: this.now() }));
    }
    if (letters.length > 0) this.notify();
    return letters;
  }

  private keep(letter: DeadLetter): void {
    this.deadLetters.set(letter.id, letter);
    const max = this.options.maxDeadLetters ?? 10_000;
    while (this.deadLetters.size > max) this.deadLetters.delete(this.deadLetters.keys().next().value as string);
  }

  async parkedLanes(): Promise<ParkedLane[]> {
    const parked: ParkedLane[] = [];
    for (const [lane, { parked: p }] of this.lanes) if (p) parked.push({ lane, since: p.since, headAcceptedAt: p.headAcceptedAt });
    return parked;
  }

  async release(name: string, token: string): Promise<void> {
    const lane = this.owned(name, token);
    if (!lane) return;
    lane.owner = undefined;
    if (lane.items.length === 0) this.lanes.delete(name);
    else this.notify();
  }

  async renew(name: string, token: string): Promise<boolean> {
    return this.owned(name, token) !== undefined;
  }

  async depth(): Promise<number> {
    return this.count;
  }

  async listDeadLetters(limit: number): Promise<DeadLetter[]> {
    return [...this.deadLetters.values()].slice(-limit);
  }

  async takeDeadLetter(id: string): Promise<DeadLetter | undefined> {
    const letter = this.deadLetters.get(id);
    this.deadLetters.delete(id);
    return letter;
  }

  async deadLetterCount(): Promise<number> {
    return this.deadLetters.size;
  }

  /** A postponed lane becomes due without any new event: wake the worker then. */
  private wakeAt(dueAt: number): void {
    setTimeout(() => this.notify(), Math.max(dueAt - this.now(), 0)).unref();
  }

  onWork(listener: () => void): void {
    this.listeners.push(listener);
  }

  private notify(): void {
    for (const l of this.listeners) l();
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {}
}

function headOf(lane: Lane): QueuedHead | undefined {
  const raw = lane.items[0];
  if (raw === undefined) return undefined;
  return { raw, delivery: JSON.parse(raw) as Delivery, attempts: lane.attempts, ...(lane.parked ? { parkedSince: lane.parked.since } : {}) };
}
