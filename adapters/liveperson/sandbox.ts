import type { SandboxProvider } from '../../src/platform/adapter.js';
import { LivePersonConfig } from './config.js';
import { startLivePersonSimulator } from './simulator/index.js';

/** Sandbox credentials: they guard nothing but a simulator on loopback. */
const ACCOUNT = { accountId: '12345678', clientId: 'sandbox-connector', clientSecret: 'sandbox-connector-secret' };

/** The LivePerson simulator, posting signed agent webhooks to the bridge. */
export const livepersonSandbox: SandboxProvider<LivePersonConfig> = {
  async start({ webhookUrl }) {
    const sim = await startLivePersonSimulator({ ...ACCOUNT, webhookUrl });
    const config = LivePersonConfig.parse({ ...ACCOUNT, domainApiUrl: sim.url, scheme: 'http' });
    return { config, url: sim.url, close: () => sim.close() };
  },
};
