import { AuthExpiredError, ConversationGoneError } from '../../src/errors.js';
import type { Delivery } from '../../src/delivery/delivery.js';
import { OutboundDelivery } from '../../src/delivery/outbound-delivery.js';
import { FileLinks } from '../../src/files/file-links.js';
import type { ConversationEvent, InboundEventInput } from '../../src/model/events.js';
import { createLogger } from '../../src/observability/logger.js';
import { Metrics } from '../../src/observability/metrics.js';
import type { OutboundHandlers, Connector } from '../../src/ports/adapter.js';
import { MemoryMappingStore } from '../../src/store/memory-store.js';
import { eventually } from '../support/eventually.js';

/**
 * The delivery policy alone, over a memory store and recorded ingests: what happens to a lane head
 * once the worker hands it over, whatever queue and vendor are behind it.
 */

const TENANT = 'acme';

async function setup(outbound: OutboundHandlers, extra: Partial<Connector> = {}) {
  const store = new MemoryMappingStore();
  const metrics = new Metrics();
  const created = await store.resolveConversation(TENANT, 'alpha', 'a-1', { attrs: { customer: 'alpha', agent: 'beta' } });
  await store.linkConversation(TENANT, created!.id, 'beta', 'b-1');
  const ingested: { platform: string; events: InboundEventInput[] }[] = [];
  const injected: { event: ConversationEvent; target: string }[] = [];
  const beta: Connector = { platform: 'beta', outbound, ...extra };
  const delivery = new OutboundDelivery({
    store,
    metrics,
    logger: createLogger({ silent: true }),
    fileLinks: new FileLinks({ ttlSeconds: 60 }),
    ledger: { delivering: () => undefined, delivered: () => undefined, deadLettered: () => undefined },
    connector: (_tenant, platform) => (platform === 'beta' ? beta : undefined),
    ingest: async (_tenant, platform, events) => void ingested.push({ platform, events }),
    inject: async (event, target) => void injected.push({ event, target }),
  });
  const head = (body: Record<string, unknown>): Delivery => ({
    target: 'beta',
    acceptedAt: Date.now(),
    event: {
      id: `alpha:a-1:${Object.values(body).join('-')}`,
      tenant: TENANT,
      conversationId: created!.id,
      origin: { platform: 'alpha', conversationId: 'a-1' },
      sender: { role: 'customer' },
      timestamp: '2024-01-01T00:00:00.000Z',
      ...body,
    } as ConversationEvent,
  });
  const dropped = async (labels: Record<string, string>) =>
    (await metrics.dropped.get()).values.filter((v) => Object.entries(labels).every(([k, l]) => (v.labels as Record<string, unknown>)[k] === l)).reduce((n, v) => n + v.value, 0);
  return { store, delivery, head, ingested, injected, dropped };
}

const message = (text: string) => ({ kind: 'message', text, richText: false, attachments: [] });

describe('outbound delivery', () => {
  it('when the target declares no handler for the kind, then the core drops the event with the one reason, sending nothing', async () => {
    const sent: string[] = [];
    const { delivery, head, dropped, injected } = await setup({
      message: async (e) => {
        sent.push(e.text);
        return { status: 'sent' };
      },
    });
    await delivery.deliver(head({ kind: 'typing', state: 'start' }), 1);
    await delivery.deliver(head({ kind: 'receipt', status: 'read', messageIds: ['x'] }), 1);
    expect(sent).toEqual([]);
    expect(await dropped({ platform: 'beta', kind: 'typing', reason: 'unsupported-kind' })).toBe(1);
    expect(await dropped({ platform: 'beta', kind: 'receipt', reason: 'unsupported-kind' })).toBe(1);
    expect(injected).toEqual([]);
  });

  it('when the target returns several native ids (a text posted in parts), then every one is linked to the event', async () => {
    const { store, delivery, head } = await setup({ message: async () => ({ status: 'sent', nativeMessageIds: ['p-1', 'p-2', 'p-3'] }) });
    const long = head(message('a long text'));
    await delivery.deliver(long, 1);
    await eventually(async () => {
      for (const id of ['p-1', 'p-2', 'p-3']) expect(await store.findMessage(TENANT, 'beta', id)).toBe(long.event.id);
    });
  });

  it('when the target drops an event with a notice, then the notice goes back to the sender as a system message, once per event', async () => {
    const { delivery, head, injected, dropped } = await setup({
      message: async () => ({ status: 'dropped', reason: 'file-type-refused', detail: 'exe', notice: 'No .exe files here.' }),
    });
    const refused = head(message('tool.exe'));
    await delivery.deliver(refused, 1);
    expect(injected).toEqual([
      { target: 'alpha', event: expect.objectContaining({ id: `${refused.event.id}:notice`, sender: { role: 'system' }, text: 'No .exe files here.' }) },
    ]);
    expect(await dropped({ kind: 'message', reason: 'file-type-refused' })).toBe(1);
  });

  it('when the target refuses only part of an event, then the rest counts as sent and the refusal as a drop of its kind', async () => {
    const { delivery, head, injected, dropped } = await setup({
      message: async () => ({ status: 'sent', nativeMessageIds: ['m-1'], refused: { reason: 'file-too-large', notice: 'Too big.' } }),
    });
    await delivery.deliver(head(message('see the scan')), 1);
    expect(injected.map((i) => [i.target, (i.event as { text: string }).text])).toEqual([['alpha', 'Too big.']]);
    expect(await dropped({ kind: 'message', reason: 'file-too-large' })).toBe(1);
  });

  it('when the target refuses the credential, then it is refreshed once and the send retried at once', async () => {
    let refreshed = 0;
    let calls = 0;
    const { delivery, head } = await setup(
      {
        message: async () => {
          calls += 1;
          if (refreshed === 0) throw new AuthExpiredError('token expired');
          return { status: 'sent' };
        },
      },
      { refreshAuth: () => void (refreshed += 1) },
    );
    await delivery.deliver(head(message('hi')), 1);
    expect([refreshed, calls]).toEqual([1, 2]);
  });

  it('when the target says the conversation is gone, then its end is ingested for the side still talking, not retried', async () => {
    const { delivery, head, ingested } = await setup({
      message: async () => {
        throw new ConversationGoneError('closed on the vendor side');
      },
    });
    await delivery.deliver(head(message('hello?')), 1);
    expect(ingested).toEqual([
      {
        platform: 'beta',
        events: [expect.objectContaining({ kind: 'conversation.ended', id: 'beta:b-1:gone', origin: { platform: 'beta', conversationId: 'b-1' }, endedBy: 'agent' })],
      },
    ]);
  });
});
