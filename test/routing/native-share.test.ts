import { MemoryQueueBackend } from '../../src/delivery/memory-queue.js';
import type { InboundEventInput } from '../../src/model/events.js';
import { createLogger } from '../../src/observability/logger.js';
import { Metrics } from '../../src/observability/metrics.js';
import type { ConversationHandle, NativeHandOver, Connector } from '../../src/ports/adapter.js';
import { Ingestor } from '../../src/routing/ingestor.js';
import { NativeShare } from '../../src/routing/native-share.js';
import { RouteLedger } from '../../src/routing/route-ledger.js';
import { MemoryMappingStore } from '../../src/store/memory-store.js';
import { intakeOf } from '../support/ingestor.js';

/** The core's side of the native share, with a stand-in customer connector whose vendor can fail. */

const TENANT = { id: 'acme', routes: [{ customer: 'cust', agents: [{ platform: 'cust', weight: 1 }, { platform: 'agent', weight: 1 }] }], platforms: {} };

const say = (conversationId: string, seq: number): InboundEventInput => ({
  kind: 'message',
  id: `cust:${conversationId}:${seq}`,
  text: `message ${seq}`,
  origin: { platform: 'cust', conversationId },
  sender: { role: 'customer' },
  timestamp: new Date().toISOString(),
});

function setup(draw: number) {
  const store = new MemoryMappingStore();
  const queue = new MemoryQueueBackend();
  const metrics = new Metrics();
  const logger = createLogger({ silent: true });
  const ledger = new RouteLedger(store, metrics, logger, 60_000);
  const handedOver: { nativeId: string | undefined; handOver: NativeHandOver }[] = [];
  let failures = 0;
  const connector: Connector = {
    platform: 'cust',
    outbound: {},
    async handToNativeAgents(conversation: ConversationHandle, handOver: NativeHandOver) {
      if (failures > 0) {
        failures -= 1;
        throw new Error('vendor down');
      }
      handedOver.push({ nativeId: conversation.nativeId(), handOver });
    },
  };
  const native = new NativeShare({ store, ledger, connector: (_t, platform) => (platform === 'cust' ? connector : undefined) });
  const ingestor = new Ingestor({
    store, queue: intakeOf(queue), metrics, logger, ledger, native,
    dedupeTtlMs: 60_000,
    tenant: (id) => (id === TENANT.id ? TENANT : undefined),
    random: () => draw,
  });
  return { store, queue, metrics, ledger, ingestor, handedOver, failNext: (n: number) => (failures = n) };
}

describe('the native share in the ingestor', () => {
  it('when a new conversation is drawn for the customer platform, then it is handed over once, nothing is queued, and the route counts it', async () => {
    const { ingestor, queue, handedOver, metrics, ledger, store } = setup(0.2);
    expect(await ingestor.ingest('acme', 'cust', [say('c1', 1), say('c1', 2)])).toEqual({ accepted: 0, duplicates: 0, dropped: 2 });
    expect(await ingestor.ingest('acme', 'cust', [say('c1', 3)])).toEqual({ accepted: 0, duplicates: 0, dropped: 1 });
    expect(handedOver).toEqual([{ nativeId: 'c1', handOver: { fresh: true } }]);
    expect(await queue.depth()).toBe(0);
    expect((await metrics.routeConversationsStarted.get()).values).toEqual([expect.objectContaining({ labels: { tenant: 'acme', route: 'cust->cust' }, value: 1 })]);
    expect((await ledger.live([TENANT])).find((r) => r.route === 'cust->cust')?.live).toBe(0);
    const id = (await store.resolveConversation('acme', 'cust', 'c1'))!.id;
    expect((await store.getConversation('acme', id))!.attrs).toMatchObject({ customer: 'cust', agent: 'cust', native: 'drawn', nativeAt: expect.any(String) });
  });

  it('when the vendor fails the hand-over, then the ingest fails (the vendor redelivers) and the next event hands it over, still native', async () => {
    const { ingestor, handedOver, ledger, queue, failNext } = setup(0.2);
    failNext(1);
    await expect(ingestor.ingest('acme', 'cust', [say('c1', 1)])).rejects.toThrow('vendor down');
    expect((await ledger.live([TENANT])).find((r) => r.route === 'cust->cust')?.live).toBe(1);
    expect(await ingestor.ingest('acme', 'cust', [say('c1', 1)])).toMatchObject({ accepted: 0, dropped: 1 });
    expect(handedOver).toHaveLength(1);
    expect((await ledger.live([TENANT])).find((r) => r.route === 'cust->cust')?.live).toBe(0);
    expect(await queue.depth()).toBe(0);
  });

  it('when the draw falls on the other agent platform, then the conversation is bridged as before', async () => {
    const { ingestor, handedOver, queue } = setup(0.7);
    expect(await ingestor.ingest('acme', 'cust', [say('c2', 1)])).toMatchObject({ accepted: 1, dropped: 0 });
    expect(handedOver).toEqual([]);
    expect(await queue.depth()).toBe(1);
  });
});
