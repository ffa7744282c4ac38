import type { TenantConfig } from '../config/schema.js';
import { type ParkedLane, targetOfLane } from './delivery.js';

/** Parked lanes of one target (tenant + platform), for `chatbridge_lanes_parked` and `chatbridge_lane_oldest_age_seconds`. */
export interface ParkedTarget {
  tenant: string;
  platform: string;
  lanes: number;
  /** Age of the oldest parked head, from its acceptance; 0 without parked lanes. */
  oldestAgeSeconds: number;
}

/**
 * Counts parked lanes per target. Every platform of every tenant gets a row, 0 when nothing is parked,
 * so an alert on the age has a series to look at before the first outage.
 */
export function parkedByTarget(lanes: ParkedLane[], tenants: TenantConfig[], now = Date.now()): ParkedTarget[] {
  const rows = new Map<string, ParkedTarget>();
  const row = (tenant: string, platform: string) => {
    const key = `${tenant}\u0000${platform}`;
    let found = rows.get(key);
    if (!found) rows.set(key, (found = { tenant, platform, lanes: 0, oldestAgeSeconds: 0 }));
    return found;
  };
  for (const tenant of tenants) for (const platform of Object.keys(tenant.platforms)) row(tenant.id, platform);
  for (const parked of lanes) {
    const { tenant, platform } = targetOfLane(parked.lane);
    const target = row(tenant, platform);
    target.lanes += 1;
    target.oldestAgeSeconds = Math.max(target.oldestAgeSeconds, Math.max(now - parked.headAcceptedAt, 0) / 1000);
  }
  return [...rows.values()];
}
