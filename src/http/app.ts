import express, { type Express } from 'express';
import type { Bridge } from '../bridge.js';
import { BridgeAdmin } from '../bridge-admin.js';
import type { ReloadOutcome } from '../config/reload-plan.js';
import { adminRouter } from './admin.js';
import { adminConversationsRouter } from './admin-conversations.js';
import { adminPageRouter } from './admin-page.js';
import { adminReloadRouter } from './admin-reload.js';
import { type InstanceViews, processViews } from '../observability/instance-views.js';
import { requestIdFrom, withRequestId } from '../observability/request-context.js';
import { errorHandler, sendError } from './errors.js';
import { filesRouter } from './files.js';
import { webhookRouter } from './webhooks.js';

const READY_TIMEOUT_MS = 2000;

/** `views`: what `/metrics` and the admin views read (by default this process; a cluster worker's read every worker's). */
export function createApp(bridge: Bridge, options: { reload?: () => Promise<ReloadOutcome>; views?: InstanceViews } = {}): Express {
  const views = options.views ?? processViews(bridge);
  const admin = new BridgeAdmin(bridge, views);
  const app = express();
  app.disable('x-powered-by');
  // Answers are small JSON no client caches: hashing each one for an ETag is wasted work per webhook.
  app.set('etag', false);
  app.set('trust proxy', false);
  app.use((req, res, next) => {
    const requestId = requestIdFrom(req.headers['x-request-id']);
    res.setHeader('X-Request-Id', requestId);
    withRequestId(requestId, next);
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/readyz', async (_req, res) => {
    const { store, queue } = await admin.reachability(READY_TIMEOUT_MS);
    const ready = store === 'ok' && queue === 'ok';
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', store, queue });
  });

  app.get('/metrics', async (_req, res) => {
    res.type(bridge.metrics.registry.contentType).send(await views.metrics());
  });

  app.use(webhookRouter(bridge, bridge.config.server.bodyLimit));
  app.use(filesRouter(bridge));
  app.use(adminPageRouter(admin));
  app.use(adminReloadRouter(admin, options.reload));
  app.use(adminRouter(admin));
  app.use(adminConversationsRouter(admin));
  app.use((_req, res) => sendError(res, 404, 'not_found', 'no such endpoint'));
  app.use(errorHandler(bridge.logger));
  return app;
}
