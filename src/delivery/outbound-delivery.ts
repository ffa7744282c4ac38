import { withAuthRefresh } from '../auth/auth-refresh.js';
import { ConversationGoneError, type DeliveryError, PermanentError } from '../errors.js';
import type { FileLinks } from '../files/file-links.js';
import { withFreshFiles } from '../files/fresh-files.js';
import type { ConversationEvent, InboundEventInput } from '../model/events.js';
import { eventLogger, type Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { DeliveryContext, Drop, Connector, SendResult } from '../ports/adapter.js';
import { StoredConversation } from '../routing/conversation-handle.js';
import { isNative } from '../routing/native-share.js';
import type { RouteLedger } from '../routing/route-ledger.js';
import type { MappingStore } from '../store/mapping-store.js';
import { systemMessage } from '../transcripts/system-message.js';
import type { Delivery } from './delivery.js';
import type { DeliveryHooks } from './delivery-worker.js';
import type { GivenUp } from './queue-backend.js';
import { sendEvent } from './send-event.js';

export interface OutboundDeliveryDeps {
  store: MappingStore;
  metrics: Metrics;
  logger: Logger;
  fileLinks: FileLinks;
  ledger: Pick<RouteLedger, 'delivering' | 'delivered' | 'deadLettered'>;
  /** A tenant's connector for a platform, as configured now (a reload swaps connectors). */
  connector(tenant: string, platform: string): Connector | undefined;
  /** Ingests events as if a platform had sent them (the end of a conversation the target says is gone). */
  ingest(tenant: string, platform: string, events: InboundEventInput[]): Promise<unknown>;
  /** Queues an event the bridge itself says towards a platform (a notice for a sender). */
  inject(event: ConversationEvent, target: string): Promise<unknown>;
}

/**
 * The delivery policy, what the DeliveryWorker does with each lane head: the target connector's handler
 * sends it, a refused credential is refreshed once and the send retried, a conversation gone on the target
 * is ended on the other side, a sender is told why their event (or part of it) was dropped, and the native
 * ids of what went out are linked to the event. Failures are counted and logged here; retrying, parking
 * and dead-lettering are the worker's.
 */
export class OutboundDelivery implements DeliveryHooks {
  constructor(private readonly deps: OutboundDeliveryDeps) {}

  async deliver(delivery: Delivery, attempt: number): Promise<void> {
    const { target } = delivery;
    const { tenant } = delivery.event;
    const connector = this.deps.connector(tenant, target);
    if (!connector) throw new PermanentError(`tenant ${tenant} has no ${target} platform configured`);
    const record = await this.deps.store.getConversation(tenant, delivery.event.conversationId);
    if (!record) throw new PermanentError('the conversation mapping is gone (expired or never stored)');
    // Left to the customer platform's own agents: nothing more is said there (the agent side may still get its end).
    if (isNative(record) && target === record.attrs.customer) {
      this.countDrop(delivery.event, target, { reason: 'native-agents' });
      return;
    }
    this.deps.ledger.delivering(delivery, record);
    const role = record.attrs.customer === target ? 'customer' : 'agent';
    const conversation = new StoredConversation(this.deps.store, record, target, role);
    const logger = eventLogger(this.deps.logger, delivery.event, delivery.requestId);
    // Files are resolved at each attempt: a signed URL fetched earlier may have expired in the queue.
    const origin = this.deps.connector(tenant, delivery.event.origin.platform);
    const event = await withFreshFiles(delivery.event, origin, this.deps.fileLinks, logger);
    let result: SendResult;
    try {
      result = await this.send(connector, event, { conversation, attempt, logger });
    } catch (err) {
      if (err instanceof ConversationGoneError) return this.endOtherSide(delivery, conversation, err);
      throw err;
    }
    if (result.status === 'dropped') {
      this.countDrop(event, target, result);
      logger.debug('the target cannot express this event: dropped', { target, reason: result.reason, detail: result.detail });
      // The sender is told why, on the platform the event came from.
      if (result.notice) await this.deps.inject(systemMessage(event, 'notice', result.notice), event.origin.platform);
      return;
    }
    for (const nativeId of result.nativeMessageIds ?? []) this.link(event, target, nativeId, logger);
    if (result.refused) await this.partlyRefused(event, target, result.refused, logger);
  }

  /** One send, and once more at once with a fresh credential when the target refused the one it had. */
  private send(connector: Connector, event: ConversationEvent, ctx: DeliveryContext): Promise<SendResult> {
    const { refreshAuth } = connector;
    const refresher = {
      refreshAuth: refreshAuth && (() => {
        ctx.logger.info('credential refused: refreshing once and retrying', { target: connector.platform });
        return refreshAuth.call(connector);
      }),
    };
    return withAuthRefresh(refresher, () => sendEvent(connector.outbound, event, ctx));
  }

  /**
   * Not awaited: the message is out, and failing the delivery now would only send it again. The link
   * goes out ahead of the queue's pop on the same connection (no round trip of its own), so whatever
   * later looks it up (a receipt, an echo) finds it.
   */
  private link(event: ConversationEvent, target: string, nativeId: string, logger: Logger): void {
    void this.deps.store.linkMessage(event.tenant, event.id, target, nativeId).catch((err: unknown) =>
      logger.warn('message link not stored: receipts for this message cannot be relayed', { target, error: (err as Error).message }),
    );
  }

  /** The rest is out: a failing notice must not fail the delivery (a retry would send it twice). */
  private async partlyRefused(event: ConversationEvent, target: string, refused: Drop, logger: Logger): Promise<void> {
    this.countDrop(event, target, refused);
    logger.debug('the target refused part of this event: the rest was sent', { target, reason: refused.reason, detail: refused.detail });
    if (!refused.notice) return;
    await this.deps.inject(systemMessage(event, 'notice', refused.notice), event.origin.platform).catch((err: unknown) =>
      logger.warn('refusal notice not queued', { target, reason: refused.reason, error: (err as Error).message }),
    );
  }

  private countDrop(event: ConversationEvent, target: string, drop: Drop): void {
    this.deps.metrics.dropped.inc({ tenant: event.tenant, platform: target, kind: event.kind, reason: drop.reason });
  }

  /** The target says the conversation is over there: end it on the side that is still talking. */
  private async endOtherSide(delivery: Delivery, conversation: StoredConversation, err: ConversationGoneError): Promise<void> {
    const { event, target } = delivery;
    eventLogger(this.deps.logger, event).info('conversation ended on the target: ending it on the other side', { target, reason: err.message });
    const nativeId = conversation.nativeId();
    if (!nativeId) return;
    // The side that is gone ended it: the target's own role in the conversation.
    const endedBy = conversation.role;
    await this.deps.ingest(event.tenant, target, [
      {
        kind: 'conversation.ended',
        id: `${target}:${nativeId}:gone`,
        origin: { platform: target, conversationId: nativeId },
        sender: { role: 'system' },
        timestamp: new Date().toISOString(),
        endedBy,
        reason: err.message,
      },
    ]);
  }

  delivered(delivery: Delivery): void {
    const { event, target } = delivery;
    this.deps.metrics.eventsOut.inc({ tenant: event.tenant, platform: target, kind: event.kind });
    const latencyMs = Date.now() - delivery.acceptedAt;
    this.deps.metrics.deliveryLatency.observe({ tenant: event.tenant, platform: target }, latencyMs / 1000);
    this.deps.ledger.delivered(delivery);
    eventLogger(this.deps.logger, event, delivery.requestId).debug('event delivered', { target, latencyMs });
  }

  failedAttempt(delivery: Delivery, error: DeliveryError, attempt: number): void {
    this.deps.metrics.retries.inc({ tenant: delivery.event.tenant, platform: delivery.target });
    eventLogger(this.deps.logger, delivery.event, delivery.requestId).warn('delivery attempt failed', {
      target: delivery.target,
      attempt,
      error: error.message,
      retryable: error.retryable,
    });
  }

  deadLettered(delivery: Delivery, reason: string): void {
    this.deps.ledger.deadLettered(delivery);
    this.deps.metrics.deadLetters.inc({ tenant: delivery.event.tenant, platform: delivery.target });
    eventLogger(this.deps.logger, delivery.event, delivery.requestId).error('event moved to the dead-letter list', { target: delivery.target, reason });
  }

  gaveUp(head: Delivery, { group, count }: GivenUp, reason: string): void {
    this.deps.ledger.deadLettered(head, count);
    this.deps.metrics.deadLetters.inc({ tenant: head.event.tenant, platform: head.target }, count);
    eventLogger(this.deps.logger, head.event).error('lane given up: its events moved to the dead-letter list as one group', {
      target: head.target,
      group,
      count,
      reason,
    });
  }

  fault(err: unknown): void {
    this.deps.logger.error('delivery worker fault', { error: err });
  }
}
