import { randomBytes } from 'node:crypto';
import { disconnectBody, endUserLeftMessage, type ShapeSwitches } from './variants.js';

/**
 * What the fake chat server knows: agent sessions with their message queues and long polls, and
 * engagements with what each side said. The HTTP layer (agent-routes.ts) only validates requests and
 * calls into this.
 */

export interface QueuedMessage {
  type: string;
  body: Record<string, unknown>;
  /** A pool change takes effect for the session once this message has been handed out. */
  movesToPool?: string;
}

export interface SimSession {
  id: string;
  agentAccountId: string;
  pool: string;
  clientId: number;
  /** Highest client transaction sequence number accepted on this session. */
  lastSequence: number;
  /** Sequence of messages that belong to no engagement (pool changes). */
  channelSequence: number;
  queue: QueuedMessage[];
  /** Wakes the outstanding long poll, if any. */
  wake?: () => void;
  polling: boolean;
  assignmentRequested: boolean;
  maxSessionCount: number;
}

export interface CustomerProfile {
  firstName?: string;
  lastName?: string;
  email?: string;
  subject?: string;
}

/**
 * `left`: the end user is gone, the agent has not concluded; `concluded`: in wrap-up; `released`: the slot
 * is free; `rerouted`: sent to the site's escalation queue, where the site's human agents have it.
 */
export type EngagementState = 'queued' | 'offered' | 'active' | 'left' | 'concluded' | 'released' | 'rerouted';

export interface SimEngagement {
  id: number;
  state: EngagementState;
  agentAccountId?: string;
  sessionId?: string;
  customer: CustomerProfile;
  endUserClientId: number;
  /** The engagement channel's sequence: `logonOverride` resets it to 0. */
  channelSequence: number;
  /** What the end user said before an agent was there, delivered with the offer. */
  backlog: QueuedMessage[];
}

export interface PostRecord {
  engagementId: number;
  sessionId: string;
  body: string;
  messageId?: string;
  sequenceNumber: number;
  richText?: boolean | null;
  visibility?: string;
  timeCreated?: number;
  messageDataMap?: Record<string, string> | null;
}

export class SimState {
  readonly sessions = new Map<string, SimSession>();
  readonly engagements = new Map<number, SimEngagement>();
  readonly posts: PostRecord[] = [];
  readonly interactions: { engagementId: number; mode: string }[] = [];
  readonly concluded: number[] = [];
  readonly released: number[] = [];
  /** Engagements the agent rerouted to the escalation queue, and offers it declined, in order. */
  readonly rerouted: number[] = [];
  readonly declined: number[] = [];
  /** What the end users of rerouted engagements did afterwards: the site's human agents see it, the automated agent does not. */
  readonly escalated: { engagementId: number; type: string; body: Record<string, unknown> }[] = [];
  /** Every message getMessages handed out, per session, as queued (before the envelope). */
  readonly emitted: { sessionId: string; type: string; body: Record<string, unknown> }[] = [];
  /** Messages an ended session never retrieved, per agent account, for its next session. */
  private readonly undelivered = new Map<string, QueuedMessage[]>();
  private nextEngagementId = 1000;
  private nextClientId = 40;

  constructor(private readonly shapes: ShapeSwitches) {}

  createSession(agentAccountId: string, pool: string, logonOverride: boolean): SimSession {
    if (logonOverride) {
      for (const s of this.sessions.values()) if (s.agentAccountId === agentAccountId) this.endSession(s.id);
      for (const e of this.engagements.values()) if (e.agentAccountId === agentAccountId) e.channelSequence = 0;
    }
    const session: SimSession = {
      id: `node0${randomBytes(12).toString('hex')}`,
      agentAccountId,
      pool,
      clientId: this.nextClientId++,
      lastSequence: 0,
      channelSequence: 0,
      queue: [],
      polling: false,
      assignmentRequested: false,
      maxSessionCount: 0,
    };
    this.sessions.set(session.id, session);
    // The agent's engagements, and what it had not retrieved yet (as it was numbered then), follow it.
    session.queue.push(...(this.undelivered.get(agentAccountId) ?? []));
    this.undelivered.delete(agentAccountId);
    for (const e of this.engagements.values()) {
      if (e.agentAccountId !== agentAccountId || e.state === 'queued' || e.state === 'released' || e.state === 'rerouted') continue;
      e.sessionId = session.id;
      if (e.state === 'offered') this.offer(e, session);
      else this.flushBacklog(e, session);
    }
    return session;
  }

  /** Forgets a session: its long poll is woken (to be answered 403), later calls are refused. */
  endSession(id: string): void {
    const session = this.sessions.get(id);
    if (!session) return;
    this.sessions.delete(id);
    const kept = this.undelivered.get(session.agentAccountId) ?? [];
    this.undelivered.set(session.agentAccountId, [...kept, ...session.queue.splice(0)]);
    session.wake?.();
  }

