import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';

/** A flood of forged or broken webhooks writes one line per this interval and kind, not one per request. */
const SUMMARY_INTERVAL_MS = 10_000;

interface Refusals {
  tenant: string;
  platform: string;
  reason: string;
  status: number;
  /** Refusals since the last line about them. */
  count: number;
}

/**
 * Refused webhooks: each one is counted (`chatbridge_inbound_rejected_total`), but logged per tenant,
 * platform and reason: the first at once, then one line per interval with the count of the others,
 * as long as they keep coming. 1,000 forged requests cost two lines, not 1,000. Tenant and platform
 * are those of a configured connector (or `unknown`), and reasons are the bridge's own error codes,
 * so a caller cannot grow the table.
 */
export class RefusalLog {
  private readonly open = new Map<string, Refusals>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly metrics: Metrics,
    private readonly intervalMs = SUMMARY_INTERVAL_MS,
  ) {}

  refused(tenant: string, platform: string, status: number, reason: string): void {
    this.metrics.inboundRejected.inc({ platform, status: String(status) });
    const key = `${tenant}\u0000${platform}\u0000${reason}`;
    const known = this.open.get(key);
    if (known) {
      known.count += 1;
      return;
    }
    this.open.set(key, { tenant, platform, reason, status, count: 0 });
    this.logger.warn('webhook refused', { tenant, platform, reason, status, count: 1 });
    this.timer ??= setInterval(() => this.flush(), this.intervalMs).unref();
  }

  /** Writes the counts gathered since the last line; a kind that stayed quiet starts afresh. */
  flush(): void {
    for (const [key, refusals] of this.open) {
      if (refusals.count === 0) {
        this.open.delete(key);
        continue;
      }
      const { tenant, platform, reason, status, count } = refusals;
      this.logger.warn('webhook refused', { tenant, platform, reason, status, count, seconds: this.intervalMs / 1000 });
      refusals.count = 0;
    }
    if (this.open.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  /** At shutdown: the counts not yet written are written, and the timer stops. */
  close(): void {
    this.flush();
    this.open.clear();
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
