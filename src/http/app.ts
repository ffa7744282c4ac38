import express, { type Express } from 'express';
import type { Bridge } from '../bridge.js';
import type { ReloadOutcome } from '../config/reload-plan.js';
import { adminRouter } from './admin.js';
import { adminConversationsRouter } from './admin-conversations.js';
import { adminPageRouter } from './admin-page.js';
import { adminPageActionsRouter } from './admin-page-actions.js';
import { adminReloadRouter } from './admin-reload.js';
import { errorHandler, sendError } from './errors.js';
import { filesRouter } from './files.js';
import { webhookRouter } from './webhooks.js';

const READY_TIMEOUT_MS = 2000;

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);
}

export function createApp(bridge: Bridge, options: { reload?: () => Promise<ReloadOutcome> } = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  // Answers are small JSON no client caches: hashing each one for an ETag is wasted work per webhook.
  app.set('etag', false);
  app.set('trust proxy', false);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/readyz', async (_req, res) => {
    const checks = await Promise.allSettled([
      within(bridge.store.ping(), READY_TIMEOUT_MS),
      within(bridge.queue.ping(), READY_TIMEOUT_MS),
    ]);
    const [store, queue] = checks.map((c) => (c.status === 'fulfilled' ? 'ok' : 'unreachable'));
    const ready = store === 'ok' && queue === 'ok';
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', store, queue });
  });

  app.get('/metrics', async (_req, res) => {
    // The queue-depth gauge is kept current by the bridge (it also drives back-pressure); only the
    // dead-letter count is read per scrape.
    const dead = await bridge.queue.deadLetterCount().catch(() => undefined);
    if (dead !== undefined) bridge.metrics.deadLetterDepth.set(dead);
    res.type(bridge.metrics.registry.contentType).send(await bridge.metrics.registry.metrics());
  });

  app.use(webhookRouter(bridge, bridge.config.server.bodyLimit));
  app.use(filesRouter(bridge));
  app.use(adminPageRouter(bridge));
  app.use(adminPageActionsRouter(bridge));
  app.use(adminReloadRouter(bridge, options.reload));
  app.use(adminRouter(bridge));
  app.use(adminConversationsRouter(bridge));
  app.use((_req, res) => sendError(res, 404, 'not_found', 'no such endpoint'));
  app.use(errorHandler(bridge.logger));
  return app;
}
