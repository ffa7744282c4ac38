import { ConversationGoneError, PermanentError } from '../../src/errors.js';
import type { ConversationHandle, NativeHandOver } from '../../src/ports/adapter.js';
import { messageIdFor, post } from './outbound.js';
import type { EngagementDeps } from './engagement-release.js';
import { MovedKey } from '../../src/store/moved-key.js';

const MARK_TTL_MS = 24 * 3600_000;

/**
 * Leaves engagements to RightNow's own (human) agents: the native share of a migration and the
 * operator's hand-back.
 *
 * Why `rerouteEngagement` and not `assignmentAcknowledgement` with DECLINE: a declined (or unanswered,
 * `SRV_AGENT_TIMEOUT`) offer goes back to the queue it came from, to be offered to "another agent" of
 * that queue, and the queue the chat rules send to the bridge is staffed by the bridge's automated agent:
 * RightNow's routing would offer the chat to us again (nothing documents that a decliner is skipped),
 * and the customer would wait through decline after decline. `rerouteEngagement` sends the chat to the
 * site's escalation queue, which is where RightNow's own routing gives chats to human agents, in one
 * documented call. It acts on an engagement the agent holds, like concludeChat, so an offer is accepted
 * first (our automated agent shows as having joined, but nothing is ever posted to the end user), then
 * rerouted. Never concluded or released afterwards: that would end the chat its new agent now has.
 *
 * A marked engagement (in the store, shared by instances) is the bridge's no more: the poll loop
 * reroutes its offer once accepted and does not release it when it ends.
 */
export class NativeAgents {
  constructor(
    private readonly deps: EngagementDeps & {
      /** A slot is free again: the poll loop asks for another assignment. */
      onRerouted?: () => void;
    },
  ) {}

  /**
   * A fresh offer is only marked: the poll loop answers it right after the ingest that drew it (accept,
   * then `reroute`). A live engagement gets the summary as a message its agents see and the end user does
   * not (postMessage `visibility: NOT_ENDUSER`), then is rerouted at once.
   */
  async handOver(conversation: ConversationHandle, handOver: NativeHandOver): Promise<void> {
    const engagement = conversation.nativeId();
    if (!engagement) throw new PermanentError('rightnow: no engagement linked to the conversation');
    await this.mark(engagement).set('1', MARK_TTL_MS);
    if (handOver.fresh) return;
    if (handOver.summary) {
      const messageId = messageIdFor(`${conversation.id}:hand-back-summary`);
      await post(this.deps.session, Number(engagement), messageId, handOver.summary, false, 'NOT_ENDUSER');
    }
    await this.reroute(engagement);
  }

  async isMarked(engagementId: string): Promise<boolean> {
    return (await this.mark(engagementId).get()) !== undefined;
  }

  /**
   * To the escalation queue, once accepted (the poll loop accepts a marked offer like any other, so the
   * end user's client is known and a later disconnect is placed). A transient failure throws (the loop
   * retries the batch); a refusal that cannot change is logged.
   */
  async reroute(engagementId: string): Promise<void> {
    try {
      await this.deps.session.call('rerouteEngagement', { engagementId: Number(engagementId) });
    } catch (err) {
      if (err instanceof ConversationGoneError) return;
      if (err instanceof PermanentError) {
        this.deps.logger.error('rightnow rerouteEngagement refused: the engagement stays with the automated agent', {
          tenant: this.deps.tenantId,
          error: err.message,
        });
        return;
      }
      throw err;
    }
    this.deps.onRerouted?.();
  }

  /** LEGACY: with the key earlier releases used, until MovedKey goes (src/store/moved-key.ts). */
  private mark(engagementId: string): MovedKey {
    const { store, key, tenantId, agentAccountId } = this.deps;
    return new MovedKey(store, key('native', agentAccountId, engagementId), store.key('rightnow', 'native', tenantId, agentAccountId, engagementId));
  }
}
