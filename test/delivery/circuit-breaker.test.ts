import { type BreakerView, CircuitBreaker } from '../../src/delivery/circuit-breaker.js';
import { RetryableError } from '../../src/errors.js';

const unavailable = () => new RetryableError('vendor answered 503', { status: 503 });
const limited = (ms: number) => new RetryableError('vendor answered 429', { status: 429, retryAfterMs: ms });

describe('circuit breaker (per tenant and platform)', () => {
  let clock = 1_000_000;
  let changes: BreakerView[];
  let breaker: CircuitBreaker;

  beforeEach(() => {
    clock = 1_000_000;
    changes = [];
    breaker = new CircuitBreaker({ failures: 3, openMs: 1000, maxOpenMs: 3000 }, (view) => changes.push(view), () => clock);
  });

  const state = (tenant = 'acme', platform = 'liveperson') => breaker.list().find((b) => b.tenant === tenant && b.platform === platform)?.state;

  it('when a target fails fewer than N times in a row, then it stays closed; a success in between starts the count again', () => {
    breaker.failed('acme', 'liveperson', unavailable());
    breaker.failed('acme', 'liveperson', unavailable());
    breaker.succeeded('acme', 'liveperson');
    breaker.failed('acme', 'liveperson', unavailable());
    breaker.failed('acme', 'liveperson', unavailable());
    expect(state()).toBe('closed');
    expect(breaker.gate('acme', 'liveperson')).toEqual({ admit: true, probe: false });
  });

  it('when a target fails N times in a row, then no lane of it is admitted until the opening ends; other targets go on', () => {
    for (let i = 0; i < 3; i++) breaker.failed('acme', 'liveperson', unavailable());
    expect(state()).toBe('open');
    expect(breaker.gate('acme', 'liveperson')).toEqual({ admit: false, until: clock + 1000 });
    expect(breaker.closed('acme', 'liveperson')).toBe(false);
    expect(breaker.gate('acme', 'egain')).toEqual({ admit: true, probe: false });
    expect(breaker.gate('globex', 'liveperson')).toEqual({ admit: true, probe: false });
    expect(changes.filter((c) => c.state !== 'closed')).toEqual([expect.objectContaining({ tenant: 'acme', platform: 'liveperson', state: 'open', reason: 'vendor answered 503' })]);
  });

  it('when the opening ends, then exactly one lane probes; its success closes the breaker for every lane', () => {
    for (let i = 0; i < 3; i++) breaker.failed('acme', 'liveperson', unavailable());
    clock += 1000;
    expect(breaker.gate('acme', 'liveperson')).toEqual({ admit: true, probe: true });
    expect(state()).toBe('half-open');
    const other = breaker.gate('acme', 'liveperson');
    expect(other.admit).toBe(false);
    breaker.succeeded('acme', 'liveperson');
    expect(state()).toBe('closed');
    expect(breaker.gate('acme', 'liveperson')).toEqual({ admit: true, probe: false });
  });

  it('when a probe fails, then the breaker opens again for twice as long, up to maxOpenMs; a success resets the growth', () => {
    for (let i = 0; i < 3; i++) breaker.failed('acme', 'liveperson', unavailable());
    const openings: number[] = [];
    for (let probe = 0; probe < 3; probe++) {
      const until = (breaker.gate('acme', 'liveperson') as { until: number }).until;
      openings.push(until - clock);
      clock = until;
      expect(breaker.gate('acme', 'liveperson')).toEqual({ admit: true, probe: true });
      breaker.failed('acme', 'liveperson', unavailable());
    }
    expect(openings).toEqual([1000, 2000, 3000]);
    clock += 3000;
    breaker.gate('acme', 'liveperson');
    breaker.succeeded('acme', 'liveperson');
    for (let i = 0; i < 3; i++) breaker.failed('acme', 'liveperson', unavailable());
    expect(breaker.gate('acme', 'liveperson')).toEqual({ admit: false, until: clock + 1000 });
  });

  it('when the vendor answers 429 with Retry-After, then the breaker opens at once for exactly that long, even beyond maxOpenMs', () => {
    breaker.failed('acme', 'liveperson', limited(5000));
    expect(breaker.gate('acme', 'liveperson')).toEqual({ admit: false, until: clock + 5000 });
    // A send made before the 429 that succeeds late does not cut the vendor's window short.
    breaker.succeeded('acme', 'liveperson');
    expect(breaker.gate('acme', 'liveperson')).toEqual({ admit: false, until: clock + 5000 });
    clock += 5000;
    expect(breaker.gate('acme', 'liveperson')).toEqual({ admit: true, probe: true });
  });

  it('when a probe ends without an outcome (the worker stopped), then the next lane probes instead', () => {
    breaker.failed('acme', 'liveperson', limited(1000));
    clock += 1000;
    expect(breaker.gate('acme', 'liveperson')).toMatchObject({ probe: true });
    breaker.abandoned('acme', 'liveperson');
    expect(breaker.gate('acme', 'liveperson')).toEqual({ admit: true, probe: true });
  });
});
