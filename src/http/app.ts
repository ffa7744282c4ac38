import express, { type Express } from 'express';
import type { Bridge } from '../bridge.js';
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
import { within } from '../time-limit.js';

const READY_TIMEOUT_MS = 2000;

/** `views`: what `/metrics` and the admin views read (by default this process; a cluster worker's read every worker's). */
export function createApp(bridge: Bridge, options: { reload?: () => Promise<ReloadOutcome>; views?: InstanceViews } = {}): Express {
  const views = options.views ?? processViews(bridge);
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
    // In Redis mode the queue shares the store's connection. While it is down nothing is asked: a
    // ping would only wait in the client's offline queue.
    const ask = (ping: () => Promise<void>) =>
      bridge.store.connected ? within(ping(), READY_TIMEOUT_MS) : Promise.reject(new Error('not connected'));
    const checks = await Promise.allSettled([ask(() => bridge.store.ping()), ask(() => bridge.queue.ping())]);
    const [store, queue] = checks.map((c) => (c.status === 'fulfilled' ? 'ok' : 'unreachable'));
    const ready = store === 'ok' && queue === 'ok';
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', store, queue });
  });

  app.get('/metrics', async (_req, res) => {
    res.type(bridge.metrics.registry.contentType).send(await views.metrics());
  });

  app.use(webhookRouter(bridge, bridge.config.server.bodyLimit));
  app.use(filesRouter(bridge));
  app.use(adminPageRouter(bridge, views));
  app.use(adminReloadRouter(bridge, options.reload));
  app.use(adminRouter(bridge, views));
  app.use(adminConversationsRouter(bridge));
  app.use((_req, res) => sendError(res, 404, 'not_found', 'no such endpoint'));
  app.use(errorHandler(bridge.logger));
  return app;
}
