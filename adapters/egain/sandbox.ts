import type { SandboxProvider } from '../../src/platform/adapter.js';
import { EgainConfig } from './config.js';
import { INTERACTION_SCOPE, MANAGE_SCOPE, READ_SCOPE, startEgainSimulator } from './simulator/index.js';

/** Sandbox credentials: they guard nothing but a simulator on loopback. */
const CLIENT = { clientId: 'sandbox-bridge', clientSecret: 'sandbox-bridge-secret' };
const CALLBACK = { type: 'basic' as const, username: 'sandbox-hub', password: 'sandbox-hub-password' };

/** The eGain simulator with the bridge registered as the client type its role needs. */
export const egainSandbox: SandboxProvider<EgainConfig> = {
  async start({ role, webhookUrl }) {
    const channel = EgainConfig.shape.channel.parse(undefined);
    const sim = await startEgainSimulator({
      clients: [
        { ...CLIENT, type: role === 'agent' ? 'customer' : 'custom_agent', scopes: [INTERACTION_SCOPE, MANAGE_SCOPE, READ_SCOPE] },
      ],
      channels: [channel],
      callback: { url: webhookUrl, auth: CALLBACK },
    });
    const config = EgainConfig.parse({
      apiBaseUrl: sim.url,
      tokenUrl: sim.tokenUrl,
      ...CLIENT,
      callbackAuth: CALLBACK,
      account: { address: 'sandbox-account', entryPointId: 'sandbox-entry-point' },
    });
    return { config, url: sim.url, close: () => sim.close() };
  },
};
