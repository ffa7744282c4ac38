import express, { type Router } from 'express';
import { AuthenticationError, InboundError, PayloadError } from '../errors.js';
import type { Bridge } from '../bridge.js';
import type { RawInbound } from '../platform/adapter.js';
import { readBody } from './body-reader.js';
import { sendError } from './errors.js';

const JSON_TYPE = /^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i;

/**
 * `POST /webhooks/:tenant/:platform`: the connector authenticates the raw bytes, the core parses,
 * the connector normalizes, the ingestor enqueues; the answer goes out as soon as the events are stored.
 */
export function webhookRouter(bridge: Bridge, bodyLimit: string): Router {
  const router = express.Router();
  router.post(
    '/webhooks/:tenant/:platform',
    (req, res, next) => {
      const connector = bridge.connector(String(req.params.tenant), String(req.params.platform));
      if (!connector?.verify || !connector.normalize) {
        bridge.metrics.inboundRejected.inc({ platform: 'unknown', status: '404' });
        return sendError(res, 404, 'not_found', 'no such tenant or platform');
      }
      res.locals.connector = connector;
      next();
    },
    readBody(bodyLimit),
    async (req, res, next) => {
      const platform = String(req.params.platform);
      const tenantId = String(req.params.tenant);
      const connector = res.locals.connector as NonNullable<ReturnType<Bridge['connector']>>;
      const raw: RawInbound = {
        headers: req.headers,
        rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
        query: Object.fromEntries(Object.entries(req.query).map(([k, v]) => [k, String(v)])),
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
        const events = await connector.normalize!(body, raw);
        const result = await bridge.ingest(tenantId, platform, events);
        const answer = connector.inboundResponse?.(result) ?? { status: 200, body: result };
        res.status(answer.status).json(answer.body);
      } catch (err) {
        if (err instanceof InboundError) {
          bridge.metrics.inboundRejected.inc({ platform, status: String(err.status) });
          if (err instanceof AuthenticationError) {
            // The adapters' refusal reasons are fixed texts (which header, which check), never the credential.
            bridge.logger.warn('webhook refused: authentication failed', { tenant: tenantId, platform, reason: err.message });
          }
        }
        next(err);
      }
    },
  );
  return router;
}
