import express, { type Router } from 'express';
import { AuthenticationError, InboundError, PayloadError } from '../errors.js';
import type { Bridge } from '../bridge.js';
import type { Connector, RawInbound } from '../ports/adapter.js';
import { readBody } from './body-reader.js';
import { sendError } from './errors.js';

const JSON_TYPE = /^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i;

/** What the webhook route uses of the bridge: the connectors, the intake and its accounting. */
export type WebhookIntake = Pick<Bridge, 'connector' | 'refusals' | 'capture' | 'intake' | 'ingest'>;

/**
 * `POST /webhooks/:tenant/:platform`: the connector authenticates the raw bytes, the core parses,
 * the connector normalizes, the ingestor enqueues; the answer goes out as soon as the events are stored.
 */
export function webhookRouter(bridge: WebhookIntake, bodyLimit: string): Router {
  const router = express.Router();
  router.post(
    '/webhooks/:tenant/:platform',
    (req, res, next) => {
      const connector = bridge.connector(String(req.params.tenant), String(req.params.platform));
      if (!connector?.verify || !connector.normalize) {
        // Not the caller's names: they are not ours to keep, and would grow the refusal log's table.
        bridge.refusals.refused('unknown', 'unknown', 404, 'not_found');
        return sendError(res, 404, 'not_found', 'no such tenant or platform');
      }
      res.locals.connector = connector;
      next();
    },
    readBody(bodyLimit, (req) => bridge.refusals.refused(String(req.params.tenant), String(req.params.platform), 413, 'payload_too_large')),
    async (req, res, next) => {
      const platform = String(req.params.platform);
      const tenantId = String(req.params.tenant);
      const connector = res.locals.connector as Connector;
      const raw: RawInbound = {
        headers: req.headers,
        rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
      };
      try {
        // Authenticate before looking at the content: an unauthenticated caller learns nothing.
        await connector.verify!(raw);
        if (!JSON_TYPE.test(req.headers['content-type'] ?? '')) {
          throw new InboundError(415, 'unsupported_media_type', 'the body must be application/json');
        }
        let body: unknown;
        try {
          body = JSON.parse(raw.rawBody.toString('utf8'));
        } catch {
          throw new PayloadError('the body is not valid JSON');
        }
        // Only authenticated bodies: the capture is for comparing what the vendor sends with our readings.
        bridge.capture.record(tenantId, platform, body);
        // Adapters may read the store while normalizing: the store's limits cover both steps.
        const result = await bridge.intake.guard(async () => bridge.ingest(tenantId, platform, await connector.normalize!(body)));
        res.status(200).json(result);
      } catch (err) {
        if (err instanceof InboundError) {
          // An auth refusal's message is the adapter's fixed text naming the check that failed (never the
          // credential): it is the why an operator needs, and a bounded set, so it can key the aggregation.
          const why = err instanceof AuthenticationError ? `${err.code}: ${err.message}` : err.code;
          bridge.refusals.refused(tenantId, platform, err.status, why);
        }
        next(err);
      }
    },
  );
  return router;
}
