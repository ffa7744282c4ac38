import type { Bridge } from './bridge.js';
import type { BridgeConfig, TenantConfig } from './config/schema.js';
import { type DeadLetter, laneOf } from './delivery/delivery.js';
import { type ParkedTarget, parkedByTarget } from './delivery/parked-lanes.js';
import type { ConversationEvent } from './model/events.js';
import type { InstanceStatus, InstanceViews } from './observability/instance-views.js';
import type { Logger } from './observability/logger.js';
import { handBackConversation, type HandBackResult } from './routing/hand-back.js';
import { handOffConversation, type HandOffResult } from './routing/hand-off.js';
import { LiveConversations } from './routing/live-conversations.js';
import type { ConversationRecord } from './store/mapping-store.js';
import { within } from './time-limit.js';

/**
 * What the status page shows of the bridge, read at one moment: the store and queue, shared by every
 * process, and what the instance keeps in memory (with `--workers N`, every worker's).
 */
export interface BridgeStatus extends InstanceStatus {
  store: string;
  queueDepth: number;
  deadLetterCount: number;
  /** The newest dead letters, oldest first. */
  deadLetters: DeadLetter[];
  tenants: { tenant: TenantConfig; live: ConversationRecord[] }[];
  targets: ParkedTarget[];
}

export type Reachability = 'ok' | 'unreachable';

/**
 * The running bridge as the HTTP routes see it (admin API, status page, readiness, metrics): what they
 * read and what they may do, and nothing else. They never reach the store or the queue themselves.
 */
export interface AdminFacade {
  /** The running configuration: tenants, the admin token. */
  readonly config: BridgeConfig;
  readonly logger: Logger;
  deadLetters(limit: number): Promise<DeadLetter[]>;
  deadLetterCount(): Promise<number>;
  /** Takes a dead letter and queues it again at the end of its conversation's lane (after later messages). */
  replayDeadLetter(id: string): Promise<DeadLetter | undefined>;
  /** Queues a given-up lane's dead letters again, together and in order, at the end of their lane. */
  replayDeadLetterGroup(group: string): Promise<DeadLetter[]>;
  /** Canonical conversation `id` (ids are unique across tenants; `tenant` narrows the search). */
  conversation(id: string, tenant?: string): Promise<ConversationRecord | undefined>;
  transcript(tenant: string, id: string): Promise<ConversationEvent[]>;
  handOff(tenant: string, id: string, agent: string): Promise<HandOffResult>;
  handBack(tenant: string, id: string): Promise<HandBackResult>;
  /** Whether a tenant's customer platform can take conversations back (the status page's button). */
  canHandBack(tenant: string, platform: string): boolean;
  status(limits: { livePerTenant: number; deadLetters: number }): Promise<BridgeStatus>;
  /** What the instance keeps in memory: connector health, breakers, unrecognised samples, captures... */
  instance(): Promise<InstanceStatus>;
  /** Whether the store and the queue answer within `timeoutMs`; nothing is asked while the connection is down. */
  reachability(timeoutMs: number): Promise<{ store: Reachability; queue: Reachability }>;
}

/** The facade over a running bridge; `views` are the instance's in-memory state (this process, or every worker's). */
export class BridgeAdmin implements AdminFacade {
  constructor(
    private readonly bridge: Bridge,
    private readonly views: InstanceViews,
  ) {}

  get config(): BridgeConfig {
    return this.bridge.config;
  }

  get logger(): Logger {
    return this.bridge.logger;
  }

  deadLetters(limit: number): Promise<DeadLetter[]> {
    return this.bridge.queue.listDeadLetters(limit);
  }

  deadLetterCount(): Promise<number> {
    return this.bridge.queue.deadLetterCount();
  }

  async replayDeadLetter(id: string): Promise<DeadLetter | undefined> {
    const letter = await this.bridge.queue.takeDeadLetter(id);
    if (!letter) return undefined;
    await this.bridge.queue.requeue(laneOf(letter.delivery), { ...letter.delivery, acceptedAt: Date.now() });
    this.logger.info('dead letter replayed', { deadLetterId: letter.id, eventId: letter.delivery.event.id, tenant: letter.delivery.event.tenant });
    return letter;
  }

  async replayDeadLetterGroup(group: string): Promise<DeadLetter[]> {
    const letters = await this.bridge.queue.replayGroup(group);
    if (letters.length > 0) this.logger.info('dead-letter group replayed', { group, count: letters.length, tenant: letters[0]!.delivery.event.tenant });
    return letters;
  }

  async conversation(id: string, tenant?: string): Promise<ConversationRecord | undefined> {
    for (const { id: candidate } of this.config.tenants) {
      if (tenant !== undefined && candidate !== tenant) continue;
      const record = await this.bridge.store.getConversation(candidate, id);
      if (record) return record;
    }
    return undefined;
  }

  transcript(tenant: string, id: string): Promise<ConversationEvent[]> {
    return this.bridge.transcripts.read(tenant, id);
  }

  handOff(tenant: string, id: string, agent: string): Promise<HandOffResult> {
    return handOffConversation(this.bridge, tenant, id, agent);
  }

  handBack(tenant: string, id: string): Promise<HandBackResult> {
    return handBackConversation(this.bridge, tenant, id);
  }

  canHandBack(tenant: string, platform: string): boolean {
    return this.bridge.native.supported(tenant, platform);
  }

  async status(limits: { livePerTenant: number; deadLetters: number }): Promise<BridgeStatus> {
    const { bridge } = this;
    const live = new LiveConversations(bridge.store);
    const [queueDepth, deadLetterCount, deadLetters, parked, tenants, instance] = await Promise.all([
      bridge.queue.depth(),
      bridge.queue.deadLetterCount(),
      bridge.queue.listDeadLetters(limits.deadLetters),
      bridge.queue.parkedLanes(),
      Promise.all(this.config.tenants.map(async (tenant) => ({ tenant, live: await live.list(tenant.id, limits.livePerTenant) }))),
      this.views.status(),
    ]);
    return {
      ...instance,
      store: bridge.store.kind,
      queueDepth,
      deadLetterCount,
      deadLetters,
      tenants,
      targets: parkedByTarget(parked, this.config.tenants),
    };
  }

  instance(): Promise<InstanceStatus> {
    return this.views.status();
  }

  async reachability(timeoutMs: number): Promise<{ store: Reachability; queue: Reachability }> {
    const { store, queue } = this.bridge;
    // In Redis mode the queue shares the store's connection. While it is down nothing is asked: a
    // ping would only wait in the client's offline queue.
    const ask = (ping: () => Promise<void>) => (store.connected ? within(ping(), timeoutMs) : Promise.reject(new Error('not connected')));
    const checks = await Promise.allSettled([ask(() => store.ping()), ask(() => queue.ping())]);
    const [storeAnswer, queueAnswer] = checks.map((c): Reachability => (c.status === 'fulfilled' ? 'ok' : 'unreachable'));
    return { store: storeAnswer!, queue: queueAnswer! };
  }
}
