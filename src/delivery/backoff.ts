/**
 * The one backoff: the delay before the next attempt after `attempts` failures (a parked lane's next
 * delivery, RightNow's next long poll), exponential with jitter, capped, and never sooner than the vendor
 * asked (Retry-After, or its floor after a 429).
 */
export function backoffDelay(
  attempts: number,
  options: { minBackoffMs: number; maxBackoffMs: number; retryAfterMs?: number },
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(options.maxBackoffMs, options.minBackoffMs * 2 ** Math.max(attempts - 1, 0));
  const jittered = options.minBackoffMs + random() * Math.max(ceiling - options.minBackoffMs, 0);
  return Math.max(Math.round(jittered), options.retryAfterMs ?? 0);
}
