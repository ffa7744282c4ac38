import type { DeliveryError } from '../errors.js';

/** closed: deliver; open: attempt nothing until `openUntil`; half-open: one lane probes, the others wait. */
export type BreakerState = 'closed' | 'half-open' | 'open';

/** The value of `chatbridge_connector_state` for each state. */
export const BREAKER_STATE_VALUE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

export interface BreakerOptions {
  /** Consecutive retryable failures that open the breaker. */
  failures: number;
  /** The first opening; doubled after each failed probe, up to `maxOpenMs`. */
  openMs: number;
  maxOpenMs: number;
}

/** What the worker may do with a lane of a target right now. */
export type Gate = { admit: true; probe: boolean } | { admit: false; until: number };

export interface BreakerView {
  tenant: string;
  platform: string;
  state: BreakerState;
  /** Open: when one lane may probe. */
  openUntil?: string;
  /** What opened it last. */
  reason?: string;
}

interface Target {
  tenant: string;
  platform: string;
  state: BreakerState;
  failures: number;
  /** Openings since the last success: the next opening lasts openMs * 2^opens. */
  opens: number;
  openUntil: number;
  probing: boolean;
  reason?: string;
}

/**
 * One breaker per target (tenant + platform), in this process. A vendor that answers 5xx or times out
 * for every conversation, or asks us to wait (429, Retry-After), is paused as a whole: while open no lane
 * of that target is attempted, so the worker's slots go to other targets and nobody sends inside the
 * vendor's Retry-After window. After the opening one lane probes; its success closes the breaker, its
 * failure opens it again for longer. In Redis mode each instance keeps its own breakers.
 */
export class CircuitBreaker {
  private readonly targets = new Map<string, Target>();

  constructor(
    private readonly options: BreakerOptions,
    private readonly changed: (view: BreakerView) => void = () => undefined,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether a lane of this target may be attempted now, and whether it is the one probe. */
  gate(tenant: string, platform: string): Gate {
    const target = this.target(tenant, platform);
    if (target.state === 'closed') return { admit: true, probe: false };
    if (target.state === 'open') {
      if (this.now() < target.openUntil) return { admit: false, until: target.openUntil };
      this.set(target, 'half-open');
    }
    if (target.probing) return { admit: false, until: this.now() + this.nextOpening(target) };
    target.probing = true;
    return { admit: true, probe: true };
  }

  /** True while lanes of this target may be retried in-process (no opening, no probe under way). */
  closed(tenant: string, platform: string): boolean {
    return this.target(tenant, platform).state === 'closed';
  }

  /** The vendor answered: a delivery, or a permanent refusal (it is up, it just refused that event). */
  succeeded(tenant: string, platform: string): void {
    const target = this.target(tenant, platform);
    target.failures = 0;
    // A late success of a send made before a Retry-After does not cut the vendor's window short.
    if (target.state === 'open' && this.now() < target.openUntil) return;
    target.opens = 0;
    target.probing = false;
    if (target.state !== 'closed') this.set(target, 'closed');
  }

  /** A retryable failure: counts towards opening; a Retry-After or a failed probe opens at once. */
  failed(tenant: string, platform: string, error: DeliveryError): void {
    const target = this.target(tenant, platform);
    target.failures += 1;
    const asked = error.retryAfterMs !== undefined && error.retryAfterMs > 0;
    if (target.state === 'half-open' || asked || (target.state === 'closed' && target.failures >= this.options.failures)) {
      this.open(target, error);
    }
  }

  /** A probe that ended without an outcome (the worker stopped): the next lane probes instead. */
  abandoned(tenant: string, platform: string): void {
    this.target(tenant, platform).probing = false;
  }

  list(): BreakerView[] {
    return [...this.targets.values()].map((t) => this.view(t));
  }

  private open(target: Target, error: DeliveryError): void {
    const wait = error.retryAfterMs || this.nextOpening(target);
    // Never shortens an opening already running (a later 5xx after a long Retry-After).
    target.openUntil = Math.max(target.state === 'open' ? target.openUntil : 0, this.now() + wait);
    target.opens += 1;
    target.probing = false;
    target.reason = error.message;
    this.set(target, 'open');
  }

  private nextOpening(target: Target): number {
    return Math.min(this.options.openMs * 2 ** target.opens, this.options.maxOpenMs);
  }

  private set(target: Target, state: BreakerState): void {
    target.state = state;
    this.changed(this.view(target));
  }

  private view(target: Target): BreakerView {
    return {
      tenant: target.tenant,
      platform: target.platform,
      state: target.state,
      ...(target.state === 'open' ? { openUntil: new Date(target.openUntil).toISOString() } : {}),
      ...(target.reason ? { reason: target.reason } : {}),
    };
  }

  private target(tenant: string, platform: string): Target {
    const key = `${tenant}\u0000${platform}`;
    let target = this.targets.get(key);
    if (!target) {
      target = { tenant, platform, state: 'closed', failures: 0, opens: 0, openUntil: 0, probing: false };
      this.targets.set(key, target);
      this.changed(this.view(target));
    }
    return target;
  }
}
