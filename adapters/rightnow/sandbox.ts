import type { SandboxProvider } from '../../src/platform/adapter.js';
import { type RightNowConfig, RightNowConfigSchema } from './config.js';
import { startRightNowSimulator } from './simulator/index.js';

/** Sandbox credentials: they guard nothing but a simulator on loopback. */
const API_USER = { username: 'sandbox-api-user', password: 'sandbox-api-password' };

/** The RightNow simulator: its URL is both the Connect REST site and the chat server. */
export const rightnowSandbox: SandboxProvider<RightNowConfig> = {
  async start() {
    const sim = await startRightNowSimulator({ ...API_USER, agentAccountId: 12, pollHoldMs: 20_000 });
    const config = RightNowConfigSchema.parse({ siteUrl: sim.url, ...API_USER, agentAccountId: 12, pollTimeoutMs: 25_000 });
    return { config, url: sim.url, close: () => sim.close() };
  },
};
