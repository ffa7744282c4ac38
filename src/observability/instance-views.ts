import type { BreakerView, CircuitBreaker } from '../delivery/circuit-breaker.js';
import type { ConnectorHealth, ConnectorHealthView } from './connector-health.js';
import type { CapturedPayload, InboundCapture } from './inbound-capture.js';
import type { InboundGapRecord, InboundGaps } from './inbound-gaps.js';
import type { Metrics } from './metrics.js';
import type { RouteSeries, RouteThroughput } from './route-throughput.js';
import type { UnrecognizedInbound, UnrecognizedSample } from './unrecognized.js';

/** What the admin API and the status page show of the state a process keeps in memory (not in the store). */
export interface InstanceStatus {
  connectors: ConnectorHealthView[];
  breakers: BreakerView[];
  /** Newest first. */
  unrecognized: UnrecognizedSample[];
  throughput: RouteSeries[];
  /** Newest first. */
  inboundGaps: InboundGapRecord[];
  /** Newest first. */
  captured: CapturedPayload[];
  /** With `--workers N`: how many workers were asked and how many answered in time. */
  workers?: { asked: number; answered: number };
}

/**
 * What `/metrics` and the admin views read for this instance: this process, or with `--workers N` every
 * worker's, combined (src/cluster/cluster-views.ts), so the one port never answers for one worker only.
 */
export interface InstanceViews {
  /** The Prometheus exposition. */
  metrics(): Promise<string>;
  status(): Promise<InstanceStatus>;
}

/** The parts of a bridge that keep state in memory. */
export interface ProcessState {
  metrics: Metrics;
  health: ConnectorHealth;
  breaker: CircuitBreaker;
  unrecognized: UnrecognizedInbound;
  throughput: RouteThroughput;
  inboundGaps: InboundGaps;
  capture: InboundCapture;
}

export function processStatus(state: ProcessState): InstanceStatus {
  return {
    connectors: state.health.list(),
    breakers: state.breaker.list(),
    unrecognized: state.unrecognized.list(),
    throughput: state.throughput.series(),
    inboundGaps: state.inboundGaps.list(),
    captured: state.capture.list(),
  };
}

/** The views of a bridge that is the whole instance (one process). */
export function processViews(state: ProcessState): InstanceViews {
  return {
    metrics: () => state.metrics.registry.metrics(),
    status: () => Promise.resolve(processStatus(state)),
  };
}
