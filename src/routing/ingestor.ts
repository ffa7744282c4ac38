import { PayloadError } from '../errors.js';
import { currentRequestId } from '../observability/request-context.js';
import type { TenantConfig } from '../config/schema.js';
import type { Delivery } from '../delivery/delivery.js';
import { laneOf } from '../delivery/delivery.js';
import { type ConversationEvent, InboundEvent, type InboundEventInput } from '../model/events.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { IngestResult } from '../ports/adapter.js';
import type { DropReason } from '../ports/drop-reasons.js';
import type { ConversationRecord, MappingStore } from '../store/mapping-store.js';
import { handOffSummary } from '../transcripts/summary.js';
import { systemMessage } from '../transcripts/system-message.js';
import type { Transcripts } from '../transcripts/transcripts.js';
import { LiveConversations } from './live-conversations.js';
import { isNative, type NativeShare } from './native-share.js';
import { type RouteLedger, routeLabel } from './route-ledger.js';
import { pickWeighted } from './weighted-pick.js';

/** Where accepted events go: the delivery worker, which may take an idle lane on at once. */
export interface LaneIntake {
  /** One accepted flag per delivery (false: seen before, dropped by the dedupe). */
  enqueue(lane: string, deliveries: Delivery[], dedupeTtlMs: number): Promise<boolean[]>;
}

export interface IngestorDeps {
  store: MappingStore;
  queue: LaneIntake;
  metrics: Metrics;
  logger: Logger;
  dedupeTtlMs: number;
  tenant(id: string): TenantConfig | undefined;
  ledger: RouteLedger;
  random?: () => number;
  /** Where accepted events are recorded (absent: no transcripts, no hand-off summaries). */
  transcripts?: Transcripts;
  /** Steps out of conversations drawn for a customer platform's own agents (absent: no native share). */
  native?: NativeShare;
}

/** The conversation is left to its customer platform's own agents: its events are not bridged. */
const NATIVE = 'native';

interface Resolved {
  conversationId: string;
  target: string;
  /** The event came from the agent side of the conversation's route. */
  fromAgentSide: boolean;
  /** `<customer>-><agent>`, the per-route metrics label. */
  route: string;
}

/**
 * The core's inbound path after an adapter normalized a payload: validate every event, find or create
 * its canonical conversation, choose the target (sticky per conversation, by weight for new ones),
 * and enqueue in order. Resolves only once the events are stored in the queue (durable in Redis mode),
 * so the vendor is acknowledged only for what cannot be lost. Conversations created and ended here are
 * counted per route (RouteLedger).
 */
export class Ingestor {
  private readonly live: LiveConversations;

  constructor(private readonly deps: IngestorDeps) {
    this.live = new LiveConversations(deps.store);
  }

  async ingest(tenantId: string, platform: string, inputs: InboundEventInput[]): Promise<IngestResult> {
    const tenant = this.deps.tenant(tenantId);
    if (!tenant) throw new Error(`unknown tenant ${tenantId}`);
    const events = inputs.map((input, i) => this.validate(platform, input, i));
    const result: IngestResult = { accepted: 0, duplicates: 0, dropped: 0 };
    const lanes = new Map<string, Delivery[]>();
    const routes = new Map<string, string>();
    const acceptedAt = Date.now();
    const requestId = currentRequestId();
    // A poll batch can span many conversations: they are looked up together, one round trip for all.
    const natives = [...new Set(events.map((e) => e.origin.conversationId))];
    const found = await Promise.all(natives.map((native) => this.resolve(tenant, platform, native)));
    const resolved = new Map(natives.map((native, i) => [native, found[i]]));
    const writes: Promise<void>[] = [];

    for (const event of events) {
      const target = resolved.get(event.origin.conversationId);
      if (!target || target === NATIVE) {
        const reason: DropReason = target === NATIVE ? 'native-agents' : 'unknown-conversation';
        result.dropped += 1;
        this.deps.metrics.dropped.inc({ tenant: tenant.id, platform, kind: event.kind, reason });
        this.deps.logger.debug(`event dropped: ${reason}`, {
          tenant: tenant.id,
          platform,
          eventId: event.id,
          kind: event.kind,
        });
        continue;
      }
      const full = { ...event, tenant: tenant.id, conversationId: target.conversationId } as ConversationEvent;
      if (full.kind === 'conversation.ended') writes.push(this.live.ended(tenant.id, full.conversationId));
      if (full.kind === 'message' && full.origin.messageId) {
        writes.push(this.deps.store.linkMessage(tenant.id, full.id, platform, full.origin.messageId));
      }
      const delivery: Delivery = { event: full, target: target.target, acceptedAt, ...(requestId ? { requestId } : {}) };
      routes.set(full.conversationId, target.route);
      const lane = laneOf(delivery);
      lanes.set(lane, [...(lanes.get(lane) ?? []), delivery]);
    }

    /*
     * Links and enqueues go out together (one round trip, not one per step). A failed link still fails
     * the ingest, so the vendor redelivers (or the poll batch is handled again): links are written again
     * then, while the queue's dedupe drops the events it already holds.
     */
    const laneList = [...lanes];
    const [acceptedPerLane] = await Promise.all([
      Promise.all(laneList.map(([lane, deliveries]) => this.deps.queue.enqueue(lane, deliveries, this.deps.dedupeTtlMs))),
      Promise.all(writes),
    ]);

    for (const [n, [, deliveries]] of laneList.entries()) {
      for (const [i, ok] of (acceptedPerLane[n] as boolean[]).entries()) {
        const { event } = deliveries[i] as Delivery;
        if (!ok) {
          result.duplicates += 1;
          this.deps.metrics.duplicates.inc({ tenant: tenant.id, platform });
          continue;
        }
        result.accepted += 1;
        this.deps.metrics.eventsIn.inc({ tenant: tenant.id, platform, kind: event.kind });
        if (event.kind === 'conversation.ended') {
          await this.deps.ledger.ended(tenant.id, event.conversationId, routes.get(event.conversationId)!);
        }
        this.record(event);
        // A new agent took over on the agent side: tell them what was said before.
        const from = resolved.get(event.origin.conversationId);
        if (event.kind === 'participant.joined' && event.transfer && typeof from === 'object' && from.fromAgentSide) {
          await this.bestEffort('hand-off summary', event, () => this.handOff(event, platform));
        }
      }
    }
    return result;
  }

