import { createVendorHttp } from '../../src/vendor-http/vendor-client.js';
import type { PlatformRuntime } from '../../src/platform/adapter.js';
import type { InboundGap } from '../../src/observability/inbound-gaps.js';
import type { UnrecognizedWhat } from '../../src/observability/unrecognized.js';

export interface Unrecognized {
  what: UnrecognizedWhat;
  detail: string;
  payload: unknown;
}

/**
 * The observation half of a runtime for adapter tests: what the adapter reported it could not read, the gaps it saw and
 * what it handed to the capture are recorded, and its HTTP clients are plain ones (no bridge to report to).
 */
export function observingRuntime(): Pick<PlatformRuntime, 'unrecognized' | 'received' | 'vendorHttp' | 'inboundGap'> & {
  unrecognizedSeen: Unrecognized[];
  receivedSeen: unknown[];
  gapsSeen: InboundGap[];
} {
  const unrecognizedSeen: Unrecognized[] = [];
  const receivedSeen: unknown[] = [];
  const gapsSeen: InboundGap[] = [];
  return {
    unrecognizedSeen,
    receivedSeen,
    gapsSeen,
    inboundGap: (gap) => void gapsSeen.push(gap),
    unrecognized: (what, detail, payload) => void unrecognizedSeen.push({ what, detail, payload }),
    received: (payload) => void receivedSeen.push(payload),
    vendorHttp: (options) => createVendorHttp(options),
  };
}
