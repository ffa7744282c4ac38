import type { DeadLetter, Delivery, ParkedLane, QueuedHead } from './delivery.js';

/**
 * What `complete` did: popped the head and read the next one in the same step (no separate read).
 * `next` undefined: the lane is empty and the claim was given up with it (no separate release).
 */
export type Completion = { popped: true; next: QueuedHead | undefined } | { popped: false };

/**
 * A lane just claimed, with its head read in the same step (no separate read). `head` undefined: the
 * lane is empty (its last event left while the claim was kept, say by an owner that then crashed);
 * the claimer releases it so it leaves the schedule.
 */
/** A lane given up: its head and every event behind it, now dead letters of one group. */
export interface GivenUp {
  group: string;
  count: number;
}

export interface ClaimedLane {
  lane: string;
  head: QueuedHead | undefined;
}

/** The claim a worker asks for when it enqueues: its token and lease, as for `claim`. */
export interface LaneClaim {
  token: string;
  leaseMs: number;
}

/**
 * What `enqueue` did: one accepted flag per delivery, and `claimed`, the lane's head, when the lane was
 * idle (nothing queued, nobody holding it) and was claimed for the caller in the same step.
 */
export interface Enqueued {
  accepted: boolean[];
  claimed?: QueuedHead;
}

/**
 * Storage for the per-lane queues. The engine (DeliveryWorker) is written once against this;
 * MemoryQueueBackend and RedisQueueBackend keep the same contract (one suite tests both).
 *
 * Claims are fenced by a token: a worker whose claim lapsed (a long pause, a crash) can no longer
 * pop, postpone or release the lane that another worker now owns.
 */
export interface QueueBackend {
  readonly kind: 'memory' | 'redis';
  /**
   * Appends deliveries to their lane, dropping any whose event id was seen within `dedupeTtlMs`. With
   * `claim`, a lane that was idle is claimed for the caller at once instead of announced: the event
   * that starts a conversation's burst costs no claim of its own and wakes no other worker.
   */
  enqueue(lane: string, deliveries: Delivery[], dedupeTtlMs: number, claim?: LaneClaim): Promise<Enqueued>;
  /** Puts a delivery back at the end of its lane, bypassing dedupe (dead-letter replay). */
  requeue(lane: string, delivery: Delivery): Promise<void>;
  /**
   * Claims up to `max` lanes whose work is due. With `sweep` false, a backend may look only where
   * work was announced since (`onWork`); a sweep (the worker's poll) also finds lanes that became due
   * unannounced: postponed lanes, lapsed leases, lost announcements.
   */
  claim(max: number, token: string, leaseMs: number, sweep?: boolean): Promise<ClaimedLane[]>;
  /** Pops the head if it is still `raw` and the claim is ours; not popped when the claim was lost. */
  complete(lane: string, token: string, raw: string): Promise<Completion>;
  /**
   * Adds failed attempts to the head's count (0 when an open breaker held it unattempted), hides the
   * lane until `dueAt` and gives up the claim. The first time a head is parked, the lane is recorded
   * as parked since now, until its head leaves it.
   */
  postpone(lane: string, token: string, dueAt: number, failedAttempts: number, head: QueuedHead): Promise<boolean>;
  /** Moves the head to the dead-letter list; like `complete`, returns the next head and gives up an emptied lane's claim. */
  deadLetter(lane: string, token: string, head: QueuedHead, reason: string): Promise<Completion>;
  /**
   * Gives the lane up in one step: the head (if it is still `head.raw`) and every event behind it become
   * dead letters of one new group, in order, and the lane and its claim are gone. Undefined when the
   * claim was lost or the head changed.
   */
  giveUp(lane: string, token: string, head: QueuedHead, reasons: { head: string; rest: string }): Promise<GivenUp | undefined>;
  /**
   * Moves a group's dead letters back to the end of their lane in one step, in their order and
   * together (nothing can come between them), accepted anew now. Empty when there is no such group.
   */
  replayGroup(group: string): Promise<DeadLetter[]>;
  /** Lanes whose head is parked, for the parked-lane gauges (read at scrape time). */
  parkedLanes(): Promise<ParkedLane[]>;
  /** Gives up the claim; the lane is due again at once if it still has work. */
  release(lane: string, token: string): Promise<void>;
  /** Extends the claim. False when it was lost. */
  renew(lane: string, token: string, leaseMs: number): Promise<boolean>;
  depth(): Promise<number>;
  listDeadLetters(limit: number): Promise<DeadLetter[]>;
  /** Removes a dead letter (and from its group) and returns it; the caller requeues it. */
  takeDeadLetter(id: string): Promise<DeadLetter | undefined>;
  deadLetterCount(): Promise<number>;
  /** Called when work may have become due (new events), so idle workers need not wait for the poll. */
  onWork(listener: () => void): void;
  ping(): Promise<void>;
  close(): Promise<void>;
}
