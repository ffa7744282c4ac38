import type { RequestListener } from 'node:http';
import express from 'express';
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
import { webhookHandler } from './webhooks.js';

const READY_TIMEOUT_MS = 2000;

/**
 * The ingress: webhooks on bare node:http (src/http/webhooks.ts), everything else through express. Every
 * request gets its X-Request-Id first. `views`: what `/metrics` and the admin views read (by default this
 * process; a cluster worker's read every worker's).
 */
export function createApp(bridge: Bridge, options: { reload?: () => Promise<ReloadOutcome>; views?: InstanceViews } = {}): RequestListener {
  const views = options.views ?? processViews(bridge);
  const admin = new BridgeAdmin(bridge, views);
  const app = express();
  app.disable('x-powered-by');
  // Answers are small JSON no client caches: hashing each one for an ETag is wasted work per webhook.
  app.set('etag', false);
  app.set('trust proxy', false);
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

  app.use(filesRouter(bridge));
  app.use(adminPageRouter(admin));
  app.use(adminReloadRouter(admin, options.reload));
  app.use(adminRouter(admin));
  app.use(adminConversationsRouter(admin));
  app.use((_req, res) => sendError(res, 404, 'not_found', 'no such endpoint'));
  app.use(errorHandler(bridge.logger));
  const webhooks = webhookHandler(bridge, bridge.config.server.bodyLimit, bridge.logger);
  return (req, res) => {
    const requestId = requestIdFrom(req.headers['x-request-id']);
    res.setHeader('X-Request-Id', requestId);
    withRequestId(requestId, () => webhooks(req, res) || app(req, res));
  };
}
