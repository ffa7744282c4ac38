import type { SandboxProvider } from '../../src/ports/adapter.js';
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
    return {
      config,
      url: sim.url,
      // eGain's own participant speaks: its agents when eGain is the agent side, its customers when the customer side.
      async say(speaker, text, conversation) {
        if (speaker !== role) throw new Error(`in this sandbox eGain is the ${role} side: only its ${role} can be played here`);
        const id =
          conversation ?? (speaker === 'customer' ? sim.openConversation(channel.type, 'sandbox-customer') : [...sim.state.conversations.keys()].at(-1));
        if (!id) throw new Error('the eGain simulator has no conversation yet: say something as the customer first');
        const { status } = speaker === 'customer' ? await sim.customerSays(id, text) : await sim.agentSays(id, text);
        if (status >= 300) throw new Error(`the bridge refused the eGain callback (HTTP ${status})`);
        return id;
      },
      received: (conversation) =>
        sim.messages.filter((m) => m.conversationId === conversation && m.message.content?.text).map((m) => m.message.content!.text!),
      close: () => sim.close(),
    };
  },
};
