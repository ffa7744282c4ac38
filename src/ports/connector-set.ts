import { type ConnectorKey, connectorId, type ReloadPlan } from '../config/reload-plan.js';
import type { TenantConfig } from '../config/schema.js';
import type { Logger } from '../observability/logger.js';
import type { Connector, ConnectorRuntime } from './adapter.js';
import type { AdapterRegistry } from './registry.js';

/**
 * One connector per tenant and platform, swappable while running. A reload replaces the connectors
 * whose platform block changed: the new one goes in the map first, so deliveries and webhooks use it
 * at once, and starts; the old one hands over in the background (it may finish a long poll first;
 * exclusive vendor work such as RightNow's poll is serialized by the adapter's lease, not by order).
 * Connectors whose block went away get a full stop (log off).
 */
export class ConnectorSet {
  private readonly connectors = new Map<string, Connector>();
  /** Replaced connectors still finishing their hand-over. */
  private readonly handingOver = new Set<Connector>();
  private running = false;

  constructor(
    private readonly registry: AdapterRegistry,
    private readonly runtime: (tenantId: string, platform: string) => ConnectorRuntime,
    private readonly logger: Logger,
  ) {}

  get(tenantId: string, platform: string): Connector | undefined {
    return this.connectors.get(connectorId({ tenant: tenantId, platform }));
  }

  /** Creates the connectors of these tenants (at construction; nothing is started). */
  add(tenants: TenantConfig[]): void {
    for (const tenant of tenants) {
      for (const platform of Object.keys(tenant.platforms)) this.create(tenant, platform);
    }
  }

  async start(): Promise<void> {
    this.running = true;
    for (const connector of this.connectors.values()) await connector.start?.();
  }

  /** A full stop, also for connectors still handing over (shutdown does not wait for their long poll). */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.allSettled([...this.connectors.values(), ...this.handingOver].map((c) => c.stop?.()));
  }

  /** Applies a reload plan against the new tenants; returns the connector ids it touched. */
  async apply(plan: ReloadPlan, tenants: TenantConfig[]): Promise<{ started: string[]; restarted: string[]; stopped: string[] }> {
    const byId = new Map(tenants.map((t) => [t.id, t]));
    const take = (keys: ConnectorKey[]) =>
      keys.flatMap((key) => {
        const connector = this.connectors.get(connectorId(key));
        this.connectors.delete(connectorId(key));
        return connector ? [connector] : [];
      });
    const replaced = take(plan.changed);
    const removed = take(plan.removed);
    const fresh: [string, Connector][] = [];
    for (const key of [...plan.added, ...plan.changed]) {
      const connector = this.create(byId.get(key.tenant)!, key.platform);
      if (connector) fresh.push([connectorId(key), connector]);
    }
    if (this.running) {
      for (const connector of replaced) this.handOver(connector);
      const stopped = await Promise.allSettled(removed.map((c) => c.stop?.()));
      stopped.forEach((s) => s.status === 'rejected' && this.logger.warn('a removed connector failed to stop', { error: s.reason }));
      for (const [id, connector] of fresh) {
        await connector.start?.().catch((err: unknown) => this.logger.error('a reloaded connector failed to start', { connector: id, error: err }));
      }
    }
    const ids = (keys: ConnectorKey[]) => keys.map(connectorId);
    return { started: ids(plan.added), restarted: ids(plan.changed), stopped: ids(plan.removed) };
  }

  private handOver(connector: Connector): void {
    if (!connector.stop) return;
    this.handingOver.add(connector);
    connector
      .stop({ handOver: true })
      .catch((err: unknown) => this.logger.warn('a replaced connector failed to hand over', { platform: connector.platform, error: err }))
      .finally(() => this.handingOver.delete(connector));
  }

  private create(tenant: TenantConfig, platform: string): Connector | undefined {
    const factory = this.registry.get(platform);
    if (!factory) return undefined;
    const connector = factory.create({ config: tenant.platforms[platform], runtime: this.runtime(tenant.id, platform) });
    this.connectors.set(connectorId({ tenant: tenant.id, platform }), connector);
    return connector;
  }
}
