import express, { type Router } from 'express';
import type { Bridge } from '../bridge.js';
import { handBackAnswer } from './admin-conversations.js';
import { adminCaller, formTrusted, pageMessage, securityHeaders } from './admin-session.js';

/**
 * The status page's buttons, as form posts: `POST /admin/hand-back` (fields `tenant`, `conversation`,
 * `csrf`) does what `POST /admin/conversations/:id/hand-back` does and answers with a short page. A
 * browser proves itself with its session cookie and the CSRF token the page rendered for that session
 * (admin-session.ts); a script may use its bearer token instead. Mounted before the JSON admin router.
 */
export function adminPageActionsRouter(bridge: Bridge): Router {
  const router = express.Router({ strict: true });
  router.post('/admin/hand-back', express.urlencoded({ extended: false, limit: '4kb' }), async (req, res) => {
    securityHeaders(res);
    const adminToken = bridge.config.server.adminToken;
    if (!adminToken) return pageMessage(res, 403, 'The admin page is off: set server.adminToken.');
    const caller = adminCaller(req, adminToken);
    if (!caller) return pageMessage(res, 401, 'Sign in first: open /admin?token=<admin token> in this browser.');
    const form = (req.body ?? {}) as Record<string, unknown>;
    if (!formTrusted(caller, form.csrf)) return pageMessage(res, 403, 'This form is stale or did not come from the status page: reload the page and try again.', true);
    if (typeof form.conversation !== 'string' || form.conversation === '') return pageMessage(res, 400, 'The form names no conversation.', true);
    const { status, body } = await handBackAnswer(bridge, form.conversation, form.tenant);
    const message =
      status === 202
        ? `Conversation ${form.conversation} was handed back to ${String(body.handedBackTo)}'s own agents and ended on ${String(body.ended)}.`
        : `Conversation ${form.conversation} was not handed back: ${String(body.message)}`;
    return pageMessage(res, status === 202 ? 200 : status, message, true);
  });
  return router;
}
