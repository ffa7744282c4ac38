import { decodeJwt } from 'jose';

/**
 * When an issued bearer token stops being usable (epoch ms): the token reply's `expires_in` when the
 * vendor gave one (RFC 6749 only recommends it), else the token's own `exp` when it is a JWT, else
 * `defaultTtlMs` from now. A reply without `expires_in` is therefore never a failure.
 */
export function tokenExpiresAt(token: string, expiresInSeconds: number | null | undefined, defaultTtlMs: number, now = Date.now()): number {
  if (typeof expiresInSeconds === 'number' && expiresInSeconds > 0) return now + expiresInSeconds * 1000;
  let exp: number | undefined;
  try {
    exp = decodeJwt(token).exp;
  } catch {
    // An opaque token: nothing to read.
  }
  return exp !== undefined ? exp * 1000 : now + defaultTtlMs;
}
