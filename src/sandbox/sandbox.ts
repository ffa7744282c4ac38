import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfig, readConfigSource } from '../config/load.js';
import type { BridgeConfig } from '../config/schema.js';
import type { RouteRole, SandboxSimulator } from '../ports/adapter.js';
import type { AdapterRegistry } from '../ports/registry.js';

export interface Sandbox {
  config: BridgeConfig;
  platforms: { platform: string; role: RouteRole; url: string }[];
  /** The running simulator of a platform, for `chatbridge sandbox say`. */
  simulator(platform: string): SandboxSimulator | undefined;
  close(): Promise<void>;
}

/** The bundled sandbox configuration, found from this module whether it runs from src/ or dist/src/. */
export function bundledSandboxConfig(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, 'sandbox', 'config.yaml');
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('sandbox/config.yaml is missing from the installation');
    dir = parent;
  }
}

interface TenantDraft {
  id: string;
  routes: { customer: string; agents: { platform: string }[] }[];
  [platform: string]: unknown;
}

/**
 * The embedded default: the bundled `sandbox/config.yaml` with every platform its routes name played by
 * that platform's simulator on loopback (its block filled in here), the memory store, no credentials.
 */
export async function startSandbox(
  registry: AdapterRegistry,
  server: { port: number },
  file: string = bundledSandboxConfig(),
): Promise<Sandbox> {
  const raw = readConfigSource(file) as { server?: object; tenants: TenantDraft[] };
  const started: { tenant: string; platform: string; role: RouteRole; sandbox: SandboxSimulator }[] = [];
  const close = async () => {
    await Promise.allSettled(started.map((s) => s.sandbox.close()));
  };
  try {
    for (const tenant of raw.tenants) {
      const sides = new Map<string, RouteRole>();
      for (const route of tenant.routes) {
        sides.set(route.customer, 'customer');
        for (const agent of route.agents) if (!sides.has(agent.platform)) sides.set(agent.platform, 'agent');
      }
      for (const [platform, role] of sides) {
        const provider = registry.get(platform)?.sandbox;
        if (!provider) throw new Error(`the sandbox has no simulator for platform ${platform}`);
        const webhookUrl = `http://127.0.0.1:${server.port}/webhooks/${tenant.id}/${platform}`;
        const sandbox = await provider.start({ tenantId: tenant.id, role, webhookUrl });
        started.push({ tenant: tenant.id, platform, role, sandbox });
        tenant[platform] = sandbox.config;
      }
    }
    raw.server = { ...raw.server, port: server.port, adminToken: randomBytes(16).toString('hex') };
    const config = parseConfig(raw, registry, {});
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
