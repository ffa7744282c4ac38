import client from 'prom-client';
import type { ParkedTarget } from '../delivery/parked-lanes.js';

/** Live conversations of one route, as the store counts them. */
export interface RouteLive {
  tenant: string;
  route: string;
  live: number;
}

/** One scrape reads the parked lanes once for both gauges that show them. */
const PARKED_READ_REUSE_MS = 1000;

/** The worker gauges' names and help: a combined scrape states them again on its own registry. */
export const WORKERS = {
  name: 'chatbridge_workers',
  help: 'Bridge processes behind this scrape: 1, or the running workers of `--workers N`',
} as const;
export const WORKERS_UNANSWERED = {
  name: 'chatbridge_workers_unanswered',
  help: 'Workers that did not answer this scrape in time: their last reported values stand in (0 with one process)',
} as const;

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * The bridge's Prometheus metrics, on a registry of their own (several bridges can live in one
 * process in tests). Labels hold tenant, platform, kind and reason: never ids or secrets.
 *
 * With `--workers N` a scrape combines every worker's registry (src/cluster/cluster-views.ts), each
 * metric by its `aggregator`: counters and histograms are summed (the default); what every worker reads
 * from the shared store or queue takes the maximum, since a sum would count it N times; per-process
 * gauges take the maximum too (the worst breaker, the latest success, a connector up while any worker's
 * last call worked). prom-client's default process metrics keep their own settings: CPU, memory and
 * handles summed over the workers, event-loop lag averaged, the start time omitted.
 */
export class Metrics {
  readonly registry = new client.Registry();