  /** Queues a message, numbered on its engagement's channel (or the session's when it has none). */
  push(session: SimSession, type: string, body: Record<string, unknown>, movesToPool?: string): void {
    const e = typeof body.engagementId === 'number' ? this.engagements.get(body.engagementId) : undefined;
    const sequenceNumber = e ? ++e.channelSequence : ++session.channelSequence;
    session.queue.push({ type, body: { ...body, sequenceNumber, createdTime: Date.now() }, movesToPool });
    session.wake?.();
  }

  requestAssignment(session: SimSession, maxSessionCount: number): void {
    session.assignmentRequested = true;
    session.maxSessionCount = maxSessionCount;
    this.assignQueued();
  }

  /** Engagements the agent holds until it releases them, whatever became of them. */
  private held(agentAccountId: string): number {
    let n = 0;
    for (const e of this.engagements.values()) {
      if (e.agentAccountId === agentAccountId && e.state !== 'queued' && e.state !== 'released' && e.state !== 'rerouted') n += 1;
    }
    return n;
  }

  private assignQueued(): void {
    for (const e of this.engagements.values()) {
      if (e.state !== 'queued') continue;
      const session = [...this.sessions.values()].find(
        (s) => s.assignmentRequested && this.held(s.agentAccountId) < s.maxSessionCount,
      );
      if (!session) return;
      e.state = 'offered';
      e.sessionId = session.id;
      e.agentAccountId = session.agentAccountId;
      this.offer(e, session);
    }
  }

  private offer(e: SimEngagement, session: SimSession): void {
    this.push(session, 'ChatEngagementAssignmentNotification', {
      engagementId: e.id,
      engagementIdString: String(e.id),
      assignmentType: 'LEAD',
      ...e.customer,
    });
    this.flushBacklog(e, session);
  }

  private flushBacklog(e: SimEngagement, session: SimSession): void {
    for (const m of e.backlog) this.push(session, m.type, m.body);
    e.backlog = [];
  }

  startEngagement(customer: CustomerProfile): SimEngagement {
    const e: SimEngagement = {
      id: this.nextEngagementId++,
      state: 'queued',
      customer,
      endUserClientId: this.nextClientId++,
      channelSequence: 0,
      backlog: [],
    };
    this.engagements.set(e.id, e);
    this.assignQueued();
    return e;
  }

  /** Something the end user did: to the agent session holding the engagement, or kept until one does. */
  fromEndUser(engagementId: number, type: string, body: Record<string, unknown>, full = true): void {
    const e = this.engagements.get(engagementId);
    if (e?.state === 'rerouted') {
      this.escalated.push({ engagementId, type, body });
      return;
    }
    if (!e || (e.state !== 'queued' && e.state !== 'offered' && e.state !== 'active')) {
      throw new Error(`engagement ${engagementId} is not open`);
    }
    const message = full
      ? { engagementId: e.id, engagementIdString: String(e.id), senderId: e.endUserClientId, senderType: 'END_USER', ...body }
      : body;
    const session = e.sessionId ? this.sessions.get(e.sessionId) : undefined;
    if (session && e.state !== 'queued') this.push(session, type, message);
    else e.backlog.push({ type, body: message });
  }

  endUserLeaves(engagementId: number): void {
    const e = this.engagements.get(engagementId);
    if (!e) throw new Error(`engagement ${engagementId} is not open`);
    const { type, body } = endUserLeftMessage(this.shapes, e.id, e.endUserClientId);
    this.fromEndUser(engagementId, type, body, false);
    // A chat nobody accepted yet is withdrawn; an accepted one the agent holds until it releases it.
    if (e.state !== 'rerouted') e.state = e.state === 'active' ? 'left' : 'released';
  }

  agentConcludes(session: SimSession, e: SimEngagement): void {
    e.state = 'concluded';
    this.concluded.push(e.id);
    const body = disconnectBody(this.shapes, { engagementId: e.id, clientId: session.clientId, reason: 'AGENT_CONCLUDED' });
    this.push(session, 'ChatDisconnectNotification', body);
  }

  /** The chat leaves this agent for the escalation queue: its slot is free, nothing more reaches the agent. */
  agentReroutes(e: SimEngagement): void {
    e.state = 'rerouted';
    this.rerouted.push(e.id);
    this.assignQueued();
  }

  /**
   * A declined offer goes back to the queue, for whichever agent routing offers it to next: nothing in
   * the reference says the agent that declined is skipped, so this one may be offered it again.
   */
  agentDeclines(e: SimEngagement): void {
    e.state = 'queued';
    e.sessionId = undefined;
    e.agentAccountId = undefined;
    this.declined.push(e.id);
  }

  agentReleases(e: SimEngagement): void {
    e.state = 'released';
    this.released.push(e.id);
    this.assignQueued();
  }
}
