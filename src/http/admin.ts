import express, { type Request, type RequestHandler, type Router } from 'express';
import type { AdminFacade } from '../bridge-admin.js';
import { sameSecret } from '../auth/same-secret.js';
import { sendError } from './errors.js';

/** The bearer token a request carries, if any. */
export function bearerOf(req: Request): string | undefined {
  const header = req.headers.authorization ?? '';
  return header.startsWith('Bearer ') ? header.slice(7) : undefined;
}

export function requireAdmin(adminToken: string | undefined): RequestHandler {
  return (req, res, next) => {
    if (!adminToken) return sendError(res, 403, 'admin_disabled', 'the admin API is off: set server.adminToken');
    const token = bearerOf(req);
    if (!token || !sameSecret(token, adminToken)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="chatbridge-admin"');
      return sendError(res, 401, 'unauthenticated', 'a valid admin bearer token is required');
    }
    next();
  };
}

/**
 * Dead letters (list; replay one, which goes to the back of its conversation's lane; replay a given-up
 * lane's group, together and in order), what adapters could not
 * read, the opt-in inbound capture, and each connector's health (the last three from the instance's views: with
 * `--workers N`, every worker's).
 */
export function adminRouter(admin: AdminFacade): Router {
  const router = express.Router();
  router.use('/admin', requireAdmin(admin.config.server.adminToken));

  router.get('/admin/dead-letters', async (req, res) => {
    const limit = Math.min(Math.max(Number(req.query.limit ?? 100) || 100, 1), 1000);
    const letters = await admin.deadLetters(limit);
    res.json({ count: await admin.deadLetterCount(), deadLetters: letters });
  });

  router.get('/admin/unrecognized', async (req, res) => {
    const tenant = typeof req.query.tenant === 'string' ? req.query.tenant : undefined;
    const { unrecognized, workers } = await admin.instance();
    res.json({ samples: unrecognized.filter((s) => tenant === undefined || s.tenant === tenant), ...(workers ? { workers } : {}) });
  });

  router.get('/admin/captured', async (_req, res) => {
    const { captured, workers } = await admin.instance();
    res.json({ payloads: captured, ...(workers ? { workers } : {}) });
  });

  router.get('/admin/health', async (_req, res) => {
    const { connectors, workers } = await admin.instance();
    res.json({ connectors, ...(workers ? { workers } : {}) });
  });

  router.post('/admin/dead-letters/:id/replay', async (req, res) => {
    const letter = await admin.replayDeadLetter(String(req.params.id));
    if (!letter) return sendError(res, 404, 'not_found', 'no dead letter with that id');
    res.status(202).json({
      replayed: letter.id,
      eventId: letter.delivery.event.id,
      order: 'after-later-messages',
      note:
        'the event goes to the back of its conversation, so it arrives after every message the conversation received since it became a dead letter, not in its original place' +
        (letter.group ? `; to keep the order of a given-up conversation, replay its group: POST /admin/dead-letters/groups/${letter.group}/replay` : ''),
    });
  });

  router.post('/admin/dead-letters/groups/:group/replay', async (req, res) => {
    const letters = await admin.replayDeadLetterGroup(String(req.params.group));
    if (letters.length === 0) return sendError(res, 404, 'not_found', 'no dead-letter group with that id');
    const eventIds = letters.map((l) => l.delivery.event.id);
    res.status(202).json({
      replayedGroup: req.params.group,
      count: letters.length,
      eventIds,
      order: 'together-in-order',
      note: 'the events go to the back of their conversation together and in their original order, after any message the conversation received since the group was given up',
    });
  });
  return router;
}
