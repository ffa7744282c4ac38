import type {
  ConversationHandle,
  NativeHandOver,
  OutboundHandlers,
  Connector,
  Adapter,
  ConnectorRuntime,
  RawInbound,
  ResolvedFile,
} from '../../src/ports/adapter.js';
import { EgainApi } from './api.js';
import { checkCommand } from './check-command.js';
import { ChannelDirectory } from './channels.js';
import { EgainConfig } from './config.js';
import { EgainInbound } from './inbound.js';
import { EgainNativeAgents } from './native-agents.js';
import { EgainOutbound } from './outbound.js';
import { registerChannelCommand } from './register-channel.js';
import { egainSandbox } from './sandbox.js';
import { PLATFORM } from './wire.js';

/** eGain Conversation Hub for one tenant: either side of a route (see outbound.ts for who the bridge speaks as). */
export class EgainConnector implements Connector {
  readonly platform = PLATFORM;
  private readonly api: EgainApi;
  private readonly inbound: EgainInbound;
  readonly outbound: OutboundHandlers;
  private readonly native: EgainNativeAgents;

  constructor(config: EgainConfig, runtime: ConnectorRuntime) {
    this.api = new EgainApi(config, runtime.vendorHttp);
    const channels = new ChannelDirectory(this.api, config, runtime.store, runtime.key, runtime.tenantId, runtime.logger);
    this.inbound = new EgainInbound(runtime, config.callbackAuth, channels);
    this.outbound = new EgainOutbound(this.api, config, channels).handlers;
    this.native = new EgainNativeAgents(this.api, config);
  }

  verify(req: RawInbound): Promise<void> {
    return this.inbound.verify(req);
  }

  normalize(body: unknown) {
    return this.inbound.normalize(body);
  }

  /** A fresh signed download URL per call: the one in an earlier answer may have expired. */
  async resolveFile(assetId: string): Promise<ResolvedFile> {
    const asset = await this.api.getAsset(assetId);
    return { url: asset.contentUrl, expiresAt: asset.contentUrlExpiry, name: asset.name, contentType: asset.contentType, size: asset.size };
  }

  refreshAuth(): void {
    this.api.refreshAuth();
  }

  /** Called by the core only where eGain is the customer side (native share, hand-back). */
  handToNativeAgents(conversation: ConversationHandle, handOver: NativeHandOver): Promise<void> {
    return this.native.handOver(conversation, handOver);
  }
}

export const egainAdapter: Adapter<EgainConfig> = {
  platform: PLATFORM,
  roles: ['customer', 'agent'],
  capabilities: ['handToNativeAgents'],
  configSchema: EgainConfig,
  commands: [registerChannelCommand, checkCommand],
  sandbox: egainSandbox,
  // As the agent side the bridge is the customer app and must say which account and entry point to open.
  requirementsFor: (role, config) => (role === 'agent' && !config.account ? [{ path: ['account'], problem: 'required' }] : []),
  create: ({ config, runtime }) => new EgainConnector(config, runtime),
};
