import { createVendorHttp } from '../../src/vendor-http/vendor-client.js';
import type { PlatformRuntime } from '../../src/platform/adapter.js';
import type { DropKind, DropReason } from '../../src/platform/drop-reasons.js';
import type { InboundGap } from '../../src/observability/inbound-gaps.js';
import type { UnrecognizedWhat } from '../../src/observability/unrecognized.js';

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

/**
 * The observation half of a runtime for adapter tests: what the adapter dropped or reported it could not read, the
 * gaps it saw and what it handed to the capture are recorded, and its HTTP clients are plain ones (no bridge to report to).
 */
export function observingRuntime(): Pick<PlatformRuntime, 'drop' | 'unrecognized' | 'received' | 'vendorHttp' | 'inboundGap'> & {
  drops: Dropped[];
  unrecognizedSeen: Unrecognized[];
  receivedSeen: unknown[];
  gapsSeen: InboundGap[];
} {
  const drops: Dropped[] = [];
  const unrecognizedSeen: Unrecognized[] = [];
  const receivedSeen: unknown[] = [];
  const gapsSeen: InboundGap[] = [];
  return {
    drops,
    unrecognizedSeen,
    receivedSeen,
    gapsSeen,
    drop: (kind, reason, details) => void drops.push({ kind, reason, ...(typeof details?.type === 'string' ? { type: details.type } : {}) }),
    inboundGap: (gap) => void gapsSeen.push(gap),
    unrecognized: (what, detail, payload) => void unrecognizedSeen.push({ what, detail, payload }),
    received: (payload) => void receivedSeen.push(payload),
    vendorHttp: (options) => createVendorHttp(options),
  };
}
