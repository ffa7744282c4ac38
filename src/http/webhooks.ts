import type { IncomingMessage, ServerResponse } from 'node:http';
import { AuthenticationError, InboundError, PayloadError } from '../errors.js';
import type { Bridge } from '../bridge.js';
import type { Logger } from '../observability/logger.js';
import type { Connector, RawInbound } from '../ports/adapter.js';
import { readBody } from './body-reader.js';
import { sendError, sendFailure, sendInboundError, sendJson } from './errors.js';

const JSON_TYPE = /^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i;
/** `/webhooks/:tenant/:platform`, matched as express matched it: any case, an optional trailing slash, a query. */
const WEBHOOK_PATH = /^\/webhooks\/([^/?#]+)\/([^/?#]+)\/?(?:\?.*)?$/i;

/** What the webhook route uses of the bridge: the connectors, the intake and its accounting. */
export type WebhookIntake = Pick<Bridge, 'connector' | 'refusals' | 'capture' | 'intake' | 'ingest'>;

type WebhookHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * `POST /webhooks/:tenant/:platform`: the connector authenticates the raw bytes, the core parses,
 * the connector normalizes, the ingestor enqueues; the answer goes out as soon as the events are stored.
 * Served on bare node:http in front of the express app: it is the one route every event takes, and
 * express's per-request work (prototype swaps, the router's layers) cost about as much CPU as the rest
 * of the bridge's inbound work (bench/README). Answers false for any other request.
 */
export function webhookHandler(bridge: WebhookIntake, bodyLimit: string, logger: Logger): WebhookHandler {
  const read = readBody(bodyLimit);
  return (req, res) => {
    if (req.method !== 'POST') return false;
    const match = WEBHOOK_PATH.exec(req.url ?? '');
    if (!match) return false;
    let tenantId: string;
    let platform: string;
    try {
      tenantId = decodeURIComponent(match[1]!);
      platform = decodeURIComponent(match[2]!);
    } catch {
      sendError(res, 400, 'bad_request', 'the tenant or platform in the path is not valid URL encoding');
      return true;
    }
    const connector = bridge.connector(tenantId, platform);
    if (!connector?.verify || !connector.normalize) {
      // Not the caller's names: they are not ours to keep, and would grow the refusal log's table.
      bridge.refusals.refused('unknown', 'unknown', 404, 'not_found');
      sendError(res, 404, 'not_found', 'no such tenant or platform');
      return true;
    }
    const tooLarge = () => bridge.refusals.refused(tenantId, platform, 413, 'payload_too_large');
    read(req, res, tooLarge, (aborted, rawBody) => {
      if (aborted) return sendInboundError(res, aborted);
      void accept(bridge, connector, tenantId, platform, { headers: req.headers, rawBody }, req).then(
        (result) => sendJson(res, 200, result),
        (err: unknown) => {
          if (err instanceof InboundError) {
            // An auth refusal's message is the adapter's fixed text naming the check that failed (never the
            // credential): it is the why an operator needs, and a bounded set, so it can key the aggregation.
            const why = err instanceof AuthenticationError ? `${err.code}: ${err.message}` : err.code;
            bridge.refusals.refused(tenantId, platform, err.status, why);
          }
          sendFailure(res, err, logger, { method: req.method, path: req.url });
        },
      );
    });
    return true;
  };
}

async function accept(bridge: WebhookIntake, connector: Connector, tenantId: string, platform: string, raw: RawInbound, req: IncomingMessage) {
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
  return bridge.intake.guard(async () => bridge.ingest(tenantId, platform, await connector.normalize!(body)));
}
