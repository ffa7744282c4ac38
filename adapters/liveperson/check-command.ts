import { decodeJwt } from 'jose';
import { createVendorHttp } from '../../src/vendor-http/vendor-client.js';
import type { AdapterCommand } from '../../src/ports/adapter.js';
import { runCheckSteps, vendorAdvice } from '../../src/ports/check-steps.js';
import { platformKeys } from '../../src/store/mapping-store.js';
import { MemoryMappingStore } from '../../src/store/memory-store.js';
import type { LivePersonConfig } from './config.js';
import { LivePersonCredentials } from './credentials.js';
import { LivePersonDomains } from './domains.js';
import { livePersonSignature, LP_SERVICES, PLATFORM, SIGNATURE_EXAMPLE, WEBHOOK_EVENT_TYPES } from './wire.js';

/**
 * `chatbridge liveperson check --tenant T`: resolves the account's domains, obtains an AppJWT, and proves
 * the webhook signing against LivePerson's published example, so a wrong account id, client secret or
 * webhook registration shows before traffic does. Prints no secret.
 */
export const checkCommand: AdapterCommand<LivePersonConfig> = {
  name: 'check',
  description: 'Resolve the LivePerson domains, obtain an AppJWT, check webhook signing and list the webhooks to register',
  async run({ tenantId, config, print }) {
    const http = createVendorHttp({ timeoutMs: config.requestTimeoutMs });
    const domains = new LivePersonDomains(http, config);
    const store = new MemoryMappingStore({ maxEntries: 1000 });
    const credentials = new LivePersonCredentials(http, config, domains, store, platformKeys(store, PLATFORM, tenantId), tenantId);
    const hints = {
      credentials: 'check liveperson.clientId and clientSecret: the API key of the connector app installed on this account',
      address: `check liveperson.domainApiUrl and accountId (${config.accountId})`,
    };
    const passed = await runCheckSteps(
      [
        {
          name: 'domains',
          run: async () => (await Promise.all(LP_SERVICES.map(async (s) => `${s} ${await domains.baseUrl(s)}`))).join(', '),
          advice: (err) => vendorAdvice(err, hints),
        },
        {
          name: 'AppJWT',
          run: async () => {
            const exp = decodeJwt(await credentials.appToken()).exp;
            return exp ? `valid until ${new Date(exp * 1000).toISOString()}` : 'obtained (no expiry claim)';
          },
          advice: (err) => vendorAdvice(err, hints),
        },
        {
          name: 'webhook signing',
          run: async () => {
            const example = Buffer.from(SIGNATURE_EXAMPLE.body, 'utf8');
            const signed = livePersonSignature(SIGNATURE_EXAMPLE.secret, example);
            if (signed !== SIGNATURE_EXAMPLE.signature) throw new Error(`LivePerson's published example signs as ${SIGNATURE_EXAMPLE.signature}, this build as ${signed}`);
            return `reproduces LivePerson's published example; webhooks for account ${config.accountId} must be signed with this tenant's clientSecret`;
          },
          advice: () => 'this build signs differently from LivePerson: report it; do not register webhooks until fixed',
        },
        {
          name: 'webhooks to register',
          run: async () =>
            `one subscription per event type, each to https://<bridge public address>/webhooks/${tenantId}/liveperson: ${WEBHOOK_EVENT_TYPES.join(', ')}`,
          advice: () => 'register them in the connector app (capabilities.webhooks); a change takes up to 2 minutes',
        },
      ],
      print,
    );
    return passed;
  },
};
