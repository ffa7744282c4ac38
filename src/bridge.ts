import { planReload, type ReloadResult } from './config/reload-plan.js';
import type { PeerReloads } from './config/peer-reloads.js';
import type { BridgeConfig, TenantConfig } from './config/schema.js';
import { BREAKER_STATE_VALUE, CircuitBreaker } from './delivery/circuit-breaker.js';
import { DeliveryWorker } from './delivery/delivery-worker.js';
import { OutboundDelivery } from './delivery/outbound-delivery.js';
import { parkedByTarget } from './delivery/parked-lanes.js';
import type { QueueBackend } from './delivery/queue-backend.js';
import { FileLinks } from './files/file-links.js';
import type { InboundEventInput } from './model/events.js';
import { createLogger, type Logger } from './observability/logger.js';
import { createVendorHttp, reportingOutcomes } from './vendor-http/vendor-client.js';
import { ConnectorHealth } from './observability/connector-health.js';
import { InboundCapture } from './observability/inbound-capture.js';
import { InboundGaps } from './observability/inbound-gaps.js';
import { Metrics } from './observability/metrics.js';
import { RefusalLog } from './observability/refusal-log.js';
import { UnrecognizedInbound } from './observability/unrecognized.js';
import type { IngestResult, Connector, ConnectorRuntime } from './ports/adapter.js';
import { ConnectorSet } from './ports/connector-set.js';
import type { AdapterRegistry } from './ports/registry.js';
import { Ingestor } from './routing/ingestor.js';
import { RouteThroughput } from './observability/route-throughput.js';
import { IntakeGate } from './routing/intake-gate.js';
import { NativeShare } from './routing/native-share.js';
import { RouteLedger } from './routing/route-ledger.js';
import { createBackends } from './store/backends.js';
import { type MappingStore, platformKeys } from './store/mapping-store.js';
import { within } from './time-limit.js';
import { Transcripts } from './transcripts/transcripts.js';

/** How long start waits for the store to answer its first ping. */
const STORE_START_TIMEOUT_MS = 10_000;

export interface BridgeOptions {
  logger?: Logger;
  metrics?: Metrics;
  /** Overrides for tests: short polls and leases. */
  worker?: Partial<{ pollMs: number; inlineRetries: number; laneBatch: number }>;
  /** The draw of an agent platform for a new conversation (tests pin it); Math.random by default. */
  random?: () => number;
}

/**
 * The vendor-neutral core, assembled from a validated configuration and a registry of platforms:
 * store and queue (`createBackends`), ingestor, delivery worker with its policy (`OutboundDelivery`) and
 * one connector per tenant and platform. Tenants, routes and platform blocks can be swapped while running
 * (`reload`); the rest is bound at construction.
 */
export class Bridge {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly store: MappingStore;
  readonly queue: QueueBackend;
  /** Redis mode: the other instances on the same store, told of an admin reload. */
  readonly peers: PeerReloads | undefined;
  readonly ingestor: Ingestor;
  readonly transcripts: Transcripts;
  readonly worker: DeliveryWorker;
  /** Per target (tenant + platform) in this process: pauses a failing vendor's lanes. */
  readonly breaker: CircuitBreaker;
  readonly routeLedger: RouteLedger;
  /** Leaves conversations to their customer platform's own agents (native share, hand-back). */
  readonly native: NativeShare;
  readonly unrecognized: UnrecognizedInbound;
  readonly inboundGaps: InboundGaps;
  readonly capture: InboundCapture;
  readonly health: ConnectorHealth;
  /** Messages per route and minute over the last hour, for the status page's charts. */
  readonly throughput = new RouteThroughput();
  /** Refused webhooks: counted each, logged once per kind and interval. */
  readonly refusals: RefusalLog;
  /** Signs and reads the bridge's own links to files other platforms hold (`GET /files/...`). */
  readonly fileLinks: FileLinks;
  private readonly connectors: ConnectorSet;
  private tenants = new Map<string, TenantConfig>();
  private current: BridgeConfig;
  private reloading: Promise<unknown> = Promise.resolve();
  private started = false;
  /** Back-pressure and the store's limits, in front of every ingest. */
  readonly intake: IntakeGate;

