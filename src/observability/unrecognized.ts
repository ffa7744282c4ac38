import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import { maskedCopy, type Shape, shapeOf } from './payload-shape.js';

/**
 * What an adapter could not read. A wrong reading of a vendor format must be loud on the first day
 * against a real account, so each case is a metric label an alert can watch:
 * - `envelope`: the payload as a whole is not in any shape the adapter reads;
 * - `type`: a message or notification type the adapter does not know;
 * - `field`: a known type without a field the adapter needs;
 * - `enum`: a value of a known field the adapter has not seen.
 * Types the adapter knows and ignores on purpose are not this: they go through `drop`.
 */
export type UnrecognizedWhat = 'envelope' | 'type' | 'field' | 'enum';

/** An unrecognised payload's problems as one detail line: the first ten, each as `path: problem`. */
export function problemsDetail(problems: readonly { path: string; problem: string }[]): string {
  return problems.slice(0, 10).map((p) => `${p.path}: ${p.problem}`).join('; ');
}

export interface UnrecognizedSample {
  at: string;
  tenant: string;
  platform: string;
  what: UnrecognizedWhat;
  /** Which type, field or value: the adapter's words, never a secret. */
  detail: string;
  shape: Shape;
  /** The payload, secret-looking keys masked and bounded in size. */
  payload: unknown;
}

/** Samples kept per connector (tenant + platform), newest; a merge of several workers' keeps as many. */
export const UNRECOGNIZED_KEPT_PER_CONNECTOR = 20;

export class UnrecognizedInbound {
  private readonly samples = new Map<string, UnrecognizedSample[]>();

  constructor(
    private readonly metrics: Metrics,
    private readonly logger: Logger,
  ) {}

  report(tenant: string, platform: string, what: UnrecognizedWhat, detail: string, payload: unknown): void {
    const shape = shapeOf(payload);
    this.metrics.inboundUnrecognized.inc({ tenant, platform, what });
    this.logger.warn('inbound payload not recognised: a reading of the vendor format may be wrong', { tenant, platform, what, detail, shape });
    const key = `${tenant}\u0000${platform}`;
    const kept = this.samples.get(key) ?? [];
    kept.push({ at: new Date().toISOString(), tenant, platform, what, detail, shape, payload: maskedCopy(payload) });
    if (kept.length > UNRECOGNIZED_KEPT_PER_CONNECTOR) kept.shift();
    this.samples.set(key, kept);
  }

  /** Newest first, for the admin API and the status page. */
  list(tenant?: string): UnrecognizedSample[] {
    const all = [...this.samples.values()].flat().filter((s) => tenant === undefined || s.tenant === tenant);
    return all.sort((a, b) => b.at.localeCompare(a.at));
  }
}
