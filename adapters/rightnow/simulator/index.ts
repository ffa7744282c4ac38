import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { mountAgentApi } from './agent-routes.js';
import { mountConnectRest } from './connect-routes.js';
import { type Injected, jsonErrors, type RecordedRequest, type RouteContext, type SimOperation } from './http.js';
import { type CustomerProfile, type PostRecord, SimState } from './state.js';
import { DEFAULT_SHAPES, poolChangeBody, type ShapeSwitches } from './variants.js';
import type { Code } from './vendor-schemas.js';

export type { PostRecord, RecordedRequest, ShapeSwitches, SimOperation };

export interface RightNowSimulatorOptions extends Partial<ShapeSwitches> {
  port?: number;
  /** Connect REST API user (Basic auth). */
  username?: string;
  password?: string;
  /** The automated agent's account id: the only X-AID the chat server accepts. */
  agentAccountId?: string | number;
  siteName?: string;
  pool?: string;
  /** How long getMessages holds an empty poll (the real server: about 30 s). */
  pollHoldMs?: number;
}

export interface RightNowSimulator {
  /** Origin of both Connect REST (the tenant's `siteUrl`) and the chat server. */
  url: string;
  close(): Promise<void>;
  /** Every request, in arrival order, with the headers that matter and the parsed body. */
  requests: RecordedRequest[];
  /** Accepted postMessage requests. */
  posts: PostRecord[];
  postsFor(engagementId: string | number): PostRecord[];
  interactions: { engagementId: number; mode: string }[];
  /** Engagements concluded by the agent (concludeChat accepted), and released (releaseChat accepted), in order. */
  concluded: number[];
  released: number[];
  /** Engagements rerouted to the site's escalation queue (its human agents), and offers declined, in order. */
  rerouted: number[];
  declined: number[];
  /** What end users did after their engagement was rerouted: seen by the site's human agents, never by the automated agent. */
  escalated: { engagementId: number; type: string; body: Record<string, unknown> }[];
  /** Every message getMessages handed out, as queued (before the envelope), with the session it went to. */
  emitted: { sessionId: string; type: string; body: Record<string, unknown> }[];
  /** Live agent session ids. */
  sessionIds(): string[];
  engagementState(engagementId: string | number): string | undefined;
  customerStartsChat(profile?: CustomerProfile): string;
  /** An end-user post; `messageId` is sent when given, else as `endUserPosts` says. */
  customerSays(engagementId: string | number, text: string, options?: { messageId?: string }): void;
  customerTyping(engagementId: string | number, typing: boolean): void;
  customerLeaves(engagementId: string | number): void;
  /** Moves the chat server to another pool: each session is told (ChatConfigChangeNotification) and, once told, must use it. */
  movePool(pool: string): void;
  /** Any message, straight to every live session: for shapes no scenario produces. */
  notify(type: string, body: Record<string, unknown>): void;
  /** Forgets every live agent session (or the one named): later calls with it answer 403 ACCESS_DENIED. */
  expireSession(sessionId?: string): void;
  /**
   * The next `times` calls of `operation` fail: an exception code answers 200 with `chatSystemError`
   * (or its HTTP status with `{exceptionCode}` when `inBody` is false); a number answers that status.
   */
  failNext(operation: SimOperation, failure: Code | number, options?: { inBody?: boolean; times?: number }): void;
  clearFailures(): void;
  count(operation: SimOperation): number;
}

export async function startRightNowSimulator(options: RightNowSimulatorOptions = {}): Promise<RightNowSimulator> {
  const shapes: ShapeSwitches = {
    envelope: options.envelope ?? DEFAULT_SHAPES.envelope,
    poolChange: options.poolChange ?? DEFAULT_SHAPES.poolChange,
    disconnect: options.disconnect ?? DEFAULT_SHAPES.disconnect,
    endUserLeaves: options.endUserLeaves ?? DEFAULT_SHAPES.endUserLeaves,
    endUserPosts: options.endUserPosts ?? DEFAULT_SHAPES.endUserPosts,
  };
  const state = new SimState(shapes);
  let origin = '';
  const ctx: RouteContext = {
    state,
    options: {
      ...shapes,
      username: options.username ?? 'api-user',
      password: options.password ?? 'api-password',
      agentAccountId: String(options.agentAccountId ?? '12'),
      siteName: options.siteName ?? 'acme_site__tst',
      pool: options.pool ?? '297:1',
      pollHoldMs: options.pollHoldMs ?? 30_000,
    },
    secret: randomBytes(32),
    chatServerUrl: () => origin,
    requests: [],
    failures: new Map(),
    holds: new Set(),
  };
  const app = express();
  app.use(express.json({ type: () => true, limit: '1mb' }));
  mountConnectRest(app, ctx);
  mountAgentApi(app, ctx);
  app.use(jsonErrors());
  const server = app.listen(options.port ?? 0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const id = (e: string | number) => Number(e);

  return {
    url: origin,
    requests: ctx.requests,
    posts: state.posts,
    postsFor: (e) => state.posts.filter((p) => p.engagementId === id(e)),
    interactions: state.interactions,
    concluded: state.concluded,
    released: state.released,
    rerouted: state.rerouted,
    declined: state.declined,
    escalated: state.escalated,
    emitted: state.emitted,
    sessionIds: () => [...state.sessions.keys()],
    engagementState: (e) => state.engagements.get(id(e))?.state,
    customerStartsChat: (profile = {}) => String(state.startEngagement(profile).id),
    customerSays: (e, text, opts = {}) => {
      const messageId = opts.messageId ?? (shapes.endUserPosts === 'with-message-id' ? `u-${randomBytes(6).toString('hex')}` : undefined);
      state.fromEndUser(id(e), 'ChatPostMessage', { body: text, ...(messageId ? { messageId } : {}), richText: false });
    },
    customerTyping: (e, typing) =>
      state.fromEndUser(id(e), 'ChatActivitySignal', { mode: typing ? 'RESPONDING' : 'LISTENING', messageType: 'ACTIVITY_SIGNAL' }),
    customerLeaves: (e) => state.endUserLeaves(id(e)),
    movePool: (pool) => {
      ctx.options.pool = pool;
      for (const session of state.sessions.values()) state.push(session, 'ChatConfigChangeNotification', poolChangeBody(shapes, pool), pool);
    },
    notify: (type, body) => {
      for (const session of state.sessions.values()) state.push(session, type, body);
    },
    expireSession: (sessionId) => {
      for (const s of sessionId ? [sessionId] : [...state.sessions.keys()]) state.endSession(s);
    },
    failNext: (operation, failure, opts = {}) => {
      const list = ctx.failures.get(operation) ?? [];
      const injected: Injected = { failure, inBody: opts.inBody ?? true };
      for (let i = 0; i < (opts.times ?? 1); i++) list.push(injected);
      ctx.failures.set(operation, list);
    },
    clearFailures: () => ctx.failures.clear(),
    count: (operation) => ctx.requests.filter((r) => r.operation === operation).length,
    close: async () => {
      for (const release of [...ctx.holds]) release();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
