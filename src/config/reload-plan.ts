import { isDeepStrictEqual } from 'node:util';
import type { ConfigProblem } from './load.js';
import type { BridgeConfig, TenantConfig } from './schema.js';

/**
 * What a configuration reload changes. Tenants, routes and weights apply at once (to new
 * conversations); a platform block that changed means a new connector. The sections below are bound
 * at start (the listening socket, the store connection, the worker pool), so a change there is
 * reported as needing a restart instead of being silently ignored.
 */
const RESTART_SECTIONS = ['server', 'store', 'delivery'] as const;

export interface ConnectorKey {
  tenant: string;
  platform: string;
}

export interface ReloadPlan {
  /** Dotted paths (`store.url`) whose new value waits for a restart. */
  restartRequired: string[];
  added: ConnectorKey[];
  changed: ConnectorKey[];
  removed: ConnectorKey[];
}

/** The answer of a reload that was applied. */
export interface ReloadResult {
  reloaded: true;
  restartRequired: string[];
  tenants: string[];
  connectors: { started: string[]; restarted: string[]; stopped: string[] };
  /** Applied, but worth an operator's look (a removed platform that live conversations still use). */
  warnings: string[];
}

export type ReloadOutcome = ReloadResult | { reloaded: false; problems: ConfigProblem[] };

export function planReload(current: BridgeConfig, next: BridgeConfig): ReloadPlan {
  const restartRequired: string[] = [];
  for (const section of RESTART_SECTIONS) {
    const before = current[section] as Record<string, unknown>;
    const after = next[section] as Record<string, unknown>;
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      if (!isDeepStrictEqual(before[key], after[key])) restartRequired.push(`${section}.${key}`);
    }
  }
  const before = blocks(current.tenants);
  const after = blocks(next.tenants);
  const plan: ReloadPlan = { restartRequired, added: [], changed: [], removed: [] };
  for (const [id, entry] of after) {
    const old = before.get(id);
    if (!old) plan.added.push(entry.key);
    else if (!isDeepStrictEqual(old.config, entry.config)) plan.changed.push(entry.key);
  }
  for (const [id, entry] of before) if (!after.has(id)) plan.removed.push(entry.key);
  return plan;
}

export function connectorId({ tenant, platform }: ConnectorKey): string {
  return `${tenant}/${platform}`;
}

function blocks(tenants: TenantConfig[]): Map<string, { key: ConnectorKey; config: unknown }> {
  const out = new Map<string, { key: ConnectorKey; config: unknown }>();
  for (const tenant of tenants) {
    for (const [platform, config] of Object.entries(tenant.platforms)) {
      const key = { tenant: tenant.id, platform };
      out.set(connectorId(key), { key, config });
    }
  }
  return out;
}