  readonly eventsIn = new client.Counter({
    name: 'chatbridge_events_in_total',
    help: 'Canonical events accepted from a platform',
    labelNames: ['tenant', 'platform', 'kind'] as const,
    registers: [this.registry],
  });
  readonly eventsOut = new client.Counter({
    name: 'chatbridge_events_out_total',
    help: 'Canonical events delivered to a platform',
    labelNames: ['tenant', 'platform', 'kind'] as const,
    registers: [this.registry],
  });
  readonly duplicates = new client.Counter({
    name: 'chatbridge_duplicates_total',
    help: 'Inbound events dropped as redeliveries of an event already accepted',
    labelNames: ['tenant', 'platform'] as const,
    registers: [this.registry],
  });
  readonly dropped = new client.Counter({
    name: 'chatbridge_events_dropped_total',
    help: 'Events dropped on purpose; kind is the canonical event kind, or vendor for a vendor item that never became an event; reason is a code of the catalogue in src/ports/drop-reasons.ts',
    labelNames: ['tenant', 'platform', 'kind', 'reason'] as const,
    registers: [this.registry],
  });
  readonly retries = new client.Counter({
    name: 'chatbridge_delivery_retries_total',
    help: 'Delivery attempts that failed and were retried',
    labelNames: ['tenant', 'platform'] as const,
    registers: [this.registry],
  });
  readonly deadLetters = new client.Counter({
    name: 'chatbridge_dead_letters_total',
    help: 'Events moved to the dead-letter list',
    labelNames: ['tenant', 'platform'] as const,
    registers: [this.registry],
  });
  readonly inboundRejected = new client.Counter({
    name: 'chatbridge_inbound_rejected_total',
    help: 'Inbound requests refused, by HTTP status',
    labelNames: ['platform', 'status'] as const,
    registers: [this.registry],
  });
  readonly inboundUnrecognized = new client.Counter({
    name: 'chatbridge_inbound_unrecognized_total',
    help: 'Inbound payloads an adapter could not read (what: envelope, type, field, enum): a reading of the vendor format may be wrong',
    labelNames: ['tenant', 'platform', 'what'] as const,
    registers: [this.registry],
  });
  readonly inboundGaps = new client.Counter({
    name: 'chatbridge_inbound_gaps_total',
    help: 'Gaps in a vendor\'s consecutive event numbers (LivePerson dialog sequence) still open after the reordering wait: events possibly lost',
    labelNames: ['tenant'] as const,
    registers: [this.registry],
  });
  readonly connectorUp = new client.Gauge({
    name: 'chatbridge_connector_up',
    help: 'Whether the last vendor call of a connector that settled it worked (token, logon, poll, send): 1 or 0; with several workers, 1 while any worker\'s last call worked',
    labelNames: ['tenant', 'platform'] as const,
    aggregator: 'max',
    registers: [this.registry],
  });
  readonly connectorLastSuccess = new client.Gauge({
    name: 'chatbridge_connector_last_success_timestamp_seconds',
    help: 'When a vendor call of the connector last worked (Unix seconds)',
    labelNames: ['tenant', 'platform'] as const,
    aggregator: 'max',
    registers: [this.registry],
  });
  readonly connectorState = new client.Gauge({
    name: 'chatbridge_connector_state',
    help: 'Delivery circuit breaker of a target in this instance (the worst of its workers): 0 closed, 1 half-open (one lane probes), 2 open (no lane attempted)',
    labelNames: ['tenant', 'platform'] as const,
    aggregator: 'max',
    registers: [this.registry],
  });
  readonly lanesParked = new client.Gauge({
    name: 'chatbridge_lanes_parked',
    help: 'Conversation lanes whose head failed or was held by an open breaker and is not delivered yet',
    labelNames: ['tenant', 'platform'] as const,
    aggregator: 'max',
    registers: [this.registry],
    collect: () => this.collectParked(),
  });
  readonly laneOldestAge = new client.Gauge({
    name: 'chatbridge_lane_oldest_age_seconds',
    help: 'Age (since acceptance) of the oldest undelivered head among parked lanes; 0 when none is parked',
    labelNames: ['tenant', 'platform'] as const,
    aggregator: 'max',
    registers: [this.registry],
    collect: () => this.collectParked(),
  });
  readonly fileLinkRequests = new client.Counter({
    name: 'chatbridge_file_link_requests_total',
    help: 'Bridge file links opened, by outcome (redirected, invalid_link, link_expired, file_not_found, file_unavailable)',
    labelNames: ['tenant', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly deliveryLatency = new client.Histogram({
    name: 'chatbridge_delivery_latency_seconds',
    help: 'From acceptance of an event to its delivery at the target',
    labelNames: ['tenant', 'platform'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly queueDepth = new client.Gauge({
    name: 'chatbridge_queue_depth',
    help: 'Events waiting for delivery',
    aggregator: 'max',
    registers: [this.registry],
  });
  readonly shutdownUndelivered = new client.Gauge({
    name: 'chatbridge_shutdown_undelivered_events',
    help: 'Memory mode: events still queued when a stop gave up draining (lost with the process)',
    registers: [this.registry],
  });
  readonly queueDepthLimit = new client.Gauge({
    name: 'chatbridge_queue_depth_limit',
    help: 'delivery.maxQueueDepth: at this queue depth webhooks answer 503 and pollers wait (alert before it)',
    aggregator: 'max',
    registers: [this.registry],
  });
  readonly deadLetterDepth = new client.Gauge({
    name: 'chatbridge_dead_letter_depth',
    help: 'Events in the dead-letter list',
    aggregator: 'max',
    registers: [this.registry],
    collect: () => this.collectDeadLetters(),
  });
  /* Set here to one process; a scrape combining `--workers N` states its own (src/cluster/cluster-views.ts). */
  readonly workers = new client.Gauge({ ...WORKERS, aggregator: 'omit', registers: [this.registry] });
  readonly workersUnanswered = new client.Gauge({ ...WORKERS_UNANSWERED, aggregator: 'omit', registers: [this.registry] });

  /* Per route (`<customer>-><agent platform>`, from the configuration): what a migration watches. */
  readonly routeConversationsStarted = new client.Counter({
    name: 'chatbridge_route_conversations_started_total',
    help: 'Conversations created, by the route they were assigned to',
    labelNames: ['tenant', 'route'] as const,
    registers: [this.registry],
  });
  readonly routeConversationsEnded = new client.Counter({
    name: 'chatbridge_route_conversations_ended_total',
    help: 'Conversations ended (counted once per conversation), by route',
    labelNames: ['tenant', 'route'] as const,
    registers: [this.registry],
  });
  readonly routeConversationsLive = new client.Gauge({
    name: 'chatbridge_route_conversations_live',
    help: 'Conversations started and not yet ended, by route (shared by every instance: read from the store)',
    labelNames: ['tenant', 'route'] as const,
    aggregator: 'max',
    registers: [this.registry],
    collect: () => this.collectLive(),
  });
  readonly routeHandBacks = new client.Counter({
    name: 'chatbridge_route_hand_backs_total',
    help: 'Live conversations an operator handed back to the customer platform\'s own agents, by the route they were on',
    labelNames: ['tenant', 'route'] as const,
    registers: [this.registry],
  });
  readonly routeMessages = new client.Counter({
    name: 'chatbridge_route_messages_total',
    help: 'Messages delivered, by route and direction (customer->agent, agent->customer)',
    labelNames: ['tenant', 'route', 'direction'] as const,
    registers: [this.registry],
  });
  readonly routeDeliveryLatency = new client.Histogram({
    name: 'chatbridge_route_delivery_latency_seconds',
    help: 'From acceptance of an event to its delivery at the target, by route',
    labelNames: ['tenant', 'route'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly routeDeadLetters = new client.Counter({
    name: 'chatbridge_route_dead_letters_total',
    help: 'Events moved to the dead-letter list, by route',
    labelNames: ['tenant', 'route'] as const,
    registers: [this.registry],
  });
  private liveSource: (() => Promise<RouteLive[]>) | undefined;
  private deadLetterSource: (() => Promise<number>) | undefined;
  private parkedSource: (() => Promise<ParkedTarget[]>) | undefined;
  private parkedRead: { at: number; rows: Promise<ParkedTarget[] | undefined> } | undefined;

  /** The bridge tells the parked-lane gauges where to read at each scrape (the queue: both backends). */
  readParkedLanesFrom(source: () => Promise<ParkedTarget[]>): void {
    this.parkedSource = source;
  }

  private async collectParked(): Promise<void> {
    if (!this.parkedSource) return;
    const now = Date.now();
    if (!this.parkedRead || now - this.parkedRead.at > PARKED_READ_REUSE_MS) {
      // The queue unreachable: keep the last values rather than failing the whole scrape.
      this.parkedRead = { at: now, rows: this.parkedSource().catch(() => undefined) };
    }
    const rows = await this.parkedRead.rows;
    if (!rows) return;
    this.lanesParked.reset();
    this.laneOldestAge.reset();
    for (const { tenant, platform, lanes, oldestAgeSeconds } of rows) {
      this.lanesParked.set({ tenant, platform }, lanes);
      this.laneOldestAge.set({ tenant, platform }, oldestAgeSeconds);
    }
  }

  /** The bridge tells the live gauge where to read its values at each scrape. */
  readLiveConversationsFrom(source: () => Promise<RouteLive[]>): void {
    this.liveSource = source;
  }

  private async collectLive(): Promise<void> {
    if (!this.liveSource) return;
    // The store unreachable: keep the last values rather than failing the whole scrape.
    const rows = await this.liveSource().catch(() => undefined);
    if (!rows) return;
    // Reset first: a route removed by a reload must not keep its last value.
    this.routeConversationsLive.reset();
    for (const { tenant, route, live } of rows) this.routeConversationsLive.set({ tenant, route }, live);
  }

  /** The bridge tells the dead-letter gauge where to count at each scrape. */
  readDeadLettersFrom(source: () => Promise<number>): void {
    this.deadLetterSource = source;
  }

  private async collectDeadLetters(): Promise<void> {
    // The queue unreachable: keep the last value rather than failing the whole scrape.
    const count = await this.deadLetterSource?.().catch(() => undefined);
    if (count !== undefined) this.deadLetterDepth.set(count);
  }

  constructor(options: { defaultMetrics?: boolean } = {}) {
    this.workers.set(1);
    this.workersUnanswered.set(0);
    if (options.defaultMetrics) client.collectDefaultMetrics({ register: this.registry, prefix: 'chatbridge_' });
  }
}
