import { hash } from 'node:crypto';
import { decodeJwt } from 'jose';
import { TokenCache } from '../../src/auth/token-cache.js';
import { tokenExpiresAt } from '../../src/auth/token-expiry.js';
import { AuthExpiredError, PermanentError } from '../../src/errors.js';
import { vendorCall, type VendorHttp } from '../../src/vendor-http/vendor-client.js';
import type { MappingStore, PlatformKey } from '../../src/store/mapping-store.js';
import type { LivePersonConfig } from './config.js';
import type { LivePersonDomains } from './domains.js';
import { LIVEPERSON_ERRORS } from './errors.js';
import { APP_JWT_ASSUMED_LIFETIME_MS, EXT_CONSUMER_ID_PREFIX, PLATFORM } from './wire.js';

/** As long as conversation mappings live by default: the consumer is only needed while its conversation is. */
const CONSUMER_TTL_MS = 30 * 24 * 3600_000;

export interface ConsumerIdentity {
  extConsumerId: string;
  /** The ConsumerJWS: never expires, so it lives in the store as long as the conversation. */
  token: string;
  /** The `originatorId` our own messages carry in webhooks. */
  lpConsumerId: string;
}

/**
 * The two LivePerson credentials: one AppJWT per tenant (cached until shortly before its `exp`,
 * one refresh in flight) and one ConsumerJWS per consumer (created once, kept in the store).
 */
export class LivePersonCredentials {
  private readonly appJwt: TokenCache<string>;
  private readonly refused = new Set<string>();

  constructor(
    private readonly http: VendorHttp,
    private readonly config: LivePersonConfig,
    private readonly domains: LivePersonDomains,
    private readonly store: MappingStore,
    private readonly keys: PlatformKey,
    private readonly tenantId: string,
  ) {
    this.appJwt = new TokenCache(() => this.issueAppJwt(), {
      refreshMarginMs: config.appJwtRefreshMarginSeconds * 1000,
    });
  }

  appToken(): Promise<string> {
    return this.appJwt.get();
  }

  /** Remembers which AppJWT LivePerson refused, so concurrent refusals cause a single refresh. */
  noteRefused(token: string): void {
    this.refused.add(token);
  }

  /**
   * Drops the cached AppJWT only if LivePerson refused that very token: after one refresh, the other
   * sends that failed with the old token find the new one in place instead of refreshing again.
   */
  invalidateAppToken(): void {
    for (const token of this.refused) this.appJwt.invalidate(token);
    this.refused.clear();
  }

  /** A stable consumer per canonical conversation: LivePerson allows one open conversation per consumer. */
  extConsumerId(conversationId: string): string {
    const digest = hash('sha256', `${this.tenantId}\n${conversationId}`, 'hex');
    return EXT_CONSUMER_ID_PREFIX + digest.slice(0, 40);
  }

  async consumer(conversationId: string): Promise<ConsumerIdentity> {
    const extConsumerId = this.extConsumerId(conversationId);
    const key = this.keys('consumer', extConsumerId);
    const stored = await this.store.getStable(key);
    if (stored) return JSON.parse(stored) as ConsumerIdentity;
    const created = await this.createConsumer(extConsumerId);
    if (await this.store.setIfAbsent(key, JSON.stringify(created), CONSUMER_TTL_MS)) return created;
    const winner = await this.store.get(key);
    return winner ? (JSON.parse(winner) as ConsumerIdentity) : created;
  }

  private async issueAppJwt(): Promise<{ value: string; expiresAt: number }> {
    const sentinel = await this.domains.baseUrl('sentinel');
    const account = encodeURIComponent(this.config.accountId);
    const res = await vendorCall<{ access_token?: unknown }>(
      this.http,
      {
        method: 'POST',
        url: `${sentinel}/sentinel/api/account/${account}/app/token`,
        params: { v: '1.0', grant_type: 'client_credentials' },
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        data: new URLSearchParams({ client_id: this.config.clientId, client_secret: this.config.clientSecret }).toString(),
      },
      // A 401 here means wrong client credentials: refreshing again cannot help.
      { ...LIVEPERSON_ERRORS, operation: 'app token', authStatuses: [] },
    );
    const token = res.data?.access_token;
    if (typeof token !== 'string' || token === '') throw new PermanentError(`${PLATFORM} app token: no access_token in the reply`);
    return { value: token, expiresAt: tokenExpiresAt(token, undefined, APP_JWT_ASSUMED_LIFETIME_MS) };
  }

  private async createConsumer(extConsumerId: string): Promise<ConsumerIdentity> {
    const [idp, appJwt] = await Promise.all([this.domains.baseUrl('idp'), this.appToken()]);
    const res = await vendorCall<{ token?: unknown }>(
      this.http,
      {
        method: 'POST',
        url: `${idp}/api/account/${encodeURIComponent(this.config.accountId)}/consumer`,
        params: { v: '1.0' },
        headers: { Authorization: appJwt, 'Content-Type': 'application/json' },
        data: { ext_consumer_id: extConsumerId },
      },
      { ...LIVEPERSON_ERRORS, operation: 'consumer token' },
    ).catch((err: unknown) => {
      if (err instanceof AuthExpiredError) this.noteRefused(appJwt);
      throw err;
    });
    const token = res.data?.token;
    if (typeof token !== 'string' || token === '') throw new PermanentError(`${PLATFORM} consumer token: no token in the reply`);
    let lpConsumerId = '';
    try {
      const claim = decodeJwt(token).lp_consumer_id;
      if (typeof claim === 'string') lpConsumerId = claim;
    } catch {
      lpConsumerId = '';
    }
    return { extConsumerId, token, lpConsumerId };
  }
}
