import { sleep } from '../sleep.js';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { DeliveryError } from '../errors.js';
import { type Outcome, attemptHead } from './attempt.js';
import { backoffDelay } from './backoff.js';
import type { CircuitBreaker } from './circuit-breaker.js';
import type { Delivery, QueuedHead } from './delivery.js';
import type { ClaimedLane, Completion, GivenUp, QueueBackend } from './queue-backend.js';

export interface DeliveryWorkerOptions {
  concurrency: number;
  /** How long a lane keeps retrying its head, from when it was first parked, before it is given up. */
  retryForMs: number;
  /** Quick retries inside one claim (p-retry) before the lane is parked in the durable schedule. */
  inlineRetries: number;
  minBackoffMs: number;
  maxBackoffMs: number;
  leaseMs: number;
  /** How often an idle worker looks for due lanes that no signal announced (postponed, lapsed leases). */
  pollMs: number;
  /** Events delivered from one lane before it goes to the back of the line (fairness across conversations). */
  laneBatch: number;
}

export interface DeliveryHooks {
  /** Sends one delivery; throws a DeliveryError to fail the attempt. */
  deliver(delivery: Delivery, attempt: number): Promise<void>;
  delivered?(delivery: Delivery): void;
  /** An attempt failed; the lane retries or parks unless the error is permanent or its time is spent. */
  failedAttempt?(delivery: Delivery, error: DeliveryError, attempt: number): void;
  deadLettered?(delivery: Delivery, reason: string): void;
  /** A lane was given up whole: `head` and the events behind it are the dead letters of `given.group`. */
  gaveUp?(head: Delivery, given: GivenUp, reason: string): void;
  /** An unexpected fault of the worker itself (store unreachable); it keeps going. */
  fault?(error: unknown): void;
}

/** Why a lane's loop stopped: its claim is still held ('open', released after), parked, or gone with the lane. */
type LaneEnd = 'open' | 'parked' | 'gone';

/**
 * The delivery engine, written once over any QueueBackend: claims due lanes up to `concurrency`,
 * delivers each lane's head in order, retries quickly in-process (p-retry), then parks a failing lane
 * in the durable schedule with exponential backoff so one dead vendor does not hold the workers. A lane
 * never skips its head on a retryable failure: it waits, for up to `retryForMs`, and is then given up
 * whole (the head and what is behind it, one dead-letter group). Only a permanent error dead-letters
 * one event and lets the lane go on. The circuit breaker pauses every lane of a failing target.
 */
export class DeliveryWorker {
  private readonly token = `${hostname()}:${process.pid}:${randomUUID()}`;
  private readonly active = new Set<Promise<void>>();
  private readonly hardStop = new AbortController();
  private wake: (() => void) | undefined;
  private signalled = false;
  private running = false;
  private draining = false;
  private loop: Promise<void> | undefined;
  private lastSweep = 0;
  /** Slots promised to claims on their way: an enqueue's (it may come back with a lane claimed) or the dispatcher's. */
  private reserved = 0;
  /** The dispatcher waits for a slot (not for work): a lane that ends must wake it. */
  private slotWanted = false;

  constructor(
    private readonly backend: QueueBackend,
    private readonly hooks: DeliveryHooks,
    private readonly options: DeliveryWorkerOptions,
    private readonly breaker: CircuitBreaker,
  ) {
    backend.onWork(() => this.notify());
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.dispatch();
  }

  get inFlight(): number {
    return this.active.size;
  }

  /**
   * Enqueues for the ingestor. While a slot is free, a lane that was idle is claimed in the same step
   * and delivered from here: the first event of a conversation's burst (in steady traffic, most events)
   * then costs no claim of its own, and no announcement wakes the other workers. Resolves to the
   * accepted flags.
   */
  async enqueue(lane: string, deliveries: Delivery[], dedupeTtlMs: number): Promise<boolean[]> {
    const take = this.running && !this.draining && this.free() > 0;
    if (take) this.reserved += 1;
    try {
      const claim = take ? { token: this.token, leaseMs: this.options.leaseMs } : undefined;
      const { accepted, claimed } = await this.backend.enqueue(lane, deliveries, dedupeTtlMs, claim);
      if (claimed) {
        // Stopped meanwhile: the lane goes back at once for whoever runs next.
        if (this.running) this.run(lane, claimed);
        else await this.backend.release(lane, this.token);
      }
      return accepted;
    } finally {
      if (take) this.reserved -= 1;
    }
  }

