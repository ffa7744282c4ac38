import express, { type Router } from 'express';
import type { Bridge } from '../bridge.js';
import { requireAdmin } from './admin.js';
import { sendError } from './errors.js';

/**
 * One conversation as the bridge knows it: the native id on each platform, its attributes and its
 * transcript (oldest event first). Canonical ids are unique across tenants; `?tenant=` narrows the search.
 */
export function adminConversationsRouter(bridge: Bridge): Router {
  const router = express.Router();
  router.get('/admin/conversations/:id', requireAdmin(bridge.config.server.adminToken), async (req, res) => {
    const id = String(req.params.id);
    const only = typeof req.query.tenant === 'string' ? req.query.tenant : undefined;
    const tenants = bridge.config.tenants.map((t) => t.id).filter((t) => only === undefined || t === only);
    for (const tenant of tenants) {
      const record = await bridge.store.getConversation(tenant, id);
      if (!record) continue;
      const transcript = await bridge.transcripts.read(tenant, id);
      res.json({ conversation: record, transcript: { count: transcript.length, events: transcript } });
      return;
    }
    sendError(res, 404, 'not_found', 'no conversation with that id');
  });
  return router;
}
