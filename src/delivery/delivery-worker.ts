import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import pRetry from 'p-retry';
import { type DeliveryError, toDeliveryError } from '../errors.js';
import { backoffDelay } from './backoff.js';
import type { Delivery, QueuedHead } from './delivery.js';
import type { ClaimedLane, Completion, QueueBackend } from './queue-backend.js';

export interface DeliveryWorkerOptions {
  concurrency: number;
  maxAttempts: number;
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
  /** An attempt failed; another follows unless the event is dead-lettered. */
  failedAttempt?(delivery: Delivery, error: DeliveryError, attempt: number): void;
  deadLettered?(delivery: Delivery, reason: string): void;
  /** An unexpected fault of the worker itself (store unreachable); it keeps going. */
  fault?(error: unknown): void;
}

type Outcome = { ok: true } | { ok: false; error: DeliveryError; attempts: number };

/** Waits that a stop can cut short. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * The delivery engine, written once over any QueueBackend: claims due lanes up to `concurrency`,
 * delivers each lane's head in order, retries quickly in-process (p-retry), then parks a failing lane
 * in the durable schedule with exponential backoff so one dead vendor does not hold the workers, and
 * dead-letters an event after `maxAttempts` or a permanent error.
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

  constructor(
    private readonly backend: QueueBackend,
    private readonly hooks: DeliveryHooks,
    private readonly options: DeliveryWorkerOptions,
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
        await new Promise((r) => setTimeout(r, 20));
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
      const free = this.options.concurrency - this.active.size;
      let claimed: ClaimedLane[] = [];
      if (free > 0) {
        try {
          // Between polls, look only where work was announced; each poll interval, sweep everything.
          const sweep = Date.now() - this.lastSweep >= this.options.pollMs;
          if (sweep) this.lastSweep = Date.now();
          claimed = await this.backend.claim(free, this.token, this.options.leaseMs, sweep);
        } catch (err) {
          this.hooks.fault?.(err);
        }
      }
      for (const { lane, head } of claimed) {
        const task = this.processLane(lane, head).catch((err: unknown) => this.hooks.fault?.(err));
        this.active.add(task);
        void task.finally(() => {
          this.active.delete(task);
          this.notify();
        });
      }
      if (claimed.length === 0 || this.active.size >= this.options.concurrency) await this.idle();
    }
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
    let parked = false;
    let released = false;
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
        const outcome = await this.attempt(head);
        // Cut short by a stop: the event stays at the head for whoever claims the lane next.
        if (!outcome.ok && this.hardStop.signal.aborted) break;
        if (!outcome.ok && outcome.error.retryable && outcome.attempts < this.options.maxAttempts) {
          const delay = backoffDelay(outcome.attempts, { ...this.options, retryAfterMs: outcome.error.retryAfterMs });
          parked = await this.backend.postpone(lane, this.token, Date.now() + delay, outcome.attempts - head.attempts);
          break;
        }
        const completion = await this.settle(lane, head, outcome);
        if (!completion.popped) {
          lost = true;
          continue;
        }
        head = completion.next;
        released = head === undefined;
      }
    } finally {
      clearInterval(renewal);
      if (!parked && !lost && !released) await this.backend.release(lane, this.token);
    }
  }

  /**
   * The head leaves its lane, delivered or dead-lettered (a permanent error, or no attempts left); the
   * backend hands back the next head in the same step, and gives up an emptied lane's claim.
   */
  private async settle(lane: string, head: QueuedHead, outcome: Outcome): Promise<Completion> {
    if (outcome.ok) {
      const completion = await this.backend.complete(lane, this.token, head.raw);
      if (completion.popped) this.hooks.delivered?.(head.delivery);
      return completion;
    }
    const { error, attempts } = outcome;
    const reason = `${error.retryable ? `gave up after ${attempts} attempts: ` : ''}${error.message}`;
    const completion = await this.backend.deadLetter(lane, this.token, { ...head, attempts }, reason);
    if (completion.popped) this.hooks.deadLettered?.(head.delivery, reason);
    return completion;
  }

  /** Runs the head's attempts that fit in this claim; reports the total attempts made so far. */
  private async attempt(head: QueuedHead): Promise<Outcome> {
    const remaining = this.options.maxAttempts - head.attempts - 1;
    let made = 0;
    try {
      await pRetry(
        async () => {
          made += 1;
          try {
            await this.hooks.deliver(head.delivery, head.attempts + made);
          } catch (err) {
            throw toDeliveryError(err);
          }
        },
        {
          retries: Math.max(Math.min(this.options.inlineRetries, remaining), 0),
          factor: 2,
          minTimeout: this.options.minBackoffMs,
          maxTimeout: this.options.maxBackoffMs,
          randomize: true,
          signal: this.hardStop.signal,
          // A long Retry-After is better waited out parked than holding a worker.
          shouldRetry: ({ error }) =>
            (error as DeliveryError).retryable && ((error as DeliveryError).retryAfterMs ?? 0) <= this.options.maxBackoffMs,
          onFailedAttempt: async ({ error, retriesLeft }) => {
            const failure = error as DeliveryError;
            this.hooks.failedAttempt?.(head.delivery, failure, head.attempts + made);
            if (failure.retryable && retriesLeft > 0 && failure.retryAfterMs) {
              await sleep(failure.retryAfterMs, this.hardStop.signal);
            }
          },
        },
      );
      return { ok: true };
    } catch (err) {
      return { ok: false, error: toDeliveryError(err), attempts: head.attempts + made };
    }
  }
}