  private free(): number {
    return this.options.concurrency - this.active.size - this.reserved;
  }

  /**
   * Stops the worker. With `drain`, keeps delivering until the queue is empty or `timeoutMs` passes
   * (memory mode: nothing queued survives the process). Either way, in-flight deliveries finish or are
   * cut at the deadline, and claims are released so another instance can continue at once.
   */
  async stop(options: { drain: boolean; timeoutMs: number }): Promise<void> {
    if (!this.running) return;
    const deadline = Date.now() + options.timeoutMs;
    if (options.drain) {
      this.draining = true;
      while (Date.now() < deadline && ((await this.backend.depth().catch(() => 0)) > 0 || this.active.size > 0)) {
        await sleep(20);
      }
    }
    this.running = false;
    this.notify();
    await this.loop;
    const cut = setTimeout(() => this.hardStop.abort(), Math.max(deadline - Date.now(), 0));
    await Promise.allSettled([...this.active]);
    clearTimeout(cut);
    this.hardStop.abort();
  }

  private async dispatch(): Promise<void> {
    while (this.running) {
      const free = this.free();
      let claimed: ClaimedLane[] = [];
      if (free > 0) {
        // The claim may fill every free slot: an enqueue meanwhile must not take one of them too.
        this.reserved += free;
        try {
          // Between polls, look only where work was announced; each poll interval, sweep everything.
          const sweep = Date.now() - this.lastSweep >= this.options.pollMs;
          if (sweep) this.lastSweep = Date.now();
          claimed = await this.backend.claim(free, this.token, this.options.leaseMs, sweep);
        } catch (err) {
          this.hooks.fault?.(err);
        } finally {
          this.reserved -= free;
        }
      }
      for (const { lane, head } of claimed) this.run(lane, head);
      this.slotWanted = this.free() <= 0;
      if (claimed.length === 0 || this.slotWanted) await this.idle();
    }
  }

  private run(lane: string, head: QueuedHead | undefined): void {
    const task = this.processLane(lane, head).catch((err: unknown) => this.hooks.fault?.(err));
    this.active.add(task);
    void task.finally(() => {
      this.active.delete(task);
      // Otherwise nothing waits on this slot: new work announces itself, or comes claimed with its enqueue.
      if (this.slotWanted) this.notify();
    });
  }

