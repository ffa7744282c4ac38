import type { BreakerView } from '../delivery/circuit-breaker.js';
import type { ParkedTarget } from '../delivery/parked-lanes.js';
import type { ConnectorHealthView } from '../observability/connector-health.js';
import type { UnrecognizedSample } from '../observability/unrecognized.js';
import { code, escapeHtml, table } from './html.js';

/**
 * The status page's view of the vendors: each connector's health, delivery to each target (its circuit
 * breaker and parked conversations), and what the adapters could not read.
 */

export function connectorsTable(connectors: ConnectorHealthView[]): string {
  return table(
    ['tenant', 'platform', 'state', 'last success', 'last error'],
    connectors.map((c) => [
      code(c.tenant),
      escapeHtml(c.platform),
      c.up === null ? '<span class="empty">no call yet</span>' : c.up ? 'up' : '<strong>down</strong>',
      escapeHtml(c.lastSuccessAt ?? '—'),
      c.lastError ? `${escapeHtml(c.lastError.at)}: ${escapeHtml(c.lastError.operation)}: ${escapeHtml(c.lastError.message)}` : '—',
    ]),
    'no connector has called its vendor yet',
  );
}

function breakerCell(breaker: BreakerView | undefined): string {
  if (!breaker || breaker.state === 'closed') return 'delivering';
  const why = breaker.reason ? `: ${escapeHtml(breaker.reason)}` : '';
  if (breaker.state === 'half-open') return `<strong>half-open</strong>, one conversation probes${why}`;
  return `<strong>paused</strong> until ${escapeHtml(breaker.openUntil)}${why}`;
}

function age(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/** One row per target: paused or not (this instance's breaker), and conversations waiting on it. */
export function deliveryTable(targets: ParkedTarget[], breakers: BreakerView[]): string {
  return table(
    ['tenant', 'target platform', 'circuit breaker (this instance)', 'parked conversations', 'oldest waiting message'],
    targets.map((t) => [
      code(t.tenant),
      escapeHtml(t.platform),
      breakerCell(breakers.find((b) => b.tenant === t.tenant && b.platform === t.platform)),
      t.lanes > 0 ? `<strong>${escapeHtml(t.lanes)}</strong>` : '0',
      t.lanes > 0 ? escapeHtml(age(t.oldestAgeSeconds)) : '—',
    ]),
    'no targets configured',
  );
}

export function unrecognizedTable(samples: UnrecognizedSample[]): string {
  return table(
    ['when', 'tenant', 'platform', 'what', 'detail', 'shape (keys and types)'],
    samples.map((s) => [
      escapeHtml(s.at),
      code(s.tenant),
      escapeHtml(s.platform),
      escapeHtml(s.what),
      escapeHtml(s.detail),
      code(JSON.stringify(s.shape)),
    ]),
    'nothing unrecognised: every inbound payload matched a reading',
  );
}
