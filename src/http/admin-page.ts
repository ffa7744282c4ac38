import { createHmac } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import type { Bridge } from '../bridge.js';
import { LiveConversations } from '../routing/live-conversations.js';
import { sameSecret } from './admin.js';
import { ADMIN_PAGE_CSP, escapeHtml, renderStatusPage } from './admin-page-html.js';

const COOKIE = 'chatbridge_admin';
const SESSION_SECONDS = 8 * 3600;
const LIVE_PER_TENANT = 50;
const DEAD_LETTERS_SHOWN = 20;

/**
 * The session cookie is not the admin token: it is an expiry signed with it (HMAC), so a leaked cookie
 * is worth a few hours of this read-only page, never the token that also drives the JSON admin API,
 * and changing the token ends every session.
 */
function sessionValue(adminToken: string, expires: number): string {
  return `${expires}.${createHmac('sha256', adminToken).update(`chatbridge-admin-page:${expires}`).digest('base64url')}`;
}

function cookieOf(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

function validSession(value: string | undefined, adminToken: string): boolean {
  const expires = Number(value?.split('.')[0]);
  if (!value || !Number.isInteger(expires) || expires * 1000 < Date.now()) return false;
  return sameSecret(value, sessionValue(adminToken, expires));
}

function bearerOf(req: Request): string | undefined {
  const header = req.headers.authorization ?? '';
  return header.startsWith('Bearer ') ? header.slice(7) : undefined;
}

function securityHeaders(res: Response): void {
  res.setHeader('Content-Security-Policy', ADMIN_PAGE_CSP);
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
}

function refuse(res: Response, status: number, message: string): void {
  res.status(status).type('html').send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>chatbridge status</title></head>
<body><h1>chatbridge status</h1><p>${escapeHtml(message)}</p></body></html>\n`);
}

/**
 * GET /admin: a read-only, server-rendered status page. Scripts send `Authorization: Bearer <adminToken>`.
 * A browser cannot put that header on an address-bar request, so `/admin?token=...` is accepted once:
 * it sets an HttpOnly, SameSite=Strict session cookie and redirects to `/admin`, so the token leaves the
 * address bar, the history and any Referer at once. Mounted before the JSON admin router.
 */
export function adminPageRouter(bridge: Bridge): Router {
  const router = express.Router({ strict: true });
  router.get('/admin', async (req, res) => {
    securityHeaders(res);
    const adminToken = bridge.config.server.adminToken;
    if (!adminToken) return refuse(res, 403, 'The admin page is off: set server.adminToken.');

    if (typeof req.query.token === 'string') {
      if (!sameSecret(req.query.token, adminToken)) return refuse(res, 401, 'That admin token is not valid.');
      const expires = Math.floor(Date.now() / 1000) + SESSION_SECONDS;
      const secure = req.secure ? '; Secure' : '';
      res.setHeader('Set-Cookie', `${COOKIE}=${sessionValue(adminToken, expires)}; Path=/admin; Max-Age=${SESSION_SECONDS}; HttpOnly; SameSite=Strict${secure}`);
      return res.redirect(303, '/admin');
    }

    const bearer = bearerOf(req);
    const authorized = bearer !== undefined ? sameSecret(bearer, adminToken) : validSession(cookieOf(req, COOKIE), adminToken);
    if (!authorized) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="chatbridge-admin"');
      return refuse(res, 401, 'Send Authorization: Bearer <admin token>, or open /admin?token=<admin token> once in this browser.');
    }

    const live = new LiveConversations(bridge.store);
    const [queueDepth, deadLetterCount, deadLetters, tenants] = await Promise.all([
      bridge.queue.depth(),
      bridge.queue.deadLetterCount(),
      bridge.queue.listDeadLetters(DEAD_LETTERS_SHOWN),
      Promise.all(bridge.config.tenants.map(async (tenant) => ({ tenant, live: await live.list(tenant.id, LIVE_PER_TENANT) }))),
    ]);
    res.type('html').send(
      renderStatusPage({
        generatedAt: new Date().toISOString(),
        store: bridge.store.kind,
        queueDepth,
        deadLetterCount,
        deadLetters,
        tenants,
        liveLimit: LIVE_PER_TENANT,
        connectors: bridge.health.list(),
        unrecognized: bridge.unrecognized.list(),
        inboundGaps: bridge.inboundGaps.list(),
      }),
    );
  });
  return router;
}
