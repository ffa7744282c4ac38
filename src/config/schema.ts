import { z } from 'zod';
import { PlatformName } from '../model/events.js';

/** The core's part of the configuration contract (shared/design.md). Platform blocks belong to adapters. */

export const AgentTarget = z.strictObject({
  platform: PlatformName,
  weight: z.number().int().min(0).max(10_000).default(100),
});

export const Route = z.strictObject({
  customer: PlatformName,
  agents: z.array(AgentTarget).min(1),
});
export type Route = z.infer<typeof Route>;

export const TenantCore = z.looseObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lower-case letters, digits, _ and -, at most 64'),
  routes: z.array(Route).min(1),
});

/** The bridge's own links to files a vendor holds behind expiring signed URLs (`GET /files/:tenant/:token`). */
export const FileLinksConfig = z.strictObject({
  /** HMAC key of the links; without it each process draws a random one (links die on restart). */
  secret: z.string().min(32, 'at least 32 characters').optional(),
  /** How long a link opens, from the delivery that created it. */
  ttlSeconds: z.number().int().min(60).default(7 * 24 * 3600),
  /** The bridge's address as the people who click see it; by default the address it listens on. */
  publicUrl: z
    .string()
    .regex(/^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/, 'an http:// or https:// URL without query or fragment')
    .optional(),
});

export const ServerConfig = z.strictObject({
  port: z.number().int().min(0).max(65535).default(8080),
  host: z.string().default('0.0.0.0'),
  bodyLimit: z
    .string()
    .regex(/^\d+(b|kb|mb)$/i, 'a size such as 512kb or 1mb')
    .default('1mb'),
  adminToken: z.string().min(16, 'at least 16 characters').optional(),
  fileLinks: FileLinksConfig.default(FileLinksConfig.parse({})),
  /** A client must have sent its whole request head within this (Node checks every second). */
  headersTimeoutMs: z.number().int().min(100).max(600_000).default(10_000),
  /** ... and its whole request, body included. */
  requestTimeoutMs: z.number().int().min(100).max(600_000).default(30_000),
  /** Open connections beyond this are closed as they arrive. */
  maxConnections: z.number().int().min(1).default(10_000),
  /** How long a webhook waits for the store before answering 503 `store_unavailable`. */
  ingestTimeoutMs: z.number().int().min(100).max(60_000).default(2000),
}).refine((server) => server.headersTimeoutMs <= server.requestTimeoutMs, {
  message: 'headersTimeoutMs must not be above requestTimeoutMs',
  path: ['headersTimeoutMs'],
});

