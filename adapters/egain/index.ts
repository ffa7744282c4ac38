import type { PlatformConnector, PlatformFactory } from '../../src/platform/adapter.js';
import { EgainApi } from './api.js';
import { checkCommand } from './check-command.js';
import { ChannelDirectory } from './channels.js';
import { EgainConfig } from './config.js';
import { createVerifier, EgainInbound } from './inbound.js';
import { EgainNativeAgents } from './native-agents.js';
import { EgainOutbound } from './outbound.js';
import { registerChannelCommand } from './register-channel.js';
import { egainSandbox } from './sandbox.js';

export { EgainConfig } from './config.js';
export { attachmentRefusalNotice, checkAttachment } from './restrictions.js';

/** eGain Conversation Hub: either side of a route (see outbound.ts for who the bridge speaks as). */
export const egainPlatform: PlatformFactory<EgainConfig> = {
  platform: 'egain',
  roles: ['customer', 'agent'],
  capabilities: ['handToNativeAgents'],
  configSchema: EgainConfig,
  commands: [registerChannelCommand, checkCommand],
  sandbox: egainSandbox,
  // As the agent side the bridge is the customer app and must say which account and entry point to open.
  requirementsFor: (role, config) => (role === 'agent' && !config.account ? [{ path: ['account'], problem: 'required' }] : []),
  create({ tenantId, config, runtime }): PlatformConnector {
    const api = new EgainApi(config, runtime.vendorHttp);
    const channels = new ChannelDirectory(api, config, runtime.store, tenantId, runtime.logger);
    const outbound = new EgainOutbound(api, config, channels);
    const inbound = new EgainInbound(runtime, channels);
    const native = new EgainNativeAgents(api, config);
    return {
      platform: 'egain',
      verify: createVerifier(config.callbackAuth),
      normalize: (body) => inbound.normalize(body),
      outbound: outbound.handlers,
      // A fresh signed download URL per call: the one in an earlier answer may have expired.
      resolveFile: async (assetId) => {
        const asset = await api.getAsset(assetId);
        return { url: asset.contentUrl, expiresAt: asset.contentUrlExpiry, name: asset.name, contentType: asset.contentType, size: asset.size };
      },
      refreshAuth: () => api.refreshAuth(),
      // Called by the core only where eGain is the customer side (native share, hand-back).
      handToNativeAgents: (conversation, handOver) => native.handOver(conversation, handOver),
    };
  },
};
