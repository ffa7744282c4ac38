import { InboundError, UnavailableError } from '../errors.js';
import type { QueueBackend } from '../delivery/queue-backend.js';
import type { Metrics } from '../observability/metrics.js';
import type { MappingStore } from '../store/mapping-store.js';
import { TimeLimitError, within } from '../time-limit.js';

const DEPTH_REFRESH_MS = 250;
/** Vendors retry a 503; a store outage is not over in a second, an overload may be. */
const RETRY_AFTER_SECONDS = { overloaded: 1, store_unavailable: 5 } as const;

export interface IntakeGateOptions {
  queue: QueueBackend;
  store: MappingStore;
  metrics: Metrics;
  maxQueueDepth: number;
  /** How long intake waits for the store before answering 503 `store_unavailable`. */
  ingestTimeoutMs: number;
}

/**
 * What a batch passes before it reaches the queue, so intake fails fast instead of hanging:
 * - back-pressure counted per batch: a batch that would take the queue past `maxQueueDepth` is refused
 *   whole (a batch bigger than the whole limit is taken only into an empty queue, or it never would be);
 * - the store: while its connection is down the batch is refused at once, and a store that does not
 *   answer within `ingestTimeoutMs` gets the same 503. Nothing refused here was acknowledged, so
 *   nothing unstored is ever answered 2xx; what a slow store stores after the 503 is deduplicated when
 *   the vendor redelivers.
 */
export class IntakeGate {
  /** Refreshed in the background (intake must not pay a depth query per webhook), raised by each admitted batch. */
  private depth = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: IntakeGateOptions) {}

  start(): void {
    this.timer = setInterval(() => {
      this.options.queue.depth().then(
        (depth) => {
          this.depth = depth;
          this.options.metrics.queueDepth.set(depth);
        },
        () => undefined,
      );
    }, DEPTH_REFRESH_MS).unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** True while the queue holds `maxQueueDepth` events or more. */
  get overloaded(): boolean {
    return this.depth >= this.options.maxQueueDepth;
  }

  async admit<T>(size: number, ingest: () => Promise<T>): Promise<T> {
    const { store, maxQueueDepth, ingestTimeoutMs } = this.options;
    if (!store.connected) throw refuse('store_unavailable', 'the store is not reachable; retry later');
    if (this.overloaded || (this.depth > 0 && this.depth + size > maxQueueDepth)) {
      throw refuse('overloaded', 'the delivery queue is full; retry later');
    }
    this.depth += size;
    try {
      return await within(ingest(), ingestTimeoutMs);
    } catch (err) {
      // Out of time, or an error from a store whose connection went down meanwhile: the store failed, not the request.
      if (err instanceof TimeLimitError) {
        throw refuse('store_unavailable', `the store did not take the events within ${ingestTimeoutMs} ms; retry later`);
      }
      if (!(err instanceof InboundError) && !store.connected) throw refuse('store_unavailable', 'the store is not reachable; retry later');
      throw err;
    }
  }
}

function refuse(code: keyof typeof RETRY_AFTER_SECONDS, message: string): UnavailableError {
  return new UnavailableError(code, message, RETRY_AFTER_SECONDS[code]);
}
