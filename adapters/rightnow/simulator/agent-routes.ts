import type express from 'express';
import type { Request, Response } from 'express';
import { jwtVerify } from 'jose';
import {
  type AgentOperation,
  AssignmentAcknowledgementRequest,
  ConcludeChatRequest,
  CreateAgentSessionRequest,
  GetMessagesRequest,
  LogoffRequest,
  PostMessageRequest,
  RequestAssignmentRequest,
  SetInteractionStatusRequest,
} from '../wire.js';
import { parse, recorded, refuse, type RouteContext } from './http.js';
import type { SimSession } from './state.js';

/** The chat server's agent API: strict about headers, pool, enums, sequence numbers and engagements. */
export function mountAgentApi(app: express.Express, ctx: RouteContext): void {
  const handle = recorded(ctx);
  const base = `/engagement/api/agent/${ctx.options.siteName}/v1`;
  const chat = (operation: AgentOperation, fn: (req: Request, session: SimSession, res: Response) => Promise<unknown>) =>
    app.post(`${base}/${operation}`, handle(operation, async (req, res) => {
      const session = sessionOf(req);
      checkPool(req, session.pool);
      const reply = await fn(req, session, res);
      return reply === undefined ? undefined : { chatSystemError: null, sessionId: session.id, clientId: session.clientId, clientIdString: String(session.clientId), ...(reply as object) };
    }));

  /** A session keeps its pool until it has been told of a move (ChatConfigChangeNotification). */
  const checkPool = (req: Request, pool: string) => {
    if (!/^application\/json/i.test(req.headers['content-type'] ?? '')) throw refuse('BAD_REQUEST', 'Content-Type must be application/json');
    if (req.query.pool !== pool) throw refuse('BAD_REQUEST', 'pool: unknown or missing pool');
  };

  const sessionOf = (req: Request): SimSession => {
    const id = req.headers['x-jsessionid'];
    const session = typeof id === 'string' ? ctx.state.sessions.get(id) : undefined;
    if (!session || req.headers['x-aid'] !== session.agentAccountId) throw refuse('ACCESS_DENIED', 'agent session unknown');
    return session;
  };

  /** Every sequenced request must go above the last one this session accepted. */
  const takeSequence = (session: SimSession, sequenceNumber: number | undefined, required: boolean) => {
    if (sequenceNumber === undefined) {
      if (required) throw refuse('INVALID_FIELD', 'sequenceNumber: required');
      return;
    }
    if (sequenceNumber <= session.lastSequence) {
      throw refuse('INVALID_FIELD', `sequenceNumber: ${sequenceNumber} does not increase on this session`);
    }
    session.lastSequence = sequenceNumber;
  };

  const engagementOf = (session: SimSession, id: number) => {
    const e = ctx.state.engagements.get(id);
    if (!e || e.agentAccountId !== session.agentAccountId) throw refuse('INVALID_FIELD', 'engagementId: unknown engagement');
    return e;
  };

  app.post(`${base}/createAutomatedAgentSession`, handle('createAutomatedAgentSession', async (req) => {
    checkPool(req, ctx.options.pool);
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const claims = bearer ? await jwtVerify(bearer, ctx.secret).catch(() => undefined) : undefined;
    if (!claims || claims.payload.aid !== ctx.options.agentAccountId) throw refuse('ACCESS_DENIED', 'invalid or missing JWT');
    const body = parse(CreateAgentSessionRequest, req.body);
    const session = ctx.state.createSession(ctx.options.agentAccountId, ctx.options.pool, body.logonOverride ?? false);
    if (body.sequenceNumber !== undefined) session.lastSequence = body.sequenceNumber;
    return { chatSystemError: null, sessionId: session.id, clientId: session.clientId, clientIdString: String(session.clientId), chatLogonResult: { resultCode: 'SUCCESS' } };
  }));

  chat('requestAssignment', async (req, session) => {
    const body = parse(RequestAssignmentRequest, req.body);
    takeSequence(session, body.sequenceNumber, false);
    if (body.assignmentRequested) ctx.state.requestAssignment(session, body.maxSessionCount);
    return { chatRequestAssignmentResult: { resultCode: 'SUCCESS' } };
  });

  chat('assignmentAcknowledgement', async (req, session) => {
    const body = parse(AssignmentAcknowledgementRequest, req.body);
    const e = engagementOf(session, body.engagementId);
    if (e.sessionId !== session.id || (e.state !== 'offered' && e.state !== 'active')) {
      throw refuse('INVALID_FIELD', 'engagementId: not offered to this session');
    }
    takeSequence(session, body.sequenceNumber, false);
    if (body.action === 'ACCEPT') e.state = 'active';
    return { chatAssignmentAcknowledgementResult: { clientList: [{ clientId: session.clientId }, { clientId: e.endUserClientId }] } };
  });

  chat('postMessage', async (req, session) => {
    const body = parse(PostMessageRequest, req.body);
    if (body.destinationType !== 'ENGAGEMENT') throw refuse('INVALID_FIELD', 'destinationType: must be ENGAGEMENT');
    const e = engagementOf(session, body.destinationId);
    if (e.endUserLeft || e.state === 'concluded') throw refuse('CONFLICT', 'the lead participant has left the engagement');
    if (e.state !== 'active' || e.sessionId !== session.id) throw refuse('INVALID_FIELD', 'destinationId: engagement not accepted by this session');
    takeSequence(session, body.sequenceNumber, true);
    ctx.state.posts.push({ engagementId: e.id, sessionId: session.id, ...body, sequenceNumber: body.sequenceNumber! });
    // Our own post comes back in getMessages, as it does for every participant.
    ctx.state.push(session, 'ChatPostMessage', { engagementId: e.id, body: body.body, messageId: body.messageId, senderId: session.clientId, senderType: 'AGENT' });
    const now = Date.now();
    return { chatPostResult: { clientReset: 0 }, clientSendTime: body.timeCreated, serviceStartTime: now, serviceFinishTime: now, sequenceNumber: body.sequenceNumber, sequenceNumberString: String(body.sequenceNumber) };
  });

  chat('setInteractionStatus', async (req, session) => {
    const body = parse(SetInteractionStatusRequest, req.body);
    const e = engagementOf(session, body.engagementId);
    if (body.clientId !== session.clientId) throw refuse('INVALID_FIELD', 'clientId: not this session\'s client');
    if (e.state !== 'active') throw refuse(e.state === 'concluded' ? 'CONFLICT' : 'INVALID_FIELD', 'engagement not active');
    takeSequence(session, body.sequenceNumber, false);
    ctx.state.interactions.push({ engagementId: e.id, mode: body.mode });
    return {};
  });

  chat('concludeChat', async (req, session) => {
    const body = parse(ConcludeChatRequest, req.body);
    const e = engagementOf(session, body.engagementId);
    if (e.state === 'concluded') throw refuse('CONFLICT', 'the engagement is already concluded');
    takeSequence(session, body.sequenceNumber, false);
    ctx.state.agentConcludes(session, e);
    return {};
  });

  chat('logoff', async (req, session) => {
    const body = parse(LogoffRequest, req.body);
    takeSequence(session, body.sequenceNumber, false);
    ctx.state.endSession(session.id);
    return {};
  });

  chat('getMessages', async (req, session, res) => {
    parse(GetMessagesRequest, req.body);
    if (session.polling) throw refuse('BAD_REQUEST', 'only one getMessages at a time per agent session');
    session.polling = true;
    await holdUntilMessages(ctx, session, res);
    session.polling = false;
    if (res.destroyed) return undefined;
    if (!ctx.state.sessions.has(session.id)) throw refuse('ACCESS_DENIED', 'agent session ended');
    const items = session.queue.splice(0);
    for (const m of items) if (m.type === 'ChatConfigChangeNotification') session.pool = String(m.body.pool);
    return envelope(ctx, session, items.length > 0 ? items : [{ type: 'ChatGetTimeout', body: {} }]);
  });
}

function holdUntilMessages(ctx: RouteContext, session: SimSession, res: Response): Promise<void> {
  if (session.queue.length > 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      session.wake = undefined;
      ctx.holds.delete(done);
      resolve();
    };
    const timer = setTimeout(done, ctx.options.pollHoldMs);
    session.wake = done;
    ctx.holds.add(done);
    res.on('close', done);
  });
}

function envelope(ctx: RouteContext, session: SimSession, items: { type: string; body: Record<string, unknown> }[]) {
  if (ctx.options.envelope === 'reference') return { getResponseTypes: items.map((m) => ({ [m.type]: m.body })) };
  const portal = items.map((m) => ({ ...m.body, chatMessageType: m.type }));
  return { responses: [{ getResponseTypes: portal, sessionId: session.id, chatMessageType: 'ChatGetResponse' }], chatMessageType: 'ChatMessage' };
}
