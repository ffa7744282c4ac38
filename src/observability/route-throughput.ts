const MINUTE_MS = 60_000;

export interface RouteSeries {
  tenant: string;
  route: string;
  /** Messages delivered per minute, oldest first; the last entry is the current minute. */
  perMinute: number[];
}

/**
 * Messages delivered per route and minute over the last hour, kept in this process for the status page's
 * charts (Prometheus keeps the real history; this is for a glance without a dashboard). In Redis mode each
 * instance charts what it delivered itself.
 */
export class RouteThroughput {
  private readonly counts = new Map<string, { tenant: string; route: string; minutes: Map<number, number> }>();

  constructor(
    private readonly minutes = 60,
    private readonly now: () => number = Date.now,
  ) {}

  note(tenant: string, route: string): void {
    const key = `${tenant}\u0000${route}`;
    let entry = this.counts.get(key);
    if (!entry) {
      entry = { tenant, route, minutes: new Map() };
      this.counts.set(key, entry);
    }
    const minute = Math.floor(this.now() / MINUTE_MS);
    const count = entry.minutes.get(minute);
    if (count !== undefined) return void entry.minutes.set(minute, count + 1);
    // A new minute: the only moment an old one can fall out of the window (not on every delivery).
    entry.minutes.set(minute, 1);
    for (const old of entry.minutes.keys()) if (old <= minute - this.minutes) entry.minutes.delete(old);
  }

  series(): RouteSeries[] {
    const current = Math.floor(this.now() / MINUTE_MS);
    return [...this.counts.values()]
      .map(({ tenant, route, minutes }) => ({
        tenant,
        route,
        perMinute: Array.from({ length: this.minutes }, (_v, i) => minutes.get(current - this.minutes + 1 + i) ?? 0),
      }))
      .sort((a, b) => `${a.tenant}/${a.route}`.localeCompare(`${b.tenant}/${b.route}`));
  }
}
