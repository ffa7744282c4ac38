import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { loadConfig } from '../../src/config/load.js';
import { createLogger } from '../../src/observability/logger.js';
import { Metrics } from '../../src/observability/metrics.js';
import { AdapterRegistry } from '../../src/ports/registry.js';
import { ChatbridgeService } from '../../src/service.js';
import { TOKEN_A, postWebhook, relayPayload } from '../support/bridge-fixture.js';
import { relayPlatform } from '../support/relay-platform.js';
import type { TargetServer } from '../support/target-server.js';

export const ADMIN_TOKEN = 'admin-token-0123456789';

/** Customers on relay-a; agents on relay-b or relay-c (the platform a migration moves to). */
export function migrationRegistry(): AdapterRegistry {
  return new AdapterRegistry()
    .register(relayPlatform('relay-a', ['customer']))
    .register(relayPlatform('relay-b', ['agent']))
    .register(relayPlatform('relay-c', ['agent']));
}

export interface MigrationDoc {
  weights: { b: number; c: number };
  targets: { a: string; b: string; c: string };
  /** Merged over the document, for sections a test changes (store, server) or breaks. */
  extra?: Record<string, unknown>;
  tenantExtra?: Record<string, unknown>;
}

/** The YAML document an operator would edit: one tenant, relay-a customers split between relay-b and relay-c. */
export function migrationDoc({ weights, targets, extra, tenantExtra }: MigrationDoc): Record<string, unknown> {
  return {
    server: { port: 0, host: '127.0.0.1', adminToken: ADMIN_TOKEN },
    store: { kind: 'memory' },
    delivery: { minBackoffMs: 20, maxBackoffMs: 200 },
    logging: { level: 'error' },
    tenants: [
      {
        id: 'acme',
        routes: [
          {
            customer: 'relay-a',
            agents: [
              { platform: 'relay-b', weight: weights.b },
              { platform: 'relay-c', weight: weights.c },
            ],
          },
        ],
        'relay-a': { token: TOKEN_A, targetUrl: targets.a },
        'relay-b': { token: 'token-for-relay-b', targetUrl: targets.b },
        'relay-c': { token: 'token-for-relay-c', targetUrl: targets.c },
        ...tenantExtra,
      },
    ],
    ...extra,
  };
}

/** A configuration file on disk, rewritten by the test as an operator would. */
export class ConfigFile {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'chatbridge-reload-'));
  readonly path = path.join(this.dir, 'chatbridge.yaml');

  write(doc: unknown): void {
    writeFileSync(this.path, typeof doc === 'string' ? doc : YAML.stringify(doc));
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export async function startFromFile(file: ConfigFile, registry = migrationRegistry()): Promise<ChatbridgeService> {
  const service = new ChatbridgeService(loadConfig(file.path, registry, {}), registry, {
    logger: createLogger({ silent: true }),
    metrics: new Metrics(),
    worker: { pollMs: 20 },
    configSource: file.path,
    env: {},
  });
  return service.start();
}

export function reload(service: ChatbridgeService, token = ADMIN_TOKEN): Promise<Response> {
  return fetch(`${service.url}/admin/reload`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
}

/** Sends one customer message of a conversation and insists it was accepted. */
export async function customerSays(service: ChatbridgeService, conversation: string, id: string): Promise<void> {
  const res = await postWebhook(`${service.url}/webhooks/acme/relay-a`, relayPayload(conversation, [id]));
  if (res.status !== 200) throw new Error(`webhook answered ${res.status}: ${await res.text()}`);
}

/** The relay conversations (customer-side native ids) a target received messages of. */
export function conversationsAt(target: TargetServer): Set<string> {
  return new Set(target.accepted.map((r) => (r.body.event as { origin: { conversationId: string } }).origin.conversationId));
}
