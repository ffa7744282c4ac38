/**
 * Delay before the next durable attempt: exponential with full jitter, capped, and never sooner than
 * the vendor asked (Retry-After, LivePerson's 1 s floor after a 429).
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
