import express, { type Request, type Response, type Router } from 'express';
import type { AdminFacade } from '../bridge-admin.js';
import { sameSecret } from '../auth/same-secret.js';
import { bearerOf } from './admin.js';
import { ADMIN_PAGE_CSP, NOTICES, renderSignInPage, renderStatusPage } from './admin-page-html.js';
import { handBackAnswer } from './admin-conversations.js';
import { endSession, formFromSession, type PageSession, sessionOf, startSession } from './admin-session.js';

const LIVE_PER_TENANT = 50;
/** The notice (admin-page-html.ts NOTICES) for each answer of a hand-back. */
const HAND_BACK_NOTICE: Record<number, string> = { 202: 'handed-back', 404: 'hand-back-gone', 409: 'hand-back-conflict', 422: 'hand-back-unsupported' };
const DEAD_LETTERS_SHOWN = 20;

function securityHeaders(res: Response): void {
  res.setHeader('Content-Security-Policy', ADMIN_PAGE_CSP);
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
}

function signIn(res: Response, status: number, problem?: string): void {
  res.status(status).type('html').send(renderSignInPage(problem));
}

/**
 * The status page. Scripts send `Authorization: Bearer <adminToken>` and get it read-only; a browser signs
 * in with a form (POST /admin/sign-in) that sets an HttpOnly, SameSite=Strict session cookie, so the token
 * never appears in a URL. Signed-in pages carry forms for the page's actions (replay a dead letter, sign
 * out, hand a live conversation back), each checked against the session's CSRF token. Mounted before the JSON admin router.
 * What a process keeps in memory comes from the instance's views (with `--workers N`, every worker's).
 */
export function adminPageRouter(admin: AdminFacade): Router {
  const router = express.Router({ strict: true });
  const form = express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 4 });
  const pageOn = (_req: Request, res: Response, next: () => void) => {
    securityHeaders(res);
    if (!admin.config.server.adminToken) return signIn(res, 403, 'The admin page is off: set server.adminToken.');
    next();
  };

  router.post('/admin/sign-in', pageOn, form, (req, res) => {
    const adminToken = admin.config.server.adminToken!;
    const given = (req.body as Record<string, unknown> | undefined)?.token;
    if (typeof given !== 'string' || !sameSecret(given, adminToken)) {
      admin.logger.warn('status page sign-in refused: wrong admin token');
      return signIn(res, 401, 'That admin token is not valid.');
    }
    startSession(req, res, adminToken);
    res.redirect(303, '/admin');
  });

  /** Actions need a signed-in browser and a form of its own; anything else goes back to sign in. */
  const withSession = (action: (req: Request, res: Response, session: PageSession) => Promise<void> | void) => [
    pageOn,
    form,
    async (req: Request, res: Response) => {
      const session = sessionOf(req, admin.config.server.adminToken!);
      if (!session) return signIn(res, 401, 'Your session has ended: sign in again.');
      if (!formFromSession(req, session)) return signIn(res, 403, 'That form did not come from this status page: reload it and try again.');
      await action(req, res, session);
    },
  ];

  router.post(
    '/admin/sign-out',
    ...withSession((_req, res) => {
      endSession(res);
      res.redirect(303, '/admin');
    }),
  );

  router.post(
    '/admin/page/dead-letters/:id/replay',
    ...withSession(async (req, res) => {
      const replayed = await admin.replayDeadLetter(String(req.params.id));
      res.redirect(303, `/admin?notice=${replayed ? 'replayed' : 'replay-missing'}#dead-letters`);
    }),
  );

  router.post(
    '/admin/page/dead-letters/groups/:group/replay',
    ...withSession(async (req, res) => {
      const letters = await admin.replayDeadLetterGroup(String(req.params.group));
      res.redirect(303, `/admin?notice=${letters.length > 0 ? 'group-replayed' : 'replay-missing'}#dead-letters`);
    }),
  );

  router.post(
    '/admin/page/conversations/:id/hand-back',
    ...withSession(async (req, res) => {
      const { status } = await handBackAnswer(admin, String(req.params.id), (req.body as Record<string, unknown>).tenant);
      res.redirect(303, `/admin?notice=${HAND_BACK_NOTICE[status] ?? 'hand-back-failed'}#live`);
    }),
  );

  router.get('/admin', pageOn, async (req, res) => {
    const adminToken = admin.config.server.adminToken!;
    const bearer = bearerOf(req);
    const session = bearer === undefined ? sessionOf(req, adminToken) : undefined;
    if (bearer !== undefined ? !sameSecret(bearer, adminToken) : !session) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="chatbridge-admin"');
      return signIn(res, 401);
    }

    const status = await admin.status({ livePerTenant: LIVE_PER_TENANT, deadLetters: DEAD_LETTERS_SHOWN });
    const notice = typeof req.query.notice === 'string' ? NOTICES[req.query.notice] : undefined;
    res.type('html').send(
      renderStatusPage({
        ...status,
        generatedAt: new Date().toISOString(),
        liveLimit: LIVE_PER_TENANT,
        csrf: session?.csrf,
        handBack: (tenant, platform) => admin.canHandBack(tenant, platform),
        notice,
      }),
    );
  });
  return router;
}
