import { createHash, randomBytes } from 'node:crypto';
import { decodeJwt, jwtVerify, SignJWT } from 'jose';

/**
 * The simulator's AppJWTs (sentinel, with `exp`) and ConsumerJWSs (idp, no `exp`: they never expire).
 * HS256 with a key of its own: the adapter only decodes them, LivePerson itself uses RS256.
 */
export class SimulatedTokens {
  private readonly key = randomBytes(32);
  private readonly revoked = new Set<string>();
  private readonly issued: string[] = [];

  constructor(
    private readonly accountId: string,
    private readonly clientId: string,
  ) {}

  async issueAppJwt(ttlSeconds: number): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ scope: 'msg.consumer', azp: this.clientId, jti: randomBytes(8).toString('hex') })
      .setProtectedHeader({ alg: 'HS256', kid: 'appjwt-13-05-17' })
      .setIssuer('Sentinel')
      .setAudience(`le${this.accountId}`)
      .setIssuedAt(now)
      .setExpirationTime(now + ttlSeconds)
      .sign(this.key);
    this.issued.push(token);
    return token;
  }

  /** Every AppJWT issued so far is refused from now on, as if it had expired. */
  expireAll(): void {
    for (const t of this.issued) this.revoked.add(t);
  }

  async appJwtValid(token: string): Promise<boolean> {
    if (this.revoked.has(token)) return false;
    try {
      await jwtVerify(token, this.key, { issuer: 'Sentinel', audience: `le${this.accountId}` });
      return true;
    } catch {
      return false;
    }
  }

  /** The same ext_consumer_id always maps to the same lp_consumer_id, as in LivePerson. */
  lpConsumerId(extConsumerId: string): string {
    return createHash('sha256').update(`${this.accountId}:${extConsumerId}`).digest('hex');
  }

  async issueConsumerJws(extConsumerId: string): Promise<string> {
    return new SignJWT({
      account_id: this.accountId,
      ext_consumer_id: extConsumerId,
      lp_consumer_id: this.lpConsumerId(extConsumerId),
    })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(this.key);
  }

  /** The lp_consumer_id of a valid ConsumerJWS of this account, or undefined. */
  async consumerOf(token: string): Promise<string | undefined> {
    try {
      await jwtVerify(token, this.key);
      const claims = decodeJwt(token);
      return claims.account_id === this.accountId && typeof claims.lp_consumer_id === 'string' ? claims.lp_consumer_id : undefined;
    } catch {
      return undefined;
    }
  }
}
