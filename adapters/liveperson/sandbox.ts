import type { SandboxProvider } from '../../src/ports/adapter.js';
import { LivePersonConfig } from './config.js';
import { startLivePersonSimulator } from './simulator/index.js';

/** Sandbox credentials: they guard nothing but a simulator on loopback. */
const ACCOUNT = { accountId: '12345678', clientId: 'sandbox-connector', clientSecret: 'sandbox-connector-secret' };
const SANDBOX_AGENT = { id: 'sandbox-agent' };

/** The LivePerson simulator, posting signed agent webhooks to the bridge. */
export const livepersonSandbox: SandboxProvider<LivePersonConfig> = {
  async start({ webhookUrl }) {
    const sim = await startLivePersonSimulator({ ...ACCOUNT, webhookUrl });
    const config = LivePersonConfig.parse({ ...ACCOUNT, domainApiUrl: sim.url, scheme: 'http' });
    return {
      config,
      url: sim.url,
      // LivePerson is the agent side only: an agent answers the conversation the bridge opened (the newest by default).
      async say(role, text, conversation) {
        if (role !== 'agent') throw new Error('in LivePerson the bridge is the consumer: only the agent can be played here');
        const id = conversation ?? [...sim.conversations.values()].filter((c) => c.state === 'OPEN').at(-1)?.id;
        const conv = id ? sim.conversations.get(id) : undefined;
        if (!conv) throw new Error('the LivePerson simulator has no conversation yet: say something as the customer first');
        // An agent accepts the conversation before answering, as in LivePerson's agent workspace.
        if (!conv.agentId) await sim.agentJoins(conv.id, SANDBOX_AGENT);
        const { status } = await sim.agentSays(conv.id, text);
        if (status >= 300) throw new Error(`the bridge refused the LivePerson webhook (HTTP ${status})`);
        return conv.id;
      },
      received: (conversation) =>
        (sim.conversations.get(conversation)?.events ?? [])
          .filter((e) => e.role === 'CONSUMER' && e.event.type === 'ContentEvent')
          .map((e) => String(e.event.message)),
      close: () => sim.close(),
    };
  },
};
