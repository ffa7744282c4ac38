import { Bridge } from '../src/bridge.js';
import { parseConfig } from '../src/config/load.js';
import type { InboundEventInput } from '../src/model/events.js';
import { createLogger } from '../src/observability/logger.js';
import { Metrics } from '../src/observability/metrics.js';
import { createRegistry } from '../src/composition-root.js';

/**
 * `node --expose-gc dist/bench/queued-event-memory.js [events] [conversations]`: what one event waiting
 * in memory mode's queue costs the process, through the real intake path (dedupe mark, message link,
 * transcript entry, queue entry). The bridge is not started, so nothing is delivered: every event
 * stays queued, as during a long outage of the target. Prints bytes per queued event, RSS and heap.
 */

const EVENTS = Number(process.argv[2] ?? 50_000);
const CONVERSATIONS = Number(process.argv[3] ?? 500);
const BATCH = 50;
const TEXT = 'Hello, I would like to know where my order is; it was due yesterday and the tracking page says nothing.';

function settle(): { rss: number; heap: number } {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  gc();
  gc();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heap: heapUsed };
}

function message(i: number): InboundEventInput {
  const conversation = `conv-${i % CONVERSATIONS}`;
  return {
    id: `egain:${conversation}:m${i}`,
    kind: 'message',
    origin: { platform: 'egain', conversationId: conversation, messageId: `m${i}` },
    sender: { role: 'customer', id: `customer-${i % CONVERSATIONS}` },
    timestamp: new Date().toISOString(),
    text: TEXT,
  };
}

const config = parseConfig(
  {
    delivery: { maxQueueDepth: 10_000_000 },
    tenants: [
      {
        id: 'bench',
        routes: [{ customer: 'egain', agents: [{ platform: 'liveperson' }] }],
        egain: {
          apiBaseUrl: 'http://127.0.0.1:9/conversation/conversationmgr/v3',
          tokenUrl: 'http://127.0.0.1:9/token',
          clientId: 'bench',
          clientSecret: 'bench-secret',
          callbackAuth: { type: 'basic', username: 'hub', password: 'bench-password' },
        },
        liveperson: { accountId: '12345678', clientId: 'bench', clientSecret: 'bench-secret' },
      },
    ],
  },
  createRegistry(),
  {},
);
const bridge = new Bridge(config, createRegistry(), { logger: createLogger({ silent: true }), metrics: new Metrics() });

// Conversations exist before the measurement: what is measured is the events, not the mappings.
await bridge.ingest('bench', 'egain', Array.from({ length: CONVERSATIONS }, (_, i) => ({ ...message(i), id: `warm-${i}` })));
const before = settle();
for (let i = 0; i < EVENTS; i += BATCH) {
  await bridge.ingest('bench', 'egain', Array.from({ length: Math.min(BATCH, EVENTS - i) }, (_, k) => message(CONVERSATIONS + i + k)));
}
const after = settle();
const queued = await bridge.queue.depth();
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
process.stdout.write(
  `${queued} events queued over ${CONVERSATIONS} conversations: RSS +${mb(after.rss - before.rss)} ` +
    `(${Math.round((after.rss - before.rss) / EVENTS)} B per event), heap +${mb(after.heap - before.heap)} ` +
    `(${Math.round((after.heap - before.heap) / EVENTS)} B per event)\n`,
);
process.exit(0);
