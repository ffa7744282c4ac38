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

export class ConnectorHealth {
  private readonly connectors = new Map<string, ConnectorHealthView>();

  constructor(private readonly metrics: Metrics) {}

  succeeded(tenant: string, platform: string, now = Date.now()): void {
    const view = this.view(tenant, platform);
    view.up = true;
    view.lastSuccessAt = new Date(now).toISOString();
    this.metrics.connectorUp.set({ tenant, platform }, 1);
    this.metrics.connectorLastSuccess.set({ tenant, platform }, Math.floor(now / 1000));
  }

  /** `message` is what the error catalogue says (vendor, operation, status): never a body or a secret. */
  failed(tenant: string, platform: string, operation: string, message: string): void {
    const view = this.view(tenant, platform);
    view.up = false;
    view.lastError = { at: new Date().toISOString(), operation, message };
    this.metrics.connectorUp.set({ tenant, platform }, 0);
  }

  /** Registers a connector before its first call, so the status page lists it as unknown. */
  known(tenant: string, platform: string): void {
    this.view(tenant, platform);
  }

  list(): ConnectorHealthView[] {
    return [...this.connectors.values()].map((v) => ({ ...v }));
  }

  private view(tenant: string, platform: string): ConnectorHealthView {
    const key = `${tenant}\u0000${platform}`;
    let view = this.connectors.get(key);
    if (!view) {
      view = { tenant, platform, up: null };
      this.connectors.set(key, view);
    }
    return view;
  }
}
