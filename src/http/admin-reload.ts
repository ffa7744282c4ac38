import express, { type Router } from 'express';
import type { AdminFacade } from '../bridge-admin.js';
import type { ReloadOutcome } from '../config/reload-plan.js';
import { requireAdmin } from './admin.js';
import { sendError } from './errors.js';

/**
 * `POST /admin/reload`: re-reads the configuration source (in Redis mode, then tells the other
 * instances to re-read theirs). 200 with what changed (and which changes wait for a restart); 400 with
 * every problem when the new configuration is invalid, the running one kept; 409 when the instance has
 * no source to re-read (the sandbox).
 */
export function adminReloadRouter(admin: AdminFacade, reload: (() => Promise<ReloadOutcome>) | undefined): Router {
  const router = express.Router();
  router.post('/admin/reload', requireAdmin(admin.config.server.adminToken), async (_req, res) => {
    if (!reload) return sendError(res, 409, 'no_config_source', 'this instance was started without a configuration file');
    const outcome = await reload();
    if (!outcome.reloaded) {
      return sendError(res, 400, 'invalid_config', 'the new configuration is invalid; the running one is kept', outcome.problems);
    }
    res.json(outcome);
  });
  return router;
}
