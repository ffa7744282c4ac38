import pRetry, { AbortError } from 'p-retry';
import { type DeliveryError, toDeliveryError } from '../errors.js';
import type { CircuitBreaker } from './circuit-breaker.js';
import type { Delivery, QueuedHead } from './delivery.js';

/** How the attempts of one head within one claim went; `attempts` counts the head's attempts so far. */
export type Outcome = { ok: true } | { ok: false; error: DeliveryError; attempts: number };

export interface AttemptOptions {
  deliver(delivery: Delivery, attempt: number): Promise<void>;
  /** Each failed attempt, numbered over the head's life. */
  failed(error: DeliveryError, attempt: number): void;
  breaker: CircuitBreaker;
  /** The one attempt of a half-open breaker: no in-process retry. */
  probe: boolean;
  /** Quick retries in-process before the lane is parked. */
  retries: number;
  minBackoffMs: number;
  maxBackoffMs: number;
  /** A stop cuts the retries short. */
  signal: AbortSignal;
}

/**
 * Runs the head's attempts that fit in this claim (p-retry) and tells the target's breaker how each
 * went. No retry starts while the breaker is not closed, so nothing goes out during another lane's
 * Retry-After or an opening, and a probe gets exactly one attempt.
 */
export async function attemptHead(head: QueuedHead, options: AttemptOptions): Promise<Outcome> {
  const { event, target } = head.delivery;
  const { breaker, signal } = options;
  let made = 0;
  let last: DeliveryError | undefined;
  try {
    await pRetry(
      async () => {
        // Another lane may have opened the breaker while this one waited to retry: the pause is for every lane.
        if (last && !breaker.closed(event.tenant, target)) throw new AbortError(last);
        made += 1;
        try {
          await options.deliver(head.delivery, head.attempts + made);
        } catch (err) {
          throw (last = toDeliveryError(err));
        }
        breaker.succeeded(event.tenant, target);
      },
      {
        retries: options.probe ? 0 : options.retries,
        factor: 2,
        minTimeout: options.minBackoffMs,
        maxTimeout: options.maxBackoffMs,
        randomize: true,
        signal,
        shouldRetry: ({ error }) => (error as DeliveryError).retryable && breaker.closed(event.tenant, target),
        onFailedAttempt: ({ error }) => {
          if (signal.aborted) return;
          const failure = error as DeliveryError;
          // A permanent refusal still means the vendor answered: it is up.
          if (failure.retryable) breaker.failed(event.tenant, target, failure);
          else breaker.succeeded(event.tenant, target);
          options.failed(failure, head.attempts + made);
        },
      },
    );
    return { ok: true };
  } catch (err) {
    return { ok: false, error: toDeliveryError(err), attempts: head.attempts + made };
  }
}