  constructor(config: BridgeConfig, registry: AdapterRegistry, options: BridgeOptions = {}) {
    this.current = config;
    this.logger = options.logger ?? createLogger({ level: config.logging.level });
    this.metrics = options.metrics ?? new Metrics({ defaultMetrics: true });
    const backends = createBackends(config.store, config.delivery);
    this.store = backends.store;
    this.queue = backends.queue;
    this.peers = backends.peers;
    for (const tenant of config.tenants) this.tenants.set(tenant.id, tenant);
    this.intake = new IntakeGate({
      queue: this.queue,
      store: this.store,
      metrics: this.metrics,
      maxQueueDepth: config.delivery.maxQueueDepth,
      ingestTimeoutMs: config.server.ingestTimeoutMs,
    });
    this.unrecognized = new UnrecognizedInbound(this.metrics, this.logger);
    this.inboundGaps = new InboundGaps(this.metrics, this.logger, this.store);
    this.capture = new InboundCapture(config.logging.captureInbound);
    this.health = new ConnectorHealth(this.metrics);
    this.refusals = new RefusalLog(this.logger, this.metrics);
    this.fileLinks = new FileLinks(config.server.fileLinks);
    this.transcripts = new Transcripts(this.store, config.transcripts);
    this.routeLedger = new RouteLedger(this.store, this.metrics, this.logger, config.store.mappingTtlSeconds * 1000, this.throughput);
    this.metrics.readLiveConversationsFrom(() => this.routeLedger.live([...this.tenants.values()]));
    this.metrics.readParkedLanesFrom(async () => parkedByTarget(await this.queue.parkedLanes(), [...this.tenants.values()]));
    this.metrics.readDeadLettersFrom(() => this.queue.deadLetterCount());
    this.metrics.queueDepthLimit.set(config.delivery.maxQueueDepth);
    this.native = new NativeShare({
      store: this.store,
      ledger: this.routeLedger,
      connector: (tenant, platform) => this.connector(tenant, platform),
    });
    this.ingestor = new Ingestor({
      transcripts: this.transcripts,
      native: this.native,
      random: options.random,
      store: this.store,
      // The worker is built below; events reach it only once the bridge runs.
      queue: { enqueue: (lane, deliveries, ttl) => this.worker.enqueue(lane, deliveries, ttl) },
      metrics: this.metrics,
      logger: this.logger,
      dedupeTtlMs: config.delivery.dedupeTtlSeconds * 1000,
      tenant: (id) => this.tenants.get(id),
      ledger: this.routeLedger,
    });
    this.connectors = new ConnectorSet(registry, (tenantId, platform) => this.runtime(tenantId, platform), this.logger);
    this.connectors.add(config.tenants);
    const d = config.delivery;
    this.breaker = new CircuitBreaker(d.breaker, ({ tenant, platform, state, openUntil, reason }) => {
      this.metrics.connectorState.set({ tenant, platform }, BREAKER_STATE_VALUE[state]);
      // A breaker that never opened has no reason: its first sight is not news.
      if (reason) this.logger[state === 'open' ? 'warn' : 'info'](`delivery circuit breaker ${state}`, { tenant, platform, openUntil, reason });
    });
    const delivery = new OutboundDelivery({
      store: this.store,
      metrics: this.metrics,
      logger: this.logger,
      fileLinks: this.fileLinks,
      ledger: this.routeLedger,
      connector: (tenant, platform) => this.connector(tenant, platform),
      ingest: (tenant, platform, events) => this.ingest(tenant, platform, events),
      inject: (event, target) => this.ingestor.inject(event, target),
    });
    this.worker = new DeliveryWorker(
      this.queue,
      delivery,
      {
        concurrency: d.concurrency,
        retryForMs: d.retryFor,
        inlineRetries: options.worker?.inlineRetries ?? 2,
        minBackoffMs: d.minBackoffMs,
        maxBackoffMs: d.maxBackoffMs,
        leaseMs: d.leaseMs,
        pollMs: options.worker?.pollMs ?? 250,
        laneBatch: options.worker?.laneBatch ?? 20,
      },
      this.breaker,
    );
  }

  private runtime(tenantId: string, platform: string): ConnectorRuntime {
    return {
      tenantId,
      store: this.store,
      key: platformKeys(this.store, platform, tenantId),
      logger: this.logger.child({ tenant: tenantId, platform }),
      ingest: (events) => this.ingest(tenantId, platform, events),
      drop: (kind, reason, details) => {
        this.metrics.dropped.inc({ tenant: tenantId, platform, kind, reason });
        this.logger.debug('event dropped on purpose', { tenant: tenantId, platform, kind, reason, ...details });
      },
      unrecognized: (what, detail, payload) => this.unrecognized.report(tenantId, platform, what, detail, payload),
      inboundGap: (gap) => void this.inboundGaps.report(tenantId, platform, gap),
      received: (payload) => this.capture.record(tenantId, platform, payload),
      vendorHttp: (options) => {
        this.health.known(tenantId, platform);
        return reportingOutcomes(createVendorHttp(options), {
          succeeded: () => this.health.succeeded(tenantId, platform),
          failed: (operation, message) => this.health.failed(tenantId, platform, operation, message),
        });
      },
    };
  }

