import { backoffDelay } from '../../src/delivery/backoff.js';
import { AuthExpiredError, ConversationGoneError, PermanentError } from '../../src/errors.js';
import type { ConnectorRuntime } from '../../src/ports/adapter.js';
import { sleep } from '../../src/sleep.js';
import type { AgentApi } from './api.js';
import type { RightNowConfig } from './config.js';
import type { EndUserClients } from './end-users.js';
import type { EngagementRelease } from './engagement-release.js';
import { type InboundBatch, normalizeBatch } from './inbound.js';
import type { PollLease } from './lease.js';
import type { NativeAgents } from './native-agents.js';
import type { AgentSession } from './session.js';
import { AssignmentAcknowledgementReply, END_USER_ROLE, unwrapGetMessages } from './wire.js';

interface PendingBatch {
  batch: InboundBatch;
  ingested: boolean;
  accepted: Set<string>;
  released: Set<string>;
}

/**
 * The long-poll loop of one agent session: RightNow does not push, so the lease holder keeps one
 * getMessages outstanding, hands each batch to the core in order and accepts the offers in it.
 * A batch is kept until it is fully handled (ingested, offers accepted): a failure retries the same
 * batch after a back-off instead of polling past it. Every failure backs off (exponential, jitter,
 * capped), so the loop never spins.
 */
export class PollLoop {
  private readonly stopping = new AbortController();
  /** A gentle stop: the outstanding long poll is answered and its batch handled first. */
  private readonly finishing = new AbortController();
  private inflight: AbortController | undefined;
  private running: Promise<void> | undefined;
  private pending: PendingBatch | undefined;
  private needAssignment = true;
  private failures = 0;

  constructor(
    private readonly deps: {
      session: AgentSession;
      api: AgentApi;
      lease: PollLease;
      runtime: ConnectorRuntime;
      config: RightNowConfig;
      endUsers: EndUserClients;
      release: EngagementRelease;
      native: NativeAgents;
    },
  ) {}

  /** A slot was given back elsewhere (an agent-side end): ask for work again on the next round. */
  wantAssignment(): void {
    this.needAssignment = true;
  }

  start(): void {
    this.running ??= this.run();
  }

  /** Ends the loop promptly: the outstanding long poll and any back-off are aborted. */
  async stop(): Promise<void> {
    this.stopping.abort();
    this.inflight?.abort();
    await this.running;
    this.deps.lease.stopKeepAlive();
  }

  /**
   * Ends the loop once the outstanding long poll is answered and its batch fully handled, so nothing
   * the server has already handed out is lost (aborting a poll can drop a batch the server answered
   * into it). For a hand-over to a new connector, which the poll lease keeps out until then.
   */
  async finish(): Promise<void> {
    this.finishing.abort();
    await this.running;
    this.deps.lease.stopKeepAlive();
  }

  private get stopped(): boolean {
    return this.stopping.signal.aborted;
  }

  private get finished(): boolean {
    return this.finishing.signal.aborted && !this.pending;
  }

  private async run(): Promise<void> {
    const { lease } = this.deps;
    while (!this.stopped && !this.finished) {
      try {
        if (!this.pending) {
          if (!(await lease.acquire())) {
            lease.stopKeepAlive();
            this.needAssignment = true;
            await this.sleep(lease.ttlMs / 3);
            continue;
          }
          lease.keepAlive(() => this.inflight?.abort());
          this.pending = { batch: await this.fetch(), ingested: false, accepted: new Set(), released: new Set() };
        }
        await this.handle(this.pending);
        this.pending = undefined;
        this.failures = 0;
      } catch (err) {
        if (this.stopped) break;
        await this.recover(err);
      }
    }
  }

  private async fetch(): Promise<InboundBatch> {
    const { session, api, config, runtime } = this.deps;
    if (this.needAssignment) {
      // UNKNOWN: what idleSessionCount should say for an automated agent; 0 asks for work up to the maximum.
      await session.call('requestAssignment', {
        assignmentRequested: true,
        idleSessionCount: 0,
        maxSessionCount: config.maxSessionCount,
      });
      this.needAssignment = false;
    }
    this.inflight = new AbortController();
    // Tied to stop() too, in case stop() came while the previous step was still running.
    const signal = AbortSignal.any([this.inflight.signal, this.stopping.signal]);
    const { reply, state } = await session.read(async (target, state) => ({
      reply: await api.call('getMessages', target, { timeCreated: Date.now() }, { signal, timeoutMs: config.pollTimeoutMs }),
      state,
    }));
    runtime.received(reply);
    const items = unwrapGetMessages(reply);
    if (!items) runtime.unrecognized('envelope', 'getMessages reply in neither known envelope', reply);
    const batch = await normalizeBatch(items ?? [], {
      ownClientId: state.clientId,
      epoch: state.epoch,
      endUserEngagement: (clientId) => this.deps.endUsers.engagementOf(clientId),
    });
    for (const { type, reason } of batch.ignored) runtime.drop('vendor', reason, { type });
    // Loud on purpose: what we cannot read may be a wrong guess about the vendor's format.
    for (const { type, what, reason, payload } of batch.unreadable) runtime.unrecognized(what, `${type}: ${reason}`, payload);
    return batch;
  }

