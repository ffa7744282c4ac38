import express, { type Router } from 'express';
import type { Bridge } from '../bridge.js';
import { LiveConversations } from '../routing/live-conversations.js';
import { sameSecret } from './admin.js';
import { renderStatusPage } from './admin-page-html.js';
import { adminCaller, pageMessage, SESSION_COOKIE, SESSION_SECONDS, securityHeaders, sessionValue } from './admin-session.js';

const LIVE_PER_TENANT = 50;
const DEAD_LETTERS_SHOWN = 20;

/**
 * GET /admin: a server-rendered status page (its one action, hand-back, is admin-page-actions.ts). Scripts send `Authorization: Bearer <adminToken>`.
 * A browser cannot put that header on an address-bar request, so `/admin?token=...` is accepted once:
 * it sets an HttpOnly, SameSite=Strict session cookie and redirects to `/admin`, so the token leaves the
 * address bar, the history and any Referer at once. Mounted before the JSON admin router.
 */
export function adminPageRouter(bridge: Bridge): Router {
  const router = express.Router({ strict: true });
  router.get('/admin', async (req, res) => {
    securityHeaders(res);
    const adminToken = bridge.config.server.adminToken;
    if (!adminToken) return pageMessage(res, 403, 'The admin page is off: set server.adminToken.');

    if (typeof req.query.token === 'string') {
      if (!sameSecret(req.query.token, adminToken)) return pageMessage(res, 401, 'That admin token is not valid.');
      const expires = Math.floor(Date.now() / 1000) + SESSION_SECONDS;
      const secure = req.secure ? '; Secure' : '';
      res.setHeader('Set-Cookie', `${SESSION_COOKIE}=${sessionValue(adminToken, expires)}; Path=/admin; Max-Age=${SESSION_SECONDS}; HttpOnly; SameSite=Strict${secure}`);
      return res.redirect(303, '/admin');
    }

    const caller = adminCaller(req, adminToken);
    if (!caller) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="chatbridge-admin"');
      return pageMessage(res, 401, 'Send Authorization: Bearer <admin token>, or open /admin?token=<admin token> once in this browser.');
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
        // A bearer caller posts with its token; only a browser session needs the CSRF token in the forms.
        csrf: caller.by === 'session' ? caller.csrf : '',
        handBack: (tenant, platform) => bridge.native.supported(tenant, platform),
      }),
    );
  });
  return router;
}