  /**
   * Queues an event the bridge itself produced (a hand-off summary, a notice to a sender) towards
   * `target`, behind what that conversation already has queued there. False when it was queued before.
   */
  async inject(event: ConversationEvent, target: string): Promise<boolean> {
    const delivery: Delivery = { event, target, acceptedAt: Date.now() };
    const [ok] = await this.deps.queue.enqueue(laneOf(delivery), [delivery], this.deps.dedupeTtlMs);
    if (ok) this.record(event);
    return ok === true;
  }

  /**
   * Not awaited: the webhook is acknowledged without waiting for the transcript (an extra store round
   * trip per event). Appends still reach the store in call order (one connection, commands in order),
   * and a later read (a hand-off summary) is queued behind them.
   */
  private record(event: ConversationEvent): void {
    void this.bestEffort('transcript append', event, async () => this.deps.transcripts?.append(event));
  }

  /**
   * Transcripts and summaries must never block a conversation: the event is queued already, and failing
   * here would only make the vendor redeliver what the dedupe then drops.
   */
  private async bestEffort(what: string, event: ConversationEvent, fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      this.deps.logger.warn(`${what} failed`, { tenant: event.tenant, conversationId: event.conversationId, eventId: event.id, error: (err as Error).message });
    }
  }

  /** Sends the new agent side a summary of the transcript so far (nothing when there is nothing to say). */
  async handOff(trigger: ConversationEvent, target: string): Promise<void> {
    const transcripts = this.deps.transcripts;
    if (!transcripts) return;
    const text = handOffSummary(await transcripts.read(trigger.tenant, trigger.conversationId), transcripts.summaryMessages);
    if (!text) return;
    await this.inject(systemMessage(trigger, 'summary', text), target);
  }

  /** A conversation drawn for the native share: its customer platform's own agents take it. */
  private async stepOut(record: ConversationRecord): Promise<void> {
    if (!this.deps.native) throw new Error('no native share configured: cannot leave a conversation to its vendor\'s own agents');
    await this.deps.native.stepOut(record, 'drawn', { fresh: true });
  }

  private validate(platform: string, input: InboundEventInput, index: number): InboundEvent {
    const parsed = InboundEvent.safeParse(input);
    if (!parsed.success) {
      throw PayloadError.fromZod('the payload does not describe a valid conversation event', parsed.error, [index]);
    }
    if (parsed.data.origin.platform !== platform) {
      throw new PayloadError('event origin does not match the webhook platform', [
        { path: `${index}.origin.platform`, problem: `expected ${platform}` },
      ]);
    }
    return parsed.data;
  }

  /**
   * An existing conversation keeps its platforms for life (sticky). A new native conversation on a
   * platform that is the customer side of a route gets an agent platform by weight; one drawn for the
   * customer platform itself (the native share) is left to that vendor's own agents.
   */
  private async resolve(tenant: TenantConfig, platform: string, nativeId: string, fresh = false): Promise<Resolved | typeof NATIVE | undefined> {
    const { store } = this.deps;
    const found = await store.resolveConversation(tenant.id, platform, nativeId);
    if (found) {
      const record = await store.getConversation(tenant.id, found.id);
      // Expired: the id may be this process's copy of an index that expired too, or an index that
      // outlives its record by a moment; either way the conversation is over, so look again.
      if (!record && !fresh) {
        await store.retireNative(tenant.id, platform, nativeId, found.id);
        return this.resolve(tenant, platform, nativeId, true);
      }
      if (record && isNative(record)) {
        // A step-out that failed is tried again with the vendor's next event for the conversation.
        if (record.attrs.native === 'drawn' && !record.attrs.nativeAt && platform === record.attrs.customer) await this.stepOut(record);
        return NATIVE;
      }
      const customer = record?.attrs.customer;
      const agent = record?.attrs.agent;
      // A platform the conversation was handed away from no longer takes part in it.
      if (!customer || !agent || (platform !== customer && platform !== agent)) return undefined;
      return {
        conversationId: found.id,
        target: platform === customer ? agent : customer,
        fromAgentSide: platform !== customer,
        route: routeLabel(customer, agent),
      };
    }
    const route = tenant.routes.find((r) => r.customer === platform);
    const agent = route && pickWeighted(route.agents, this.deps.random);
    if (!agent) return undefined;
    const native = agent.platform === platform;
    const created = await store.resolveConversation(tenant.id, platform, nativeId, {
      attrs: { customer: platform, agent: agent.platform, createdAt: new Date().toISOString(), ...(native ? { native: 'drawn' } : {}) },
    });
    if (!created) return undefined;
    if (created.created) {
      const route = routeLabel(platform, agent.platform);
      await this.deps.ledger.started(tenant.id, route);
      if (native) {
        const record = await store.getConversation(tenant.id, created.id);
        if (record) await this.stepOut(record);
        return NATIVE;
      }
      await this.live.opened(tenant.id, created.id);
      return { conversationId: created.id, target: agent.platform, fromAgentSide: false, route };
    }
    // Another instance created it first: use what it chose.
    return this.resolve(tenant, platform, nativeId);
  }
}
