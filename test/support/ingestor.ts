import type { TenantConfig } from '../../src/config/schema.js';
import type { QueueBackend } from '../../src/delivery/queue-backend.js';
import type { LaneIntake } from '../../src/routing/ingestor.js';
import { createLogger } from '../../src/observability/logger.js';
import { Metrics } from '../../src/observability/metrics.js';
import { Ingestor } from '../../src/routing/ingestor.js';
import { RouteLedger } from '../../src/routing/route-ledger.js';
import type { MappingStore } from '../../src/store/mapping-store.js';
import type { Transcripts } from '../../src/transcripts/transcripts.js';

/** Tenant `acme`: customers on `cust`, every conversation to agents on `agent`. */
export const INGEST_TENANT: TenantConfig = { id: 'acme', routes: [{ customer: 'cust', agents: [{ platform: 'agent', weight: 100 }] }], platforms: {} };

/** The queue as the ingestor sees it, without a worker: every lane is left for a claim. */
export function intakeOf(queue: QueueBackend): LaneIntake {
  return { enqueue: async (lane, deliveries, ttl) => (await queue.enqueue(lane, deliveries, ttl)).accepted };
}

/** An Ingestor over `store` and `queue` for tenant `acme`, with silent logs and its own metrics. */
export function testIngestor(store: MappingStore, queue: QueueBackend | LaneIntake, transcripts?: Transcripts): Ingestor {
  const metrics = new Metrics();
  const logger = createLogger({ silent: true });
  return new Ingestor({
    store,
    queue: 'kind' in queue ? intakeOf(queue) : queue,
    metrics,
    logger,
    ledger: new RouteLedger(store, metrics, logger, 60_000),
    dedupeTtlMs: 60_000,
    tenant: (id) => (id === INGEST_TENANT.id ? INGEST_TENANT : undefined),
    transcripts,
  });
}