  private async handle(pending: PendingBatch): Promise<void> {
    const { session, runtime } = this.deps;
    const { batch } = pending;
    if (batch.pool) await session.changePool(batch.pool);
    if (batch.endUsers.size > 0) await this.deps.endUsers.remember(batch.endUsers);
    if (!pending.ingested && batch.events.length > 0) await runtime.ingest(batch.events);
    pending.ingested = true;
    // The ingest may have left an offer to RightNow's own agents (native share): accepted, then rerouted.
    for (const engagementId of batch.offers) {
      if (pending.accepted.has(engagementId)) continue;
      const native = await this.deps.native.isMarked(engagementId);
      if ((await this.accept(engagementId)) && native) await this.deps.native.reroute(engagementId);
      pending.accepted.add(engagementId);
    }
    for (const engagementId of batch.ended) {
      if (pending.released.has(engagementId)) continue;
      // One rerouted to RightNow's own agents is theirs: concluding it would end their chat.
      if (!(await this.deps.native.isMarked(engagementId))) await this.deps.release.release(engagementId);
      pending.released.add(engagementId);
    }
    if (batch.capacityFreed) this.needAssignment = true;
    if (batch.sessionEnded) {
      await session.renew();
      this.needAssignment = true;
    }
  }

  /** Accepts an offer (true); one that can no longer be accepted ends the conversation it started (false). */
  private async accept(engagementId: string): Promise<boolean> {
    try {
      const { reply } = await this.deps.session.call(
        'assignmentAcknowledgement',
        { action: 'ACCEPT', actionType: 'AUTO', assignmentType: 'LEAD', engagementId: Number(engagementId) },
        { reply: AssignmentAcknowledgementReply },
      );
      const clients = reply.chatAssignmentAcknowledgementResult?.clientList ?? [];
      await this.deps.endUsers.remember(
        clients.flatMap((c) => (c.role === END_USER_ROLE && c.clientId !== undefined ? [[String(c.clientId), engagementId] as [string, string]] : [])),
      );
      return true;
    } catch (err) {
      if (!(err instanceof PermanentError || err instanceof ConversationGoneError)) throw err;
      await this.deps.runtime.ingest([
        {
          id: `rightnow:${engagementId}:offer-failed`,
          kind: 'conversation.ended',
          origin: { platform: 'rightnow', conversationId: engagementId },
          sender: { role: 'system' },
          timestamp: new Date().toISOString(),
          endedBy: 'system',
          reason: `the offer could not be accepted (${err.vendorCode ?? err.status ?? 'refused'})`,
        },
      ]);
      return false;
    }
  }

  private async recover(err: unknown): Promise<void> {
    const { session, runtime } = this.deps;
    this.failures += 1;
    runtime.logger.warn('rightnow poll loop failed; backing off', {
      tenant: runtime.tenantId,
      error: err instanceof Error ? err.message : String(err),
      failures: this.failures,
    });
    if (err instanceof AuthExpiredError) {
      this.needAssignment = true;
      await session.renew().catch((renewErr: unknown) =>
        runtime.logger.warn('rightnow session could not be re-established', {
          tenant: runtime.tenantId,
          error: renewErr instanceof Error ? renewErr.message : String(renewErr),
        }),
      );
    }
    const { minBackoffMs, maxBackoffMs } = this.deps.config;
    await this.sleep(backoffDelay(this.failures, { minBackoffMs, maxBackoffMs }));
  }

  /** Waits, cut short by stop(), and by finish() unless a batch is still to be handled. */
  private async sleep(ms: number): Promise<void> {
    if (this.stopped || this.finished) return;
    await sleep(ms, this.pending ? this.stopping.signal : AbortSignal.any([this.stopping.signal, this.finishing.signal]));
  }
}
