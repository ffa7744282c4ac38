import type { z } from 'zod';

/**
 * The error catalogue. Each error says what the caller should do with it, so the HTTP layer and
 * the delivery engine never guess from a message string. Messages never carry secrets or bodies.
 */

/** One thing wrong with a request: where (a dotted path into the payload) and what. */
export interface ProblemDetail {
  path: string;
  problem: string;
}

/** Inbound request problems, answered to the vendor with `status` and a JSON body. */
export class InboundError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: readonly ProblemDetail[],
  ) {
    super(message);
    this.name = 'InboundError';
  }
}

export class AuthenticationError extends InboundError {
  constructor(message = 'authentication failed') {
    super(401, 'unauthenticated', message);
    this.name = 'AuthenticationError';
  }
}

export class PayloadError extends InboundError {
  constructor(message: string, details?: readonly ProblemDetail[]) {
    super(400, 'invalid_payload', message, details);
    this.name = 'PayloadError';
  }

  /** A payload its schema refused, with one detail per zod issue (see zodDetails). */
  static fromZod(message: string, error: z.ZodError, pathPrefix: readonly PropertyKey[] = []): PayloadError {
    return new PayloadError(message, zodDetails(error, pathPrefix));
  }
}

/**
 * Zod's issues as details: each path, after `pathPrefix` (where the parsed part sits in the payload),
 * joined with dots (`messages.message.0.type`), `(root)` for the payload itself; zod's own wording.
 */
export function zodDetails(error: z.ZodError, pathPrefix: readonly PropertyKey[] = []): ProblemDetail[] {
  return error.issues.map((issue) => ({
    path: [...pathPrefix, ...issue.path].map(String).join('.') || '(root)',
    problem: issue.message,
  }));
}

/** Intake cannot take the request now (503); `Retry-After` tells the vendor when to try again. */
export class UnavailableError extends InboundError {
  constructor(
    code: 'overloaded' | 'store_unavailable',
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(503, code, message);
    this.name = 'UnavailableError';
  }
}

/**
 * One request carries more items than the bridge takes at once (413): handling them all would hold
 * the event loop for everyone else. Refused whole, never cut, so nothing is half-accepted.
 */
export class BatchTooLargeError extends InboundError {
  constructor(path: string, count: number, max: number) {
    super(413, 'batch_too_large', `a request carries at most ${max} items at ${path}`, [
      { path, problem: `${count} items; at most ${max}` },
    ]);
    this.name = 'BatchTooLargeError';
  }
}

/** Outbound delivery failures. `retryable` decides between another attempt and the dead-letter list. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly options: {
      /** The vendor asked us to wait at least this long (Retry-After, documented back-off floors). */
      retryAfterMs?: number;
      /** HTTP status of the vendor reply, when there was one. */
      status?: number;
      /** Vendor error code (eGain `code`, LivePerson `errorCode`, RightNow `exceptionCode`). */
      vendorCode?: string;
      cause?: unknown;
    } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DeliveryError';
  }

  get retryAfterMs(): number | undefined {
    return this.options.retryAfterMs;
  }
  get status(): number | undefined {
    return this.options.status;
  }
  get vendorCode(): string | undefined {
    return this.options.vendorCode;
  }
}

export class RetryableError extends DeliveryError {
  constructor(message: string, options: DeliveryError['options'] = {}) {
    super(message, true, options);
    this.name = 'RetryableError';
  }
}

export class PermanentError extends DeliveryError {
  constructor(message: string, options: DeliveryError['options'] = {}) {
    super(message, false, options);
    this.name = 'PermanentError';
  }
}

/**
 * The vendor refused our credential (expired token, unknown session). The engine asks the adapter to
 * refresh once (`refreshAuth`) and retries at once; a second one in a row counts as permanent.
 */
export class AuthExpiredError extends DeliveryError {
  constructor(message = 'credential expired or revoked', options: DeliveryError['options'] = {}) {
    super(message, true, options);
    this.name = 'AuthExpiredError';
  }
}

/**
 * The conversation no longer exists on the target (RightNow CONFLICT: the end user left). Not retried;
 * the engine turns it into a `conversation.ended` for the other side instead of a dead letter.
 */
export class ConversationGoneError extends DeliveryError {
  constructor(message: string, options: DeliveryError['options'] = {}) {
    super(message, false, options);
    this.name = 'ConversationGoneError';
  }
}

export function toDeliveryError(err: unknown): DeliveryError {
  if (err instanceof DeliveryError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new RetryableError(`unexpected error: ${message}`, { cause: err });
}
