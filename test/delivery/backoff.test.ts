import { backoffDelay } from '../../src/delivery/backoff.js';
import { sleep } from '../../src/sleep.js';

describe('backoffDelay: the one backoff', () => {
  const options = { minBackoffMs: 500, maxBackoffMs: 30_000 };

  it('when failures add up, then the ceiling doubles from the minimum and stops at the maximum, the draw between the two', () => {
    expect([1, 2, 3, 10].map((attempts) => backoffDelay(attempts, options, () => 1))).toEqual([500, 1000, 2000, 30_000]);
    expect([1, 2, 3, 10].map((attempts) => backoffDelay(attempts, options, () => 0))).toEqual([500, 500, 500, 500]);
  });

  it('when the vendor asked for a longer wait, then that wait wins', () => {
    expect(backoffDelay(1, { ...options, retryAfterMs: 7000 }, () => 1)).toBe(7000);
    expect(backoffDelay(10, { ...options, retryAfterMs: 7000 }, () => 1)).toBe(30_000);
  });
});

describe('sleep: the one abortable wait', () => {
  it('when its signal aborts, then a long wait ends at once without an error', async () => {
    const stop = new AbortController();
    const waiting = sleep(60_000, stop.signal);
    stop.abort();
    await expect(waiting).resolves.toBeUndefined();
    await expect(sleep(60_000, AbortSignal.abort())).resolves.toBeUndefined();
  });
});