  /** Waits for a signal or the poll interval. A signal that came while we were busy is not lost. */
  private idle(): Promise<void> {
    if (this.signalled) {
      this.signalled = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, this.options.pollMs);
      this.wake = done;
      const self = this;
      function done() {
        clearTimeout(timer);
        self.wake = undefined;
        self.signalled = false;
        resolve();
      }
    });
  }

  private notify(): void {
    if (this.wake) this.wake();
    else this.signalled = true;
  }

  /** Starts from the head the claim read; a lane claimed empty is only released. */
  private async processLane(lane: string, first: QueuedHead | undefined): Promise<void> {
    let lost = false;
    let end: LaneEnd = 'open';
    const renewal = setInterval(() => {
      this.backend.renew(lane, this.token, this.options.leaseMs).then(
        (ok) => (lost ||= !ok),
        (err: unknown) => this.hooks.fault?.(err),
      );
    }, Math.max(Math.floor(this.options.leaseMs / 3), 50));
    try {
      let head = first;
      for (let done = 0; head && done < this.options.laneBatch && !lost && !this.hardStop.signal.aborted; done++) {
        if (!this.running && !this.draining) break;
        const step = await this.step(lane, head);
        if (typeof step === 'string') {
          end = step;
          break;
        }
        if (!step.popped) {
          lost = true;
          continue;
        }
        head = step.next;
        if (head === undefined) end = 'gone';
      }
    } finally {
      clearInterval(renewal);
      if (end === 'open' && !lost) await this.backend.release(lane, this.token);
    }
  }

  /**
   * One head: held while its target's breaker is open, attempted otherwise. A retryable failure parks
   * the lane (the head stays first) or, once the lane has been parked for `retryForMs`, gives it up.
   * 'open': a stop cut the attempt short; the head stays for whoever claims the lane next.
   */
  private async step(lane: string, head: QueuedHead): Promise<Completion | LaneEnd> {
    const { event, target } = head.delivery;
    const gate = this.breaker.gate(event.tenant, target);
    if (!gate.admit) {
      if (this.spent(head)) return this.giveUp(lane, head, `${event.tenant}/${target} was paused by its circuit breaker`);
      // Spread over a moment so the held lanes do not all come due at once when the breaker half-opens.
      const dueAt = this.withinBudget(head, gate.until + Math.round(Math.random() * this.options.minBackoffMs));
      return (await this.backend.postpone(lane, this.token, dueAt, 0, head)) ? 'parked' : 'gone';
    }
    const outcome = await attemptHead(head, {
      deliver: (delivery, attempt) => this.hooks.deliver(delivery, attempt),
      failed: (error, attempt) => this.hooks.failedAttempt?.(head.delivery, error, attempt),
      breaker: this.breaker,
      probe: gate.probe,
      retries: this.options.inlineRetries,
      minBackoffMs: this.options.minBackoffMs,
      maxBackoffMs: this.options.maxBackoffMs,
      signal: this.hardStop.signal,
    });
    if (!outcome.ok && this.hardStop.signal.aborted) {
      if (gate.probe) this.breaker.abandoned(event.tenant, target);
      return 'open';
    }
    if (!outcome.ok && outcome.error.retryable) {
      if (this.spent(head)) return this.giveUp(lane, { ...head, attempts: outcome.attempts }, outcome.error.message);
      const delay = backoffDelay(outcome.attempts, { ...this.options, retryAfterMs: outcome.error.retryAfterMs });
      const dueAt = this.withinBudget(head, Date.now() + delay);
      const parked = await this.backend.postpone(lane, this.token, dueAt, outcome.attempts - head.attempts, head);
      return parked ? 'parked' : 'gone';
    }
    return this.settle(lane, head, outcome);
  }

  /** The head has been parked for the lane's whole time budget. */
  private spent(head: QueuedHead): boolean {
    return head.parkedSince !== undefined && Date.now() - head.parkedSince >= this.options.retryForMs;
  }

  /** A parked lane comes back no later than its budget's end, so it is given up on time. */
  private withinBudget(head: QueuedHead, dueAt: number): number {
    return Math.min(dueAt, (head.parkedSince ?? Date.now()) + this.options.retryForMs);
  }

  /** The lane's time is spent: the head and every event behind it go to the dead letters as one group. */
  private async giveUp(lane: string, head: QueuedHead, why: string): Promise<'gone'> {
    const seconds = Math.round((Date.now() - (head.parkedSince ?? Date.now())) / 1000);
    const reason = `gave up after retrying for ${seconds} s (delivery.retryFor), ${head.attempts} attempts: ${why}`;
    const rest = 'given up with its lane: an earlier event of the conversation could not be delivered within delivery.retryFor';
    const given = await this.backend.giveUp(lane, this.token, head, { head: reason, rest });
    if (given) this.hooks.gaveUp?.(head.delivery, given, reason);
    return 'gone';
  }

  /**
   * The head leaves its lane, delivered or dead-lettered (a permanent error); the backend hands back
   * the next head in the same step, and gives up an emptied lane's claim.
   */
  private async settle(lane: string, head: QueuedHead, outcome: Outcome): Promise<Completion> {
    if (outcome.ok) {
      const completion = await this.backend.complete(lane, this.token, head.raw);
      if (completion.popped) this.hooks.delivered?.(head.delivery);
      return completion;
    }
    const { error, attempts } = outcome;
    const completion = await this.backend.deadLetter(lane, this.token, { ...head, attempts }, error.message);
    if (completion.popped) this.hooks.deadLettered?.(head.delivery, error.message);
    return completion;
  }
}
