import { createHmac, timingSafeEqual } from 'node:crypto';
import { AuthenticationError } from '../../src/errors.js';
import type { RawInbound } from '../../src/platform/adapter.js';

const SIGNATURE = /^(sha1|sha256)=(.+)$/;

/** `sha1=` + Base64(HMAC-SHA1(client secret, raw body)); sha256 when the account enabled it. */
export function livePersonSignature(secret: string, rawBody: Buffer, algorithm: 'sha1' | 'sha256' = 'sha1'): string {
  return `${algorithm}=${createHmac(algorithm, secret).update(rawBody).digest('base64')}`;
}

function header(req: RawInbound, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Checks the signature over the raw bytes (never a re-serialisation: that is what breaks on emoji) in
 * constant time, then the account the webhook claims to be for.
 */
export function verifyLivePersonWebhook(req: RawInbound, secret: string, accountId: string): void {
  const given = header(req, 'x-liveperson-signature')?.trim();
  const match = given ? SIGNATURE.exec(given) : null;
  if (!given || !match) throw new AuthenticationError('missing or malformed X-Liveperson-Signature');
  const expected = Buffer.from(livePersonSignature(secret, req.rawBody, match[1] as 'sha1' | 'sha256'));
  const actual = Buffer.from(given);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    throw new AuthenticationError('bad X-Liveperson-Signature');
  }
  if (header(req, 'x-liveperson-account-id') !== accountId) {
    throw new AuthenticationError('X-Liveperson-Account-Id does not match the tenant');
  }
}
