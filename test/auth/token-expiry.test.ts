import { tokenExpiresAt } from '../../src/auth/token-expiry.js';

const NOW = 1_700_000_000_000;
const jwt = (payload: Record<string, unknown>) =>
  ['{"alg":"HS256","typ":"JWT"}', JSON.stringify(payload)].map((p) => Buffer.from(p).toString('base64url')).join('.') + '.c2ln';

describe('tokenExpiresAt: how long an issued bearer token is reused', () => {
  it('when the reply gives expires_in, then it counts from now', () => {
    expect(tokenExpiresAt('opaque', 3600, 300_000, NOW)).toBe(NOW + 3_600_000);
  });

  it('when expires_in is missing, null or not positive and the token is a JWT with exp, then exp decides', () => {
    const token = jwt({ exp: NOW / 1000 + 900 });
    for (const expiresIn of [undefined, null, 0]) expect(tokenExpiresAt(token, expiresIn, 300_000, NOW)).toBe(NOW + 900_000);
  });

  it('when expires_in is missing and the token is opaque or a JWT without exp, then the default TTL applies', () => {
    expect(tokenExpiresAt('2YotnFZFEjr1zCsicMWpAA', undefined, 300_000, NOW)).toBe(NOW + 300_000);
    expect(tokenExpiresAt(jwt({ sub: 'x' }), undefined, 300_000, NOW)).toBe(NOW + 300_000);
  });
});
