import type { Metrics } from './metrics.js';

/**
 * Whether each connector (tenant + platform) works, from real outcomes of its vendor calls: token
 * fetches, logons, polls and sends. `/readyz` is about this process (store and queue); this is about
 * the vendors, so a vendor outage shows here and on `chatbridge_connector_up` without taking the
 * instance out of its load balancer.
 */
export interface ConnectorHealthView {
  tenant: string;
  platform: string;
  /** null until the first call settles. */
  up: boolean | null;
  lastSuccessAt?: string;
  lastError?: { at: string; operation: string; message: string };
}

interface Entry {
  view: ConnectorHealthView;
  /** The whole second of the success the gauges show. */
  successSecond?: number;
}

export class ConnectorHealth {
  private readonly connectors = new Map<string, Entry>();

  constructor(private readonly metrics: Metrics) {}

  succeeded(tenant: string, platform: string, now = Date.now()): void {
    const entry = this.entry(tenant, platform);
    const second = Math.floor(now / 1000);
    // A busy connector succeeds hundreds of times a second; the gauge counts whole seconds, so the
    // view and the gauges move once a second (at once after a failure).
    if (entry.view.up === true && entry.successSecond === second) return;
    entry.successSecond = second;
    entry.view.up = true;
    entry.view.lastSuccessAt = new Date(now).toISOString();
    this.metrics.connectorUp.set({ tenant, platform }, 1);
    this.metrics.connectorLastSuccess.set({ tenant, platform }, second);
  }

  /** `message` is what the error catalogue says (vendor, operation, status): never a body or a secret. */
  failed(tenant: string, platform: string, operation: string, message: string): void {
    const { view } = this.entry(tenant, platform);
    view.up = false;
    view.lastError = { at: new Date().toISOString(), operation, message };
    this.metrics.connectorUp.set({ tenant, platform }, 0);
  }

  /** Registers a connector before its first call, so the status page lists it as unknown. */
  known(tenant: string, platform: string): void {
    this.entry(tenant, platform);
  }

  list(): ConnectorHealthView[] {
    return [...this.connectors.values()].map((e) => ({ ...e.view }));
  }

  private entry(tenant: string, platform: string): Entry {
    const key = `${tenant}\u0000${platform}`;
    let entry = this.connectors.get(key);
    if (!entry) {
      entry = { view: { tenant, platform, up: null } };
      this.connectors.set(key, entry);
    }
    return entry;
  }
}
