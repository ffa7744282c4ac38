import { randomBytes } from 'node:crypto';

/**
 * What the fake chat server knows: agent sessions with their message queues and long polls, and
 * engagements with what each side said. Independent of the adapter; the HTTP layer (routes.ts) only
 * validates requests and calls into this.
 */

export interface QueuedMessage {
  type: string;
  body: Record<string, unknown>;
}

export interface SimSession {
  id: string;
  agentAccountId: string;
  pool: string;
  clientId: number;
  /** Highest client transaction sequence number accepted on this session. */
  lastSequence: number;
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

export type EngagementState = 'queued' | 'offered' | 'active' | 'concluded';

export interface SimEngagement {
  id: number;
  state: EngagementState;
  agentAccountId?: string;
  sessionId?: string;
  customer: CustomerProfile;
  endUserClientId: number;
  endUserLeft: boolean;
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
  /** Messages an ended session never retrieved, per agent account, for its next session. */
  private readonly undelivered = new Map<string, QueuedMessage[]>();
  private nextEngagementId = 1000;
  private nextClientId = 40;
  private nextServerSequence = 1;

  createSession(agentAccountId: string, pool: string, logonOverride: boolean): SimSession {
    if (logonOverride) {
      for (const s of this.sessions.values()) if (s.agentAccountId === agentAccountId) this.endSession(s.id);
    }
    const session: SimSession = {
      id: `node0${randomBytes(12).toString('hex')}`,
      agentAccountId,
      pool,
      clientId: this.nextClientId++,
      lastSequence: 0,
      queue: [],
      polling: false,
      assignmentRequested: false,
      maxSessionCount: 0,
    };
    this.sessions.set(session.id, session);
    // The agent's engagements, and what it had not retrieved yet, follow it to its new session.
    session.queue.push(...(this.undelivered.get(agentAccountId) ?? []));
    this.undelivered.delete(agentAccountId);
    for (const e of this.engagements.values()) {
      if (e.agentAccountId !== agentAccountId || (e.state !== 'offered' && e.state !== 'active')) continue;
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

  push(session: SimSession, type: string, body: Record<string, unknown>): void {
    session.queue.push({ type, body: { ...body, sequenceNumber: this.nextServerSequence++, createdTime: Date.now() } });
    session.wake?.();
  }

  requestAssignment(session: SimSession, maxSessionCount: number): void {
    session.assignmentRequested = true;
    session.maxSessionCount = maxSessionCount;
    this.assignQueued();
  }

  private activeCount(session: SimSession): number {
    let n = 0;
    for (const e of this.engagements.values()) if (e.sessionId === session.id && e.state !== 'concluded') n += 1;
    return n;
  }

  private assignQueued(): void {
    for (const e of this.engagements.values()) {
      if (e.state !== 'queued') continue;
      const session = [...this.sessions.values()].find(
        (s) => s.assignmentRequested && this.activeCount(s) < s.maxSessionCount,
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
      endUserLeft: false,
      backlog: [],
    };
    this.engagements.set(e.id, e);
    this.assignQueued();
    return e;
  }

  /** Something the end user did: to the agent session holding the engagement, or kept until one does. */
  fromEndUser(engagementId: number, type: string, body: Record<string, unknown>): void {
    const e = this.engagements.get(engagementId);
    if (!e || e.state === 'concluded') throw new Error(`engagement ${engagementId} is not open`);
    const full = { engagementId: e.id, engagementIdString: String(e.id), senderId: e.endUserClientId, senderType: 'END_USER', ...body };
    const session = e.sessionId ? this.sessions.get(e.sessionId) : undefined;
    if (session && e.state !== 'queued') this.push(session, type, full);
    else e.backlog.push({ type, body: full });
  }

  endUserLeaves(engagementId: number): void {
    const e = this.engagements.get(engagementId);
    if (!e || e.state === 'concluded') throw new Error(`engagement ${engagementId} is not open`);
    this.fromEndUser(engagementId, 'ChatParticipantLeftNotification', { clientId: e.endUserClientId, role: 'END_USER', reason: 'DISCONNECTED' });
    this.fromEndUser(engagementId, 'ChatEngagementConcludedNotification', { reason: 'END_USER_LEFT' });
    e.endUserLeft = true;
    e.state = 'concluded';
  }

  agentConcludes(session: SimSession, e: SimEngagement): void {
    e.state = 'concluded';
    this.concluded.push(e.id);
    this.push(session, 'ChatDisconnectNotification', { engagementId: e.id, engagementIdString: String(e.id), reason: 'AGENT_CONCLUDED' });
  }
}
