import type { ServerResponse } from 'node:http';
import type { ErrorRequestHandler } from 'express';
import { InboundError, UnavailableError } from '../errors.js';
import type { Logger } from '../observability/logger.js';

/** A JSON answer on a bare node:http response (the webhook route) as on an express one. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

export function sendError(res: ServerResponse, status: number, error: string, message: string, details?: unknown): void {
  sendJson(res, status, details === undefined ? { error, message } : { error, message, details });
}

/** An inbound failure as its JSON answer (with Retry-After for a 503). */
export function sendInboundError(res: ServerResponse, err: InboundError): void {
  // Back-pressure and store outages: vendors retry a 503, and Retry-After tells them when.
  if (err instanceof UnavailableError) res.setHeader('Retry-After', String(err.retryAfterSeconds));
  sendError(res, err.status, err.code, err.message, err.details);
}

/**
 * Every failure becomes a JSON answer; internals never leak (an unexpected error is a bare 500 and a
 * log line). body-parser errors carry `type` and `status`.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => sendFailure(res, err, logger, { method: req.method, path: req.path });
}

/** Any failure as its JSON answer, on the express routes and the bare webhook route alike. */
export function sendFailure(res: ServerResponse, err: unknown, logger: Logger, request: { method?: string; path?: string }): void {
  if (err instanceof InboundError) return sendInboundError(res, err);
  const e = err as { type?: string; status?: number };
  if (e.type === 'entity.too.large') return sendError(res, 413, 'payload_too_large', 'the request body is over the configured limit');
  if (e.type === 'request.aborted') return sendError(res, 400, 'aborted', 'the request was aborted');
  if (e.type && e.status && e.status >= 400 && e.status < 500) return sendError(res, e.status, 'bad_request', 'the request body could not be read');
  logger.error('request failed', { ...request, error: err });
  sendError(res, 500, 'internal', 'internal error');
}
