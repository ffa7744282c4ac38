import type { PlatformConnector, PlatformFactory } from '../../src/platform/adapter.js';
import { LivePersonApi } from './api.js';
import { checkCommand } from './check-command.js';
import { LivePersonConfig } from './config.js';
import { LivePersonConversationState } from './conversation-state.js';
import { LivePersonCredentials } from './credentials.js';
import { LivePersonDomains } from './domains.js';
import { LivePersonInbound } from './inbound.js';
import { LivePersonOutbound } from './outbound.js';
import { livepersonSandbox } from './sandbox.js';
import { SequenceGaps } from './sequence-gaps.js';
import { PLATFORM } from './wire.js';

export type { LivePersonConfig } from './config.js';

/**
 * LivePerson Conversational Cloud through the Connector API, consumer side: customers from another
 * platform appear to LivePerson agents as consumers; the agents' side comes back by webhook.
 */
export const livepersonPlatform: PlatformFactory<LivePersonConfig> = {
  platform: PLATFORM,
  roles: ['agent'],
  configSchema: LivePersonConfig,
  commands: [checkCommand],
  sandbox: livepersonSandbox,
  create({ tenantId, config, runtime }): PlatformConnector {
    const http = runtime.vendorHttp({ timeoutMs: config.requestTimeoutMs });
    const domains = new LivePersonDomains(http, config);
    const credentials = new LivePersonCredentials(http, config, domains, runtime.store, tenantId);
    const api = new LivePersonApi(http, config, domains, credentials);
    const states = new LivePersonConversationState(runtime.store, tenantId);
    const gaps = new SequenceGaps(runtime.store, tenantId, config.sequenceGaps, (gap) => runtime.inboundGap(gap), runtime.logger);
    const outbound = new LivePersonOutbound(http, config, api, credentials, runtime, states, gaps);
    const inbound = new LivePersonInbound(runtime, config, states, gaps);
    return {
      platform: PLATFORM,
      verify: (req) => inbound.verify(req),
      normalize: (body) => inbound.normalize(body),
      send: (event, ctx) => outbound.send(event, ctx),
      refreshAuth: () => credentials.invalidateAppToken(),
      stop: async () => gaps.stop(),
    };
  },
};
