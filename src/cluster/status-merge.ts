import { BREAKER_STATE_VALUE, type BreakerView } from '../delivery/circuit-breaker.js';
import type { ConnectorHealthView } from '../observability/connector-health.js';
import { INBOUND_GAPS_KEPT } from '../observability/inbound-gaps.js';
import type { InstanceStatus } from '../observability/instance-views.js';
import type { RouteSeries } from '../observability/route-throughput.js';
import { UNRECOGNIZED_KEPT_PER_CONNECTOR } from '../observability/unrecognized.js';

const keyOf = (v: { tenant: string }, other: string) => `${v.tenant}\u0000${other}`;
const newestFirst = <T extends { at: string }>(items: T[]) => items.sort((a, b) => b.at.localeCompare(a.at));

function grouped<T>(items: T[], key: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return [...groups.values()];
}

/**
 * A connector's health across workers: what its latest settled call said, whichever worker made it (RightNow's
 * poll runs in one worker, sends in any, so a worker that has not called since a failure must not keep it down).
 */
function latestHealth(views: ConnectorHealthView[]): ConnectorHealthView {
  const { tenant, platform } = views[0]!;
  const success = views.map((v) => v.lastSuccessAt).filter((at): at is string => at !== undefined).sort().at(-1);
  const error = views.map((v) => v.lastError).filter((e) => e !== undefined).sort((a, b) => a.at.localeCompare(b.at)).at(-1);
  const up = success === undefined && error === undefined ? null : error === undefined || (success !== undefined && success >= error.at);
  return { tenant, platform, up, ...(success ? { lastSuccessAt: success } : {}), ...(error ? { lastError: error } : {}) };
}

/** A target's breaker across workers: the worst (open, then half-open), so a paused target shows as paused. */
function worstBreaker(views: BreakerView[]): BreakerView {
  const worse = (a: BreakerView, b: BreakerView) =>
    BREAKER_STATE_VALUE[a.state] - BREAKER_STATE_VALUE[b.state] || (a.openUntil ?? '').localeCompare(b.openUntil ?? '');
  return views.reduce((worst, v) => (worse(v, worst) > 0 ? v : worst));
}

function summedSeries(series: RouteSeries[]): RouteSeries {
  const { tenant, route, perMinute } = series[0]!;
  return { tenant, route, perMinute: perMinute.map((_n, i) => series.reduce((sum, s) => sum + (s.perMinute[i] ?? 0), 0)) };
}

/**
 * Every worker's in-memory admin views as one instance's, each list capped as one process caps it: N
 * workers must not show N times the samples (or N times the payloads `logging.captureInbound.max` allows).
 */
export function mergeStatus(reports: InstanceStatus[]): InstanceStatus {
  return {
    connectors: grouped(reports.flatMap((r) => r.connectors), (c) => keyOf(c, c.platform)).map(latestHealth),
    breakers: grouped(reports.flatMap((r) => r.breakers), (b) => keyOf(b, b.platform)).map(worstBreaker),
    unrecognized: newestFirst(
      grouped(reports.flatMap((r) => r.unrecognized), (u) => keyOf(u, u.platform)).flatMap((samples) =>
        newestFirst(samples).slice(0, UNRECOGNIZED_KEPT_PER_CONNECTOR),
      ),
    ),
    throughput: grouped(reports.flatMap((r) => r.throughput), (s) => keyOf(s, s.route))
      .map(summedSeries)
      .sort((a, b) => `${a.tenant}/${a.route}`.localeCompare(`${b.tenant}/${b.route}`)),
    inboundGaps: newestFirst(reports.flatMap((r) => r.inboundGaps)).slice(0, INBOUND_GAPS_KEPT),
    // Each worker keeps the newest `max` it saw: the merge keeps the newest that many of all of them.
    captured: newestFirst(reports.flatMap((r) => r.captured)).slice(0, Math.max(0, ...reports.map((r) => r.captured.length))),
  };
}
