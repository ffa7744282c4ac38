import type { OutboundHandlers, Connector, Adapter, ConnectorRuntime, RawInbound } from '../../src/ports/adapter.js';
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

/**
 * LivePerson Conversational Cloud for one tenant, through the Connector API, consumer side: customers from
 * another platform appear to LivePerson agents as consumers; the agents' side comes back by webhook.
 */
export class LivePersonConnector implements Connector {
  readonly platform = PLATFORM;
  private readonly credentials: LivePersonCredentials;
  private readonly gaps: SequenceGaps;
  private readonly inbound: LivePersonInbound;
  readonly outbound: OutboundHandlers;

  constructor(config: LivePersonConfig, runtime: ConnectorRuntime) {
    const http = runtime.vendorHttp({ timeoutMs: config.requestTimeoutMs });
    const domains = new LivePersonDomains(http, config);
    this.credentials = new LivePersonCredentials(http, config, domains, runtime.store, runtime.key, runtime.tenantId);
    const api = new LivePersonApi(http, config, domains, this.credentials);
    const states = new LivePersonConversationState(runtime.store, runtime.key);
    this.gaps = new SequenceGaps(runtime.store, runtime.key, runtime.tenantId, config.sequenceGaps, (gap) => runtime.inboundGap(gap), runtime.logger);
    this.outbound = new LivePersonOutbound(http, config, api, this.credentials, runtime, states, this.gaps).handlers;
    this.inbound = new LivePersonInbound(runtime, config, states, this.gaps);
  }

  verify(req: RawInbound): void {
    this.inbound.verify(req);
  }

  normalize(body: unknown) {
    return this.inbound.normalize(body);
  }

  refreshAuth(): void {
    this.credentials.invalidateAppToken();
  }

  async stop(): Promise<void> {
    this.gaps.stop();
  }
}

export const livepersonAdapter: Adapter<LivePersonConfig> = {
  platform: PLATFORM,
  roles: ['agent'],
  configSchema: LivePersonConfig,
  commands: [checkCommand],
  sandbox: livepersonSandbox,
  create: ({ config, runtime }) => new LivePersonConnector(config, runtime),
};
