import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { livepersonAdapter } from '../../../adapters/liveperson/index.js';
import { LivePersonConfig } from '../../../adapters/liveperson/config.js';
import {
  type LivePersonSimulator,
  type LivePersonSimulatorOptions,
  startLivePersonSimulator,
} from '../../../adapters/liveperson/simulator/index.js';
import { InboundError } from '../../../src/errors.js';
import { ConversationEvent, InboundEvent, type InboundEventInput } from '../../../src/model/events.js';
import { createLogger } from '../../../src/observability/logger.js';
import type { DeliveryContext, Connector, ConnectorRuntime } from '../../../src/ports/adapter.js';
import { StoredConversation } from '../../../src/routing/conversation-handle.js';
import type { MappingStore } from '../../../src/store/mapping-store.js';
import { MemoryMappingStore } from '../../../src/store/memory-store.js';
import { type FakeRuntime, fakeRuntime } from '../../support/fake-runtime.js';
import { sendEvent } from '../../../src/delivery/send-event.js';

/**
 * Test helpers for the LivePerson adapter. Every adapter's harness has the same names for the same jobs:
 * TENANT, makeRuntime (the runtime the core would lend), livepersonConfig (the tenant's block pointing at the
 * simulator), makeConnector, deliveryContext (what `send` is given) and event (a canonical event to send).
 * LivePerson adds deliver (as the core does), startReceiver and startStack (simulator, connector and webhook receiver together).
 */
export const TENANT = 'acme';
const logger = createLogger({ silent: true });

/** A runtime as the core lends it, with what the adapter reports recorded. */
export function makeRuntime<S extends MappingStore = MemoryMappingStore>(store?: S): FakeRuntime<S> {
  return fakeRuntime({ platform: 'liveperson', tenantId: TENANT, store });
}

/** The connector for one tenant, as the core creates it from the tenant's `liveperson:` block. */
export function makeConnector(config: Record<string, unknown>, runtime: ConnectorRuntime): Connector {
  return livepersonAdapter.create({ config: LivePersonConfig.parse(config), runtime });
}

/** A canonical conversation whose customer side lives elsewhere, as the LivePerson connector sees it. */
export async function deliveryContext(store: MappingStore): Promise<DeliveryContext> {
  const created = await store.resolveConversation(TENANT, 'egain', randomUUID(), { attrs: {} });
  const record = await store.getConversation(TENANT, created!.id);
  return { conversation: new StoredConversation(store, record!, 'liveperson', 'agent'), attempt: 1, logger };
}

let seq = 0;
export function event(ctx: DeliveryContext, body: Record<string, unknown>): ConversationEvent {
  seq += 1;
  return ConversationEvent.parse({
    id: `egain:c:${seq}`,
    tenant: TENANT,
    conversationId: ctx.conversation.id,
    origin: { platform: 'egain', conversationId: 'c', messageId: `m${seq}` },
    sender: { role: 'customer' },
    timestamp: new Date().toISOString(),
    ...body,
  });
}

/** Delivers like the core: each returned native message id is linked to the canonical event. */
export async function deliver(connector: Connector, store: MappingStore, ev: ConversationEvent, ctx: DeliveryContext) {
  const result = await sendEvent(connector.outbound, ev, ctx);
  if (result.status === 'sent') for (const id of result.nativeMessageIds ?? []) await store.linkMessage(TENANT, ev.id, 'liveperson', id);
  return result;
}

/**
 * The core's webhook path in miniature: verify over the raw bytes, parse, normalize, record; links
 * inbound messages' origin.messageId as the core does. Answers 401/400 on InboundError.
 */
export async function startReceiver(connector: Connector, store: MappingStore) {
  const events: InboundEventInput[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const raw = { headers: req.headers, rawBody: Buffer.concat(chunks) };
      try {
        await connector.verify!(raw);
        const normalized = await connector.normalize!(JSON.parse(raw.rawBody.toString('utf8')));
        for (const e of normalized) {
          events.push(InboundEvent.parse(e));
          if (e.kind === 'message' && e.origin.messageId) await store.linkMessage(TENANT, e.id, 'liveperson', e.origin.messageId);
        }
        res.writeHead(200).end('{}');
      } catch (err) {
        res.writeHead(err instanceof InboundError ? err.status : 500).end();
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/${TENANT}/liveperson`,
    events,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** The tenant's `liveperson:` block, pointing at the simulator. */
export function livepersonConfig(simulator: LivePersonSimulator, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    accountId: simulator.accountId,
    domainApiUrl: simulator.url,
    clientId: simulator.clientId,
    clientSecret: simulator.clientSecret,
    scheme: 'http',
    // Generous: under a loaded CI machine a short timeout would turn into retries the assertions count.
    requestTimeoutMs: 10_000,
    ...overrides,
  };
}

/** Simulator + connector + receiver wired together, configured as an operator would. */
export async function startStack(sim: LivePersonSimulatorOptions = {}, config: Record<string, unknown> = {}) {
  const simulator: LivePersonSimulator = await startLivePersonSimulator(sim);
  const runtime = makeRuntime();
  const connector = makeConnector(livepersonConfig(simulator, config), runtime);
  const receiver = await startReceiver(connector, runtime.store);
  simulator.setWebhookUrl(receiver.url);
  return {
    simulator,
    runtime,
    store: runtime.store,
    connector,
    receiver,
    deliveryContext: () => deliveryContext(runtime.store),
    deliver: (ev: ConversationEvent, ctx: DeliveryContext) => deliver(connector, runtime.store, ev, ctx),
    async close() {
      await simulator.close();
      await receiver.close();
    },
  };
}
export type Stack = Awaited<ReturnType<typeof startStack>>;