export const StoreConfig = z.strictObject({
  kind: z.enum(['memory', 'redis']).default('memory'),
  url: z.string().regex(/^rediss?:\/\//, 'a redis:// or rediss:// URL').default('redis://127.0.0.1:6379'),
  keyPrefix: z.string().max(64).default('cb:'),
  maxEntries: z.number().int().min(1000).default(500_000),
  mappingTtlSeconds: z.number().int().min(60).default(30 * 24 * 3600),
});

const DURATION_UNITS_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** A duration written as `<n><unit>` (`500ms`, `90s`, `30m`, `6h`, `2d`), read as milliseconds. */
export const Duration = z
  .string()
  .regex(/^\d+(ms|s|m|h|d)$/, 'a duration such as 90s, 30m or 6h')
  .transform((text) => {
    const [, amount, unit] = /^(\d+)(ms|s|m|h|d)$/.exec(text)!;
    return Number(amount) * DURATION_UNITS_MS[unit as keyof typeof DURATION_UNITS_MS];
  });

/** Pauses every lane of one target (tenant + platform) while its vendor fails: see delivery/circuit-breaker.ts. */
export const BreakerConfig = z.strictObject({
  /** Consecutive retryable failures of a target that open its breaker (a Retry-After opens it at once). */
  failures: z.number().int().min(1).max(1000).default(5),
  /** How long the first opening lasts before one lane probes; doubled after each failed probe. */
  openMs: z.number().int().min(1).default(2000),
  /** The longest an opening lasts (a vendor's Retry-After is honoured even when longer). */
  maxOpenMs: z.number().int().min(1).default(60_000),
});

export const DeliveryConfig = z.strictObject({
  /** Conversations delivered in parallel by this instance. */
  concurrency: z.number().int().min(1).max(1024).default(32),
  /** How long a lane keeps retrying its head, from its first failure, before the lane is given up as one group. */
  retryFor: Duration.refine((ms) => ms >= 1000, 'at least 1s').prefault('6h'),
  /** Removed: retries are bounded by time, not by a count. Named here so the error says what replaced it. */
  maxAttempts: z
    .never({ error: 'removed: retries are now bounded by time, set delivery.retryFor (a duration, default 6h) instead' })
    .optional(),
  breaker: BreakerConfig.default(BreakerConfig.parse({})),
  minBackoffMs: z.number().int().min(1).default(500),
  maxBackoffMs: z.number().int().min(1).default(5 * 60_000),
  /** How long a claim on a conversation's queue lasts without renewal (Redis mode: crash takeover time). */
  leaseMs: z.number().int().min(1000).default(15_000),
  /** How long SIGTERM waits for queued and in-flight deliveries. */
  drainTimeoutMs: z.number().int().min(0).default(10_000),
  /**
   * Back-pressure: a batch that would take the queue past this many waiting events is refused whole
   * (webhooks answer 503 with Retry-After, the vendors retry; pollers wait), instead of the queue
   * growing without bound. Its default depends on the store (`defaultMaxQueueDepth`).
   */
  maxQueueDepth: z.number().int().min(1).optional(),
  /** How long an event id is remembered to drop vendor redeliveries. */
  dedupeTtlSeconds: z.number().int().min(1).default(24 * 3600),
  /** Redis mode: the queue is split into this many partitions (hash tags), for Redis Cluster. */
  partitions: z.number().int().min(1).max(1024).default(16),
});

/** Every accepted event of a conversation is kept for the admin API and for hand-off summaries. */
/**
 * Memory mode keeps every queued event in the process (2.3-3.2 KB of RSS each once collected, up to
 * 6.6 KB under load; `bench/queued-event-memory.ts`), so its queue stops lower; Redis holds the queue
 * outside the process.
 */
export const DEFAULT_MAX_QUEUE_DEPTH = { memory: 20_000, redis: 100_000 } as const;

export const TranscriptsConfig = z.strictObject({
  /** Newest events kept per conversation; older ones are trimmed. */
  maxEvents: z.number().int().min(1).max(100_000).default(500),
  /** How long a transcript lives after its last event. */
  retentionSeconds: z.number().int().min(60).default(7 * 24 * 3600),
  /** Messages quoted in the summary a new agent side receives on a hand-off (0: no summary). */
  summaryMessages: z.number().int().min(0).max(100).default(10),
});

/** Opt-in, time-boxed capture of one platform's inbound payloads, to calibrate the adapter's readings. */
export const CaptureInboundConfig = z.strictObject({
  platform: PlatformName,
  until: z.iso.datetime({ offset: true, message: 'an ISO 8601 time such as 2026-12-01T18:00:00Z' }),
  /** Newest payloads kept (masked) in memory. */
  max: z.number().int().min(1).max(1000).default(200),
});

export const LoggingConfig = z.strictObject({
  level: z.enum(['error', 'warn', 'info', 'debug']).default('info'),
  captureInbound: CaptureInboundConfig.optional(),
});

export const CoreConfig = z.strictObject({
  server: ServerConfig.default(ServerConfig.parse({})),
  store: StoreConfig.default(StoreConfig.parse({})),
  delivery: DeliveryConfig.default(DeliveryConfig.parse({})),
  logging: LoggingConfig.default(LoggingConfig.parse({})),
  transcripts: TranscriptsConfig.default(TranscriptsConfig.parse({})),
  tenants: z.array(TenantCore).min(1),
});

export interface TenantConfig {
  id: string;
  routes: Route[];
  /** Validated platform blocks, by platform name. */
  platforms: Record<string, unknown>;
}

export interface BridgeConfig {
  server: z.infer<typeof ServerConfig>;
  store: z.infer<typeof StoreConfig>;
  /** `maxQueueDepth` is always set: the loader fills in the store's default. */
  delivery: z.infer<typeof DeliveryConfig> & { maxQueueDepth: number };
  logging: z.infer<typeof LoggingConfig>;
  transcripts: z.infer<typeof TranscriptsConfig>;
  tenants: TenantConfig[];
}
