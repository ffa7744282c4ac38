import type { InboundEventInput } from '../../src/model/events.js';
import type { InboundGap } from '../../src/observability/inbound-gaps.js';
import { createLogger, type Logger } from '../../src/observability/logger.js';
import type { UnrecognizedWhat } from '../../src/observability/unrecognized.js';
import type { ConnectorRuntime } from '../../src/ports/adapter.js';
import type { DropKind, DropReason } from '../../src/ports/drop-reasons.js';
import { type MappingStore, platformKeys } from '../../src/store/mapping-store.js';
import { MemoryMappingStore } from '../../src/store/memory-store.js';
import { createVendorHttp } from '../../src/vendor-http/vendor-client.js';

export interface Unrecognized {
  what: UnrecognizedWhat;
  detail: string;
  payload: unknown;
}

/** A drop the adapter reported; `type` is the vendor type it logged for a `vendor` item. */
export interface Dropped {
  kind: DropKind;
  reason: DropReason;
  type?: string;
}

/** A runtime as the core lends it, recording what the adapter reports instead of acting on it. */
export interface FakeRuntime<S extends MappingStore = MemoryMappingStore> extends ConnectorRuntime {
  store: S;
  /** Every event handed to `ingest`, in order. */
  ingested: InboundEventInput[];
  drops: Dropped[];
  unrecognizedSeen: Unrecognized[];
  gapsSeen: InboundGap[];
  /** What the adapter handed to the inbound capture. */
  receivedSeen: unknown[];
}

export interface FakeRuntimeOptions<S extends MappingStore> {
  /** The platform whose state `key` names. */
  platform: string;
  tenantId?: string;
  /** Defaults to a memory store of its own (a store shared by several runtimes is passed here). */
  store?: S;
  /** Defaults to a silent one. */
  logger?: Logger;
}

/**
 * The one fake of the core for adapter tests: `ingest` records and accepts everything, drops, unreadable
 * payloads, gaps and captures are recorded, and HTTP clients are plain ones (no connector health to drive).
 */
export function fakeRuntime<S extends MappingStore = MemoryMappingStore>(options: FakeRuntimeOptions<S>): FakeRuntime<S> {
  const ingested: InboundEventInput[] = [];
  const drops: Dropped[] = [];
  const unrecognizedSeen: Unrecognized[] = [];
  const gapsSeen: InboundGap[] = [];
  const receivedSeen: unknown[] = [];
  const tenantId = options.tenantId ?? 'acme';
  const store = options.store ?? (new MemoryMappingStore() as MappingStore as S);
  return {
    tenantId,
    store,
    key: platformKeys(store, options.platform, tenantId),
    logger: options.logger ?? createLogger({ silent: true }),
    ingested,
    drops,
    unrecognizedSeen,
    gapsSeen,
    receivedSeen,
    async ingest(events) {
      ingested.push(...events);
      return { accepted: events.length, duplicates: 0, dropped: 0 };
    },
    drop: (kind, reason, details) => void drops.push({ kind, reason, ...(typeof details?.type === 'string' ? { type: details.type } : {}) }),
    unrecognized: (what, detail, payload) => void unrecognizedSeen.push({ what, detail, payload }),
    inboundGap: (gap) => void gapsSeen.push(gap),
    received: (payload) => void receivedSeen.push(payload),
    vendorHttp: (options) => createVendorHttp(options),
  };
}
