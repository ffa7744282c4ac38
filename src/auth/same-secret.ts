import { hash, timingSafeEqual } from 'node:crypto';

/**
 * Compares a credential a request presents with the configured one through equal-length digests, so
 * neither its length nor its content leaks through timing. One-shot hashing: this runs on every
 * inbound request of a Basic-authenticated webhook.
 */
export function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(hash('sha256', given, 'buffer'), hash('sha256', expected, 'buffer'));
}
