import { Writable } from 'node:stream';
import { ConversationEvent, type InboundEventInput } from '../../../src/model/events.js';
import { createLogger } from '../../../src/observability/logger.js';
import type { DeliveryContext, ConnectorRuntime } from '../../../src/ports/adapter.js';
import { StoredConversation } from '../../../src/routing/conversation-handle.js';
import type { MappingStore } from '../../../src/store/mapping-store.js';
import { type RightNowConfig, RightNowConfigSchema } from '../../../adapters/rightnow/config.js';
import { RightNowConnector, rightnowAdapter } from '../../../adapters/rightnow/index.js';
import type { RightNowSimulator } from '../../../adapters/rightnow/simulator/index.js';
import { type FakeRuntime, fakeRuntime } from '../../support/fake-runtime.js';

/**
 * Test helpers for the RightNow adapter. Every adapter's harness has the same names for the same jobs:
 * TENANT, makeRuntime (the runtime the core would lend), rightnowConfig (the tenant's block pointing at the
 * simulator), makeConnector, deliveryContext (what `send` is given) and event (a canonical event to send).
 * RightNow adds acceptedEngagement (a chat the poll loop has taken), waitFor.
 */
export const TENANT = 'acme';

export interface TestRuntime extends FakeRuntime<MappingStore> {
  /** The events accepted, each once (`ingested` keeps those of every successful call, redeliveries included). */
  events: InboundEventInput[];
  /** Event ids of every ingest call, failed ones included. */
  attempts: string[][];
  /** Every log line, parsed. */
  logs: { level: string; message: string; [field: string]: unknown }[];
  /** Ids of events dropped as redeliveries of one already accepted, as the core's dedupe would. */
  duplicates: string[];
  /** Makes the next `n` ingest calls throw (the core being unavailable). */
  failIngest(n: number): void;
}

export function makeRuntime(store: MappingStore): TestRuntime {
  let failures = 0;
  const logs: TestRuntime['logs'] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  const base = fakeRuntime({ platform: 'rightnow', tenantId: TENANT, store, logger: createLogger({ level: 'info', stream }) });
  const runtime: TestRuntime = {
    ...base,
    logs,
    events: [],
    attempts: [],
    duplicates: [],
    failIngest(n) {
      failures = n;
    },
    async ingest(events) {
      runtime.attempts.push(events.map((e) => e.id));
      if (failures > 0) {
        failures -= 1;
        throw new Error('core unavailable');
      }
      await base.ingest(events);
      const seen = new Set(runtime.events.map((e) => e.id));
      const fresh = events.filter((e) => !seen.has(e.id) && seen.add(e.id));
      runtime.duplicates.push(...events.filter((e) => !fresh.includes(e)).map((e) => e.id));
      runtime.events.push(...fresh);
      return { accepted: fresh.length, duplicates: events.length - fresh.length, dropped: 0 };
    },
  };
  return runtime;
}

export function rightnowConfig(sim: RightNowSimulator, overrides: Record<string, unknown> = {}): RightNowConfig {
  return RightNowConfigSchema.parse({
    siteUrl: sim.url,
    username: 'api-user',
    password: 'api-password',
    agentAccountId: 12,
    minBackoffMs: 5,
    maxBackoffMs: 40,
    leaseMs: 1000,
    requestTimeoutMs: 2000,
    pollTimeoutMs: 5000,
    ...overrides,
  });
}

/** The connector for one tenant, as the core creates it. */
export function makeConnector(config: RightNowConfig, runtime: ConnectorRuntime): RightNowConnector {
  return rightnowAdapter.create({ config, runtime }) as RightNowConnector;
}

export async function waitFor(check: () => boolean, what: string, timeoutMs = 4000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export function deliveryContext(store: MappingStore, engagementId: string | undefined, conversationId = 'conv-1'): DeliveryContext {
  const links: Record<string, string> = engagementId ? { rightnow: engagementId } : {};
  const conversation = new StoredConversation(store, { id: conversationId, tenant: TENANT, links, attrs: {} }, 'rightnow', 'customer');
  return { conversation, attempt: 1, logger: createLogger({ silent: true }) };
}

let counter = 0;
/** A canonical event from the agent side, as the core would hand it to send(). */
export function event(body: Record<string, unknown>, conversationId = 'conv-1'): ConversationEvent {
  counter += 1;
  return ConversationEvent.parse({
    id: `egain:${conversationId}:m${counter}`,
    tenant: TENANT,
    conversationId,
    origin: { platform: 'egain', conversationId: 'eg-1' },
    sender: { role: 'agent', name: 'Ann' },
    timestamp: new Date().toISOString(),
    ...body,
  });
}

/** Starts the loop and returns an engagement the bridge has accepted. */
export async function acceptedEngagement(sim: RightNowSimulator, conn: RightNowConnector, runtime: TestRuntime): Promise<string> {
  await conn.start();
  const engagementId = sim.customerStartsChat({ firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', subject: 'Billing' });
  await waitFor(() => sim.engagementState(engagementId) === 'active', 'the offer to be accepted');
  await waitFor(() => runtime.events.some((e) => e.kind === 'conversation.started'), 'conversation.started');
  return engagementId;
}
