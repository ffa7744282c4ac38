import express, { type Request, type Response } from 'express';
import { jwtVerify, SignJWT } from 'jose';
import type { z } from 'zod';
import {
  APPLICATION_CONTEXT_HEADER,
  AssignmentAcknowledgementRequest,
  type AgentOperation,
  CONNECT_REST_SETTINGS_PATH,
  CONNECT_REST_TOKENS_PATH,
  ConcludeChatRequest,
  CreateAgentSessionRequest,
  EXCEPTION_STATUS,
  type ExceptionCode,
  GetMessagesRequest,
  LogoffRequest,
  PostMessageRequest,
  RequestAssignmentRequest,
  SetInteractionStatusRequest,
} from '../wire.js';
import type { SimSession, SimState } from './state.js';

export type SimOperation = AgentOperation | 'serviceSettings' | 'agentTokens';

export interface RecordedRequest {
  operation: SimOperation;
  query: Record<string, unknown>;
  headers: Record<string, string | undefined>;
  body: unknown;
}

export interface Injected {
  failure: ExceptionCode | number;
  inBody: boolean;
}

export interface RouteContext {
  state: SimState;
  options: { username: string; password: string; agentAccountId: string; siteName: string; pool: string; pollHoldMs: number; envelope: 'reference' | 'portal' };
  secret: Uint8Array;
  chatServerUrl: () => string;
  requests: RecordedRequest[];
  failures: Map<SimOperation, Injected[]>;
  holds: Set<() => void>;
}

class Refusal extends Error {
  constructor(readonly status: number, readonly code: ExceptionCode | undefined, message: string) {
    super(message);
  }
}

const refuse = (code: ExceptionCode, message: string) => new Refusal(EXCEPTION_STATUS[code], code, message);

function parse<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw refuse('INVALID_FIELD', `${issue.path.join('.') || 'body'}: ${issue.message}`);
  }
  return parsed.data;
}

/** Connect REST and the chat server's agent API on one express app. */
export function buildApp(ctx: RouteContext): express.Express {
  const app = express();
  app.use(express.json({ type: () => true, limit: '1mb' }));

  const handle = (operation: SimOperation, fn: (req: Request, res: Response) => Promise<unknown>) =>
    async (req: Request, res: Response) => {
      ctx.requests.push({ operation, query: { ...req.query }, headers: pickHeaders(req), body: req.body });
      try {
        const injected = ctx.failures.get(operation)?.shift();
        if (injected) return answerInjected(res, operation, injected);
        const reply = await fn(req, res);
        if (reply !== undefined && !res.headersSent) res.status(200).json(reply);
      } catch (err) {
        if (res.headersSent) return;
        if (err instanceof Refusal) res.status(err.status).json({ exceptionCode: err.code, message: err.message });
        else res.status(500).json({ exceptionCode: 'UNKNOWN_EXCEPTION', message: 'simulator failure' });
      }
    };

  const connectAuth = (req: Request) => {
    const expected = `Basic ${Buffer.from(`${ctx.options.username}:${ctx.options.password}`).toString('base64')}`;
    if (req.headers.authorization !== expected) throw new Refusal(401, undefined, 'unauthorized');
    const context = req.headers[APPLICATION_CONTEXT_HEADER];
    if (typeof context !== 'string' || context.length === 0 || context.length > 40) {
      throw new Refusal(400, undefined, 'OSvC-CREST-Application-Context is required (at most 40 characters)');
    }
  };

  app.get(CONNECT_REST_SETTINGS_PATH, handle('serviceSettings', async (req) => {
    connectAuth(req);
    return { domain: ctx.chatServerUrl(), pool: ctx.options.pool, port: Number(new URL(ctx.chatServerUrl()).port), siteName: ctx.options.siteName, links: [] };
  }));

  app.post(CONNECT_REST_TOKENS_PATH, handle('agentTokens', async (req) => {
    connectAuth(req);
    const sessionToken = await new SignJWT({ aid: ctx.options.agentAccountId })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(ctx.secret);
    return { sessionToken };
  }));

  const base = `/engagement/api/agent/${ctx.options.siteName}/v1`;
  const chat = (operation: AgentOperation, fn: (req: Request, session: SimSession, res: Response) => Promise<unknown>) =>
    app.post(`${base}/${operation}`, handle(operation, async (req, res) => {
      checkPool(req);
      const session = sessionOf(req);
      const reply = await fn(req, session, res);
      return reply === undefined ? undefined : { chatSystemError: null, sessionId: session.id, clientId: session.clientId, clientIdString: String(session.clientId), ...(reply as object) };
    }));

  const checkPool = (req: Request) => {
    if (!/^application\/json/i.test(req.headers['content-type'] ?? '')) throw refuse('BAD_REQUEST', 'Content-Type must be application/json');
    if (req.query.pool !== ctx.options.pool) throw refuse('BAD_REQUEST', 'pool: unknown or missing pool');
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
    checkPool(req);
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const claims = bearer ? await jwtVerify(bearer, ctx.secret).catch(() => undefined) : undefined;
    if (!claims || claims.payload.aid !== ctx.options.agentAccountId) throw refuse('ACCESS_DENIED', 'invalid or missing JWT');
    const body = parse(CreateAgentSessionRequest, req.body);
    const session = ctx.state.createSession(ctx.options.agentAccountId, body.logonOverride ?? false);
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
    return envelope(ctx, session, items.length > 0 ? items : [{ type: 'ChatGetTimeout', body: {} }]);
  });

  app.use((err: unknown, _req: Request, res: Response, _next: express.NextFunction) => {
    res.status(400).json({ exceptionCode: 'BAD_REQUEST', message: err instanceof SyntaxError ? 'malformed JSON' : 'bad request' });
  });
  return app;
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

function answerInjected(res: Response, operation: SimOperation, injected: Injected): void {
  if (typeof injected.failure === 'number') {
    res.status(injected.failure).json({});
  } else if (injected.inBody) {
    res.status(200).json({ chatSystemError: { errorCondition: injected.failure, type: injected.failure, text: `injected on ${operation}` } });
  } else {
    res.status(EXCEPTION_STATUS[injected.failure]).json({ exceptionCode: injected.failure, message: `injected on ${operation}` });
  }
}

function pickHeaders(req: Request): Record<string, string | undefined> {
  const names = ['authorization', 'x-aid', 'x-jsessionid', 'content-type', APPLICATION_CONTEXT_HEADER];
  return Object.fromEntries(names.map((n) => [n, req.headers[n] as string | undefined]));
}
