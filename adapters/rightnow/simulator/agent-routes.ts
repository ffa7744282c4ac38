import type express from 'express';
import type { Request, Response } from 'express';
import { jwtVerify } from 'jose';
import { parse, recorded, refuse, type RouteContext } from './http.js';
import type { SimEngagement, SimSession } from './state.js';
import { envelope } from './variants.js';
import {
  AcknowledgementBody,
  AssignmentBody,
  EngagementBody,
  InteractionBody,
  LogoffBody,
  LogonBody,
  type Operation,
  PostBody,
  RetrievalBody,
} from './vendor-schemas.js';

/** The chat server's agent API: strict about headers, pool, enums, sequence numbers and engagements. */
export function mountAgentApi(app: express.Express, ctx: RouteContext): void {
  const handle = recorded(ctx);
  const base = `/engagement/api/agent/${ctx.options.siteName}/v1`;
  const chat = (operation: Operation, fn: (req: Request, session: SimSession, res: Response) => Promise<unknown>) =>
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

  const engagementOf = (session: SimSession, id: number): SimEngagement => {
    const e = ctx.state.engagements.get(id);
    if (!e || e.agentAccountId !== session.agentAccountId) throw refuse('INVALID_FIELD', 'engagementId: unknown engagement');
    return e;
  };
  /** "CONFLICT - The lead participant has left the engagement." */
  const gone = (e: SimEngagement) => e.state === 'left' || e.state === 'concluded' || e.state === 'released';

  app.post(`${base}/createAutomatedAgentSession`, handle('createAutomatedAgentSession', async (req) => {
    checkPool(req, ctx.options.pool);
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const claims = bearer ? await jwtVerify(bearer, ctx.secret).catch(() => undefined) : undefined;
    if (!claims || claims.payload.aid !== ctx.options.agentAccountId) throw refuse('ACCESS_DENIED', 'invalid or missing JWT');
    const body = parse(LogonBody, req.body);
    const session = ctx.state.createSession(ctx.options.agentAccountId, ctx.options.pool, body.logonOverride ?? false);
    if (body.sequenceNumber !== undefined) session.lastSequence = body.sequenceNumber;
    return { chatSystemError: null, sessionId: session.id, clientId: session.clientId, clientIdString: String(session.clientId), chatLogonResult: { resultCode: 'SUCCESS' } };
  }));

  chat('requestAssignment', async (req, session) => {
    const body = parse(AssignmentBody, req.body);
    takeSequence(session, body.sequenceNumber, false);
    if (body.assignmentRequested) ctx.state.requestAssignment(session, body.maxSessionCount);
    return { chatRequestAssignmentResult: { resultCode: 'SUCCESS' } };
  });

  chat('assignmentAcknowledgement', async (req, session) => {
    const body = parse(AcknowledgementBody, req.body);
    const e = engagementOf(session, body.engagementId);
    if (e.sessionId !== session.id || (e.state !== 'offered' && e.state !== 'active')) {
      throw refuse('INVALID_FIELD', 'engagementId: not offered to this session');
    }
    takeSequence(session, body.sequenceNumber, false);
    if (body.action === 'DECLINE') {
      if (e.state !== 'offered') throw refuse('INVALID_FIELD', 'action: an accepted engagement cannot be declined');
      ctx.state.agentDeclines(e);
      return { chatAssignmentAcknowledgementResult: { clientList: [] } };
    }
    if (body.action === 'ACCEPT') e.state = 'active';
    const clientList = [
      { clientId: session.clientId, role: 'LEAD', type: 'AGENT' },
      { clientId: e.endUserClientId, role: 'END_USER', type: 'END_USER' },
    ];
    return { chatAssignmentAcknowledgementResult: { clientList } };
  });

  chat('postMessage', async (req, session) => {
    const body = parse(PostBody, req.body);
    if (body.destinationType !== 'ENGAGEMENT') throw refuse('INVALID_FIELD', 'destinationType: must be ENGAGEMENT');
    const e = engagementOf(session, body.destinationId);
    if (gone(e)) throw refuse('CONFLICT', 'the lead participant has left the engagement');
    if (e.state !== 'active' || e.sessionId !== session.id) throw refuse('INVALID_FIELD', 'destinationId: engagement not accepted by this session');
    takeSequence(session, body.sequenceNumber, true);
    ctx.state.posts.push({ engagementId: e.id, sessionId: session.id, ...body, sequenceNumber: body.sequenceNumber! });
    // Our own post comes back in getMessages, as it does for every participant.
    ctx.state.push(session, 'ChatPostMessage', { engagementId: e.id, body: body.body, messageId: body.messageId, senderId: session.clientId, senderType: 'AGENT' });
    const now = Date.now();
    return { chatPostResult: { clientReset: 0 }, clientSendTime: body.timeCreated, serviceStartTime: now, serviceFinishTime: now, sequenceNumber: body.sequenceNumber, sequenceNumberString: String(body.sequenceNumber) };
  });

  chat('setInteractionStatus', async (req, session) => {
    const body = parse(InteractionBody, req.body);
    const e = engagementOf(session, body.engagementId);
    if (body.clientId !== session.clientId) throw refuse('INVALID_FIELD', 'clientId: not this session\'s client');
    if (e.state !== 'active') throw refuse(gone(e) ? 'CONFLICT' : 'INVALID_FIELD', 'engagement not active');
    takeSequence(session, body.sequenceNumber, false);
    ctx.state.interactions.push({ engagementId: e.id, mode: body.mode });
    return {};
  });

  /** The agent goes to wrap-up: allowed while the chat is live or after the end user left. */
  chat('concludeChat', async (req, session) => {
    const body = parse(EngagementBody, req.body);
    const e = engagementOf(session, body.engagementId);
    if (e.state === 'concluded' || e.state === 'released') throw refuse('CONFLICT', 'the engagement is already concluded');
    if (e.state !== 'active' && e.state !== 'left') throw refuse('INVALID_FIELD', 'engagementId: not accepted by this agent');
    takeSequence(session, body.sequenceNumber, false);
    ctx.state.agentConcludes(session, e);
    return {};
  });

  /** Gives the engagement's slot back; until then it counts against maxSessionCount. */
  chat('releaseChat', async (req, session) => {
    const body = parse(EngagementBody, req.body);
    const e = engagementOf(session, body.engagementId);
    if (e.state === 'released') throw refuse('CONFLICT', 'the engagement is already released');
    if (e.state !== 'concluded' && e.state !== 'left') throw refuse('INVALID_FIELD', 'engagementId: conclude the engagement first');
    takeSequence(session, body.sequenceNumber, false);
    ctx.state.agentReleases(e);
    return {};
  });

  /** To the site's escalation queue: only an engagement this agent accepted and that is still live. */
  chat('rerouteEngagement', async (req, session) => {
    const body = parse(EngagementBody, req.body);
    const e = engagementOf(session, body.engagementId);
    if (gone(e) || e.state === 'rerouted') throw refuse('CONFLICT', 'the engagement is no longer with this agent');
    if (e.state !== 'active' || e.sessionId !== session.id) throw refuse('INVALID_FIELD', 'engagementId: not accepted by this session');
    takeSequence(session, body.sequenceNumber, false);
    ctx.state.agentReroutes(e);
    return {};
  });

  chat('logoff', async (req, session) => {
    const body = parse(LogoffBody, req.body);
    takeSequence(session, body.sequenceNumber, false);
    ctx.state.endSession(session.id);
    return {};
  });

  chat('getMessages', async (req, session, res) => {
    parse(RetrievalBody, req.body);
    if (session.polling) throw refuse('BAD_REQUEST', 'only one getMessages at a time per agent session');
    session.polling = true;
    await holdUntilMessages(ctx, session, res);
    session.polling = false;
    if (res.destroyed) return undefined;
    if (!ctx.state.sessions.has(session.id)) throw refuse('ACCESS_DENIED', 'agent session ended');
    const items = session.queue.splice(0);
    for (const m of items) {
      if (m.movesToPool) session.pool = m.movesToPool;
      ctx.state.emitted.push({ sessionId: session.id, type: m.type, body: m.body });
    }
    return envelope(ctx.options, session.id, items.length > 0 ? items : [{ type: 'ChatGetTimeout', body: {} }]);
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
