import { decodeJwt } from 'jose';
import { createVendorHttp } from '../../src/http/vendor-client.js';
import type { PlatformCommand } from '../../src/platform/adapter.js';
import { MemoryMappingStore } from '../../src/store/memory-store.js';
import type { LivePersonConfig } from './config.js';
import { LivePersonCredentials } from './credentials.js';
import { LivePersonDomains } from './domains.js';
import { LP_SERVICES } from './vendor-facts.js';

/**
 * `chatbridge liveperson check --tenant T`: resolves the account's domains and obtains an AppJWT, so an
 * operator learns about a wrong account id or client secret before traffic does. Prints no secret.
 */
export const checkCommand: PlatformCommand<LivePersonConfig> = {
  name: 'check',
  description: 'Resolve the LivePerson domains and obtain an AppJWT with the tenant credentials',
  async run({ tenantId, config, print }) {
    const http = createVendorHttp({ timeoutMs: config.requestTimeoutMs });
    const domains = new LivePersonDomains(http, config);
    for (const service of LP_SERVICES) print(`${service}: ${await domains.baseUrl(service)}`);
    const credentials = new LivePersonCredentials(http, config, domains, new MemoryMappingStore({ maxEntries: 1000 }), tenantId);
    const exp = decodeJwt(await credentials.appToken()).exp;
    print(`AppJWT obtained${exp ? `, valid until ${new Date(exp * 1000).toISOString()}` : ''}`);
  },
};
