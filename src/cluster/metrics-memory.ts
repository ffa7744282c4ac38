/** One metric as prom-client's getMetricsAsJSON gives it and node:cluster IPC carries it. */
export interface MetricJson {
  name: string;
  help: string;
  type: string;
  aggregator: string;
  values: { value: number; labels: Record<string, string | number>; metricName?: string }[];
}

/** What only grows: a worker that exits leaves these behind. Gauges (and anything omitted) go with it. */
const isCumulative = (metric: MetricJson) => (metric.type === 'counter' || metric.type === 'histogram') && metric.aggregator === 'sum';

/**
 * The primary's memory of the workers' metrics, so that a combined counter never goes down. Prometheus
 * reads any drop of a counter as a restart from zero and counts the whole value again as new: a sum that
 * lost one worker's share for one scrape would show a burst of events that never happened.
 * - A worker that does not answer a scrape in time is stood in for by its last report.
 * - A worker that exits leaves the counters and histograms of its last report in a retired sum that
 *   every later scrape adds. What it counted after that report is lost, as a restarted process's would be.
 */
export class MetricsMemory {
  private readonly last = new Map<number, MetricJson[]>();
  private retired: MetricJson[] = [];

  /** `worker` is the node:cluster worker id. */
  reported(worker: number, metrics: MetricJson[]): void {
    this.last.set(worker, metrics);
  }

  standIn(worker: number): MetricJson[] | undefined {
    return this.last.get(worker);
  }

  exited(worker: number): void {
    const last = this.last.get(worker);
    this.last.delete(worker);
    if (last) this.retired = sumOf([this.retired, last.filter(isCumulative)]);
  }

  /** The counters and histograms of every worker that exited, summed; empty while none did. */
  retiredSum(): MetricJson[] {
    return this.retired;
  }
}

/** Metrics of several reports summed by name, series (metricName) and labels. */
export function sumOf(reports: MetricJson[][]): MetricJson[] {
  const byName = new Map<string, { metric: MetricJson; series: Map<string, MetricJson['values'][number]> }>();
  for (const metric of reports.flat()) {
    let entry = byName.get(metric.name);
    if (!entry) {
      entry = { metric: { ...metric, values: [] }, series: new Map() };
      byName.set(metric.name, entry);
    }
    for (const value of metric.values) {
      const key = `${value.metricName ?? ''}${JSON.stringify(Object.entries(value.labels).sort(([a], [b]) => a.localeCompare(b)))}`;
      const seen = entry.series.get(key);
      if (seen) seen.value += value.value;
      else entry.series.set(key, { ...value });
    }
  }
  return [...byName.values()].map(({ metric, series }) => ({ ...metric, values: [...series.values()] }));
}
