import { randomUUID } from 'node:crypto';
import { parseConfig } from '../../src/config/load.js';
import type { BridgeConfig } from '../../src/config/schema.js';
import { createLogger } from '../../src/observability/logger.js';
import { Metrics } from '../../src/observability/metrics.js';
import { AdapterRegistry } from '../../src/ports/registry.js';
import { ChatbridgeService } from '../../src/service.js';
import { relayPlatform } from './relay-platform.js';

export { eventually } from './eventually.js';

export const TOKEN_A = 'token-for-relay-a';
export const TOKEN_B = 'token-for-relay-b';

export function relayRegistry(): AdapterRegistry {
  return new AdapterRegistry().register(relayPlatform('relay-a', ['customer'])).register(relayPlatform('relay-b', ['agent']));
}

export interface FixtureOptions {
  store: 'memory' | 'redis';
  redisUrl?: string;
  targetA: string;
  targetB: string;
  delivery?: Record<string, unknown>;
  server?: Record<string, unknown>;
  logging?: Record<string, unknown>;
  tenants?: string[];
}

/** A config routing relay-a customers to relay-b agents, for each tenant id given. */
export function relayConfig(options: FixtureOptions): BridgeConfig {
  const keyPrefix = `cbtest:${randomUUID().slice(0, 8)}:`;
  return parseConfig(
    {
      server: { port: 0, host: '127.0.0.1', adminToken: 'admin-token-0123456789', ...options.server },
      store: { kind: options.store, url: options.redisUrl ?? 'redis://127.0.0.1:6379', keyPrefix },
      delivery: { minBackoffMs: 20, maxBackoffMs: 200, leaseMs: 5000, partitions: 4, ...options.delivery },
      logging: { level: 'error', ...options.logging },
      tenants: (options.tenants ?? ['acme']).map((id) => ({
        id,
        routes: [{ customer: 'relay-a', agents: [{ platform: 'relay-b', weight: 100 }] }],
        // Each tenant has its own secrets: acme's are TOKEN_A/TOKEN_B, others' are derived from their id.
        'relay-a': { token: id === 'acme' ? TOKEN_A : `${TOKEN_A}-${id}`, targetUrl: options.targetA },
        'relay-b': { token: id === 'acme' ? TOKEN_B : `${TOKEN_B}-${id}`, targetUrl: options.targetB },
      })),
    },
    relayRegistry(),
    {},
  );
}

export async function startRelayBridge(config: BridgeConfig): Promise<ChatbridgeService> {
  const service = new ChatbridgeService(config, relayRegistry(), {
    logger: createLogger({ silent: true }),
    metrics: new Metrics(),
    worker: { pollMs: 50 },
  });
  return service.start();
}

export function relayPayload(conversation: string, ids: string[], role: 'customer' | 'agent' = 'customer') {
  return { messages: ids.map((id) => ({ conversation, id, text: `text ${id}`, role })) };
}

export async function postWebhook(url: string, body: unknown, token = TOKEN_A, headers: Record<string, string> = {}) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-relay-token': token, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