  /** The running configuration: the last one reloaded, with the sections bound at start as they were. */
  get config(): BridgeConfig {
    return this.current;
  }

  connector(tenantId: string, platform: string): Connector | undefined {
    return this.connectors.get(tenantId, platform);
  }

  tenant(tenantId: string): TenantConfig | undefined {
    return this.tenants.get(tenantId);
  }

  /** Fails fast with 503 (UnavailableError) while the queue is full or the store is down or slow. */
  async ingest(tenantId: string, platform: string, events: InboundEventInput[]): Promise<IngestResult> {
    return this.intake.admit(events.length, () => this.ingestor.ingest(tenantId, platform, events));
  }

  /**
   * Swaps in a new, already validated configuration: tenants, routes and weights apply to the next
   * new conversation (existing ones keep their stored platforms), connectors follow their platform
   * blocks, and logging.level applies at once. Server, store and delivery keep their running values;
   * the paths that differ are returned so the operator knows a restart is due. Reloads run one at a time.
   */
  reload(next: BridgeConfig): Promise<ReloadResult> {
    const run = this.reloading.then(async (): Promise<ReloadResult> => {
      const plan = planReload(this.current, next);
      const warnings = await this.routeLedger.stranded(this.current.tenants, plan.removed);
      this.tenants = new Map(next.tenants.map((t) => [t.id, t]));
      this.current = { ...next, server: this.current.server, store: this.current.store, delivery: this.current.delivery };
      this.logger.level = next.logging.level;
      this.capture.configure(next.logging.captureInbound);
      const connectors = await this.connectors.apply(plan, next.tenants);
      const result: ReloadResult = {
        reloaded: true,
        restartRequired: plan.restartRequired,
        tenants: [...this.tenants.keys()],
        connectors,
        warnings,
      };
      this.logger.info('configuration reloaded', { ...result });
      return result;
    });
    this.reloading = run.catch(() => undefined);
    return run;
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    if (this.fileLinks.ephemeral) {
      this.logger.warn('server.fileLinks.secret is not set: file links use a key of this process only, so they stop working on restart and on other instances');
    }
    await this.reachStore();
    this.intake.start();
    this.worker.start();
    await this.connectors.start();
  }

  /** Events still queued after a memory-mode drain; they die with the process, so it must not look like a clean stop. */
  undeliveredAtStop = 0;

  private async reportUndelivered(drainTimeoutMs: number): Promise<void> {
    this.undeliveredAtStop = await this.queue.depth().catch(() => 0);
    this.metrics.shutdownUndelivered.set(this.undeliveredAtStop);
    if (this.undeliveredAtStop === 0) return;
    this.logger.error('stopped with undelivered events: memory mode loses them with the process', {
      undelivered: this.undeliveredAtStop,
      drainTimeoutMs,
      advice: 'raise delivery.drainTimeoutMs, or use store.kind redis to keep them for the next start',
    });
  }

  /**
   * The store must answer before anything starts. When it does not, the error names it (without its
   * password) and the connection is given up, so the process can exit instead of reconnecting forever.
   */
  private async reachStore(): Promise<void> {
    try {
      await within(this.store.ping(), STORE_START_TIMEOUT_MS);
    } catch (err) {
      this.started = false;
      await within(Promise.all([this.queue.close(), this.store.close()]), STORE_START_TIMEOUT_MS).catch(() => undefined);
      throw new Error(`the store at ${this.store.location} did not answer: ${(err as Error).message}`);
    }
  }

  /**
   * Intake has stopped (the HTTP server closed first). Stop the pollers, then deliver what is
   * queued (memory mode) or what is in flight (Redis mode keeps the rest for the next instance).
   */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    const timeoutMs = this.config.delivery.drainTimeoutMs;
    this.intake.stop();
    this.refusals.close();
    await this.connectors.stop();
    await this.worker.stop({ drain: this.queue.kind === 'memory', timeoutMs });
    if (this.queue.kind === 'memory') await this.reportUndelivered(timeoutMs);
    await this.queue.close();
    await this.store.close();
  }
}
