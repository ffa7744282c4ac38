import type { ConnectorKey } from '../config/reload-plan.js';
import type { TenantConfig } from '../config/schema.js';
import type { Delivery } from '../delivery/delivery.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics, RouteLive } from '../observability/metrics.js';
import type { RouteThroughput } from '../observability/route-throughput.js';
import type { ConversationRecord, MappingStore } from '../store/mapping-store.js';

/** The route label of a conversation: `<customer platform>-><agent platform>` (bounded by the config, never an id). */
export function routeLabel(customer: string, agent: string): string {
  return `${customer}->${agent}`;
}

interface DeliveryRoute {
  route: string;
  direction: 'customer->agent' | 'agent->customer';
}

/**
 * Per-route accounting for a migration: conversations started, ended and live, messages each way,
 * delivery latency and dead letters. The live count is a counter in the mapping store (up on
 * creation, down on the first end), so every instance reports the same number for a route, whichever
 * instance saw the start or the end. Accounting never fails a conversation: store errors are logged.
 */
export class RouteLedger {
  /** The route of a delivery in progress, noted when its conversation record is read. */
  private readonly deliveries = new WeakMap<Delivery, DeliveryRoute>();

  constructor(
    private readonly store: MappingStore,
    private readonly metrics: Metrics,
    private readonly logger: Logger,
    private readonly endedTtlMs: number,
    private readonly throughput?: RouteThroughput,
  ) {}

  async started(tenant: string, route: string): Promise<void> {
    this.metrics.routeConversationsStarted.inc({ tenant, route });
    await this.store.increment(this.liveKey(tenant, route), 1).catch((err: unknown) => this.failed(err));
  }

  /** Counts a conversation's end once, however many end events its sides send. */
  async ended(tenant: string, conversationId: string, route: string): Promise<void> {
    try {
      if (!(await this.store.setIfAbsent(this.store.key('ended', tenant, conversationId), '1', this.endedTtlMs))) return;
      this.metrics.routeConversationsEnded.inc({ tenant, route });
      await this.store.increment(this.liveKey(tenant, route), -1);
    } catch (err) {
      this.failed(err);
    }
  }

  /**
   * A live conversation moved to another agent platform: it is live on the new route now, not the old
   * one, so a drain watched on the old route's gauge reaches 0 when the last conversation leaves it.
   */
  async handedOff(tenant: string, conversationId: string, from: string, to: string): Promise<void> {
    try {
      if ((await this.store.get(this.store.key('ended', tenant, conversationId))) !== undefined) return;
      await this.store.increment(this.liveKey(tenant, from), -1);
      await this.store.increment(this.liveKey(tenant, to), 1);
    } catch (err) {
      this.failed(err);
    }
  }

  /** Live conversations of every route of the running configuration (drained agents included). */
  async live(tenants: TenantConfig[]): Promise<RouteLive[]> {
    const routes = tenants.flatMap((t) =>
      t.routes.flatMap((r) => r.agents.map((a) => ({ tenant: t.id, route: routeLabel(r.customer, a.platform) }))),
    );
    return Promise.all(
      routes.map(async (r) => ({ ...r, live: Math.max(Number((await this.store.get(this.liveKey(r.tenant, r.route))) ?? 0), 0) })),
    );
  }

  /** Warnings for connectors a reload removes while live conversations of their routes still need them. */
  async stranded(tenants: TenantConfig[], removed: ConnectorKey[]): Promise<string[]> {
    if (removed.length === 0) return [];
    const rows = await this.live(tenants);
    return removed.flatMap(({ tenant, platform }) => {
      const live = rows.filter((r) => r.tenant === tenant && r.route.split('->').includes(platform)).reduce((n, r) => n + r.live, 0);
      if (live === 0) return [];
      return [`${tenant}/${platform}: removed while ${live} live conversation(s) use it; their events go to the dead-letter list until the block is restored`];
    });
  }

  delivering(delivery: Delivery, record: ConversationRecord): void {
    const { customer, agent } = record.attrs;
    if (!customer || !agent) return;
    const direction = delivery.target === customer ? 'agent->customer' : 'customer->agent';
    this.deliveries.set(delivery, { route: routeLabel(customer, agent), direction });
  }

  delivered(delivery: Delivery): void {
    const noted = this.deliveries.get(delivery);
    if (!noted) return;
    const { tenant } = delivery.event;
    this.metrics.routeDeliveryLatency.observe({ tenant, route: noted.route }, (Date.now() - delivery.acceptedAt) / 1000);
    if (delivery.event.kind !== 'message') return;
    this.metrics.routeMessages.inc({ tenant, route: noted.route, direction: noted.direction });
    this.throughput?.note(tenant, noted.route);
  }

  /**
   * A dead letter may never have reached `delivering` (mapping gone): its route is then `unknown`. A
   * lane given up counts its head and the `count - 1` events behind it, all of the head's route.
   */
  deadLettered(delivery: Delivery, count = 1): void {
    this.metrics.routeDeadLetters.inc({ tenant: delivery.event.tenant, route: this.deliveries.get(delivery)?.route ?? 'unknown' }, count);
  }

  private liveKey(tenant: string, route: string): string {
    return this.store.key('route-live', tenant, route);
  }

  private failed(err: unknown): void {
    this.logger.warn('route accounting failed', { error: err });
  }
}
