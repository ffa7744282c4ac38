import { TokenCache } from '../../src/auth/token-cache.js';
import { PermanentError } from '../../src/errors.js';
import { vendorCall, type VendorHttp } from '../../src/vendor-http/vendor-client.js';
import type { LivePersonConfig } from './config.js';
import { LIVEPERSON_ERRORS } from './errors.js';
import { LP_SERVICES, type LpService, PLATFORM } from './wire.js';

/**
 * Base URLs of the account's LivePerson services, from the Domain API, cached per service with one lookup
 * in flight at a time (domains change rarely but must not be hard-coded).
 */
export class LivePersonDomains {
  private readonly caches: Record<LpService, TokenCache<string>>;

  constructor(
    private readonly http: VendorHttp,
    private readonly config: LivePersonConfig,
  ) {
    const ttl = config.domainCacheSeconds * 1000;
    this.caches = Object.fromEntries(
      LP_SERVICES.map((s) => [
        s,
        new TokenCache(async () => ({ value: await this.lookup(s), expiresAt: Date.now() + ttl }), { refreshMarginMs: 0 }),
      ]),
    ) as Record<LpService, TokenCache<string>>;
  }

  /** `scheme://host[:port]` of a service, without a trailing slash. */
  async baseUrl(service: LpService): Promise<string> {
    const uri = this.config.domainOverrides?.[service] ?? (await this.caches[service].get());
    const withScheme = /^https?:\/\//.test(uri) ? uri : `${this.config.scheme}://${uri}`;
    return withScheme.replace(/\/+$/, '');
  }

  private async lookup(service: LpService): Promise<string> {
    const base = this.config.domainApiUrl.replace(/\/+$/, '');
    const url = `${base}/api/account/${encodeURIComponent(this.config.accountId)}/service/${service}/baseURI.json`;
    const res = await vendorCall<{ baseURI?: unknown }>(
      this.http,
      { method: 'GET', url, params: { version: '1.0' } },
      { ...LIVEPERSON_ERRORS, operation: `domain ${service}`, authStatuses: [] },
    );
    const uri = res.data?.baseURI;
    if (typeof uri !== 'string' || uri === '') {
      throw new PermanentError(`${PLATFORM} domain ${service}: no baseURI in the Domain API reply`);
    }
    return uri;
  }
}
