import { randomBytes } from 'node:crypto';
import { parseConfig } from './config/load.js';
import type { BridgeConfig } from './config/schema.js';
import type { PlatformFactory, RouteRole, SandboxPlatform } from './platform/adapter.js';
import type { PlatformRegistry } from './platform/registry.js';

export const SANDBOX_TENANT = 'demo';

export interface Sandbox {
  config: BridgeConfig;
  platforms: { platform: string; role: RouteRole; url: string }[];
  /** The running simulator of a platform, for `chatbridge sandbox say`. */
  simulator(platform: string): SandboxPlatform | undefined;
  close(): Promise<void>;
}

/**
 * The embedded default: every registered platform's simulator on loopback and one tenant, `demo`,
 * whose customers chat on a customer-only platform (a platform that can only be the customer side is
 * the one a migration moves away from) and whose agents answer on all the others, split by weight.
 */
export async function startSandbox(registry: PlatformRegistry, server: { port: number }): Promise<Sandbox> {
  const factories = registry.names().map((n) => registry.get(n)!).filter((f) => f.sandbox);
  const customer = [...factories].filter((f) => f.roles.includes('customer')).sort((a, b) => a.roles.length - b.roles.length)[0];
  const agents = factories.filter((f) => f !== customer && f.roles.includes('agent'));
  if (!customer || agents.length === 0) throw new Error('the sandbox needs a customer-side and an agent-side platform');

  const started: { platform: string; role: RouteRole; sandbox: SandboxPlatform }[] = [];
  const close = async () => {
    await Promise.allSettled(started.map((s) => s.sandbox.close()));
  };
  try {
    const sides: [PlatformFactory, RouteRole][] = [[customer, 'customer'], ...agents.map((a): [PlatformFactory, RouteRole] => [a, 'agent'])];
    for (const [factory, role] of sides) {
      const webhookUrl = `http://127.0.0.1:${server.port}/webhooks/${SANDBOX_TENANT}/${factory.platform}`;
      const sandbox = await factory.sandbox!.start({ tenantId: SANDBOX_TENANT, role, webhookUrl });
      started.push({ platform: factory.platform, role, sandbox });
    }
    const config = parseConfig(
      {
        server: { port: server.port, host: '127.0.0.1', adminToken: randomBytes(16).toString('hex') },
        store: { kind: 'memory' },
        tenants: [
          {
            id: SANDBOX_TENANT,
            routes: [{ customer: customer.platform, agents: agents.map((a) => ({ platform: a.platform, weight: 100 })) }],
            ...Object.fromEntries(started.map((s) => [s.platform, s.sandbox.config])),
          },
        ],
      },
      registry,
      {},
    );
    return {
      config,
      platforms: started.map((s) => ({ platform: s.platform, role: s.role, url: s.sandbox.url })),
      simulator: (platform) => started.find((s) => s.platform === platform)?.sandbox,
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
