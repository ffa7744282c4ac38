import type { SandboxProvider } from '../../src/ports/adapter.js';
import { type RightNowConfig, RightNowConfigSchema } from './config.js';
import { startRightNowSimulator } from './simulator/index.js';

/** Sandbox credentials: they guard nothing but a simulator on loopback. */
const API_USER = { username: 'sandbox-api-user', password: 'sandbox-api-password' };

/** The RightNow simulator: its URL is both the Connect REST site and the chat server. */
export const rightnowSandbox: SandboxProvider<RightNowConfig> = {
  async start() {
    const sim = await startRightNowSimulator({ ...API_USER, agentAccountId: 12, pollHoldMs: 20_000 });
    const config = RightNowConfigSchema.parse({ siteUrl: sim.url, ...API_USER, agentAccountId: 12, pollTimeoutMs: 25_000 });
    return {
      config,
      url: sim.url,
      // RightNow is the customer side only: the end user of the chat widget speaks, in a new chat when none is given.
      async say(role, text, engagement) {
        if (role !== 'customer') throw new Error('in RightNow the bridge is the agent: only the customer can be played here');
        const id = engagement ?? sim.customerStartsChat({ firstName: 'Sandbox', lastName: 'Customer', subject: 'sandbox chat' });
        sim.customerSays(id, text);
        return id;
      },
      received: (engagement) => sim.postsFor(engagement).map((p) => p.body),
      close: () => sim.close(),
    };
  },
};
