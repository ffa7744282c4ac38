import type { ErrorRequestHandler, Response } from 'express';
import { InboundError, UnavailableError } from '../errors.js';
import type { Logger } from '../observability/logger.js';

export function sendError(res: Response, status: number, error: string, message: string, details?: unknown): void {
  res.status(status).json(details === undefined ? { error, message } : { error, message, details });
}

/**
 * Every failure becomes a JSON answer; internals never leak (an unexpected error is a bare 500 and a
 * log line). body-parser errors carry `type` and `status`.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    if (err instanceof InboundError) {
      // Back-pressure and store outages: vendors retry a 503, and Retry-After tells them when.
      if (err instanceof UnavailableError) res.setHeader('Retry-After', String(err.retryAfterSeconds));
      return sendError(res, err.status, err.code, err.message, err.details);
    }
    const e = err as { type?: string; status?: number };
    if (e.type === 'entity.too.large') return sendError(res, 413, 'payload_too_large', 'the request body is over the configured limit');
    if (e.type === 'request.aborted') return sendError(res, 400, 'aborted', 'the request was aborted');
    if (e.type && e.status && e.status >= 400 && e.status < 500) return sendError(res, e.status, 'bad_request', 'the request body could not be read');
    logger.error('request failed', { method: req.method, path: req.path, error: err });
    return sendError(res, 500, 'internal', 'internal error');
  };
}
