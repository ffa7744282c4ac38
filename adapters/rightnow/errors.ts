import {
  AuthExpiredError,
  ConversationGoneError,
  type DeliveryError,
  PermanentError,
  RetryableError,
} from '../../src/errors.js';
import { type ChatSystemError, SEQUENCE_FIELD } from './wire.js';

/**
 * RightNow's exception codes mapped onto the error catalogue (the seed's list, plus HTTP statuses).
 * The same table serves non-2xx replies and a `chatSystemError` inside a 200.
 */

/** The server refused our sequence number: another instance's request overtook ours. Retry with a new one. */
export class SequenceRejectedError extends RetryableError {
  constructor(message: string, options: DeliveryError['options'] = {}) {
    super(message, options);
    this.name = 'SequenceRejectedError';
  }
}

/** A derived vendor code that marks an INVALID_FIELD about the sequence number (see wire.ts). */
export const SEQUENCE_CODE = `INVALID_FIELD/${SEQUENCE_FIELD}`;

/** Pulls `exceptionCode` out of an error body, marking a sequence-number refusal. */
export function exceptionCodeOf(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const { exceptionCode, message, detail } = body as Record<string, unknown>;
  if (typeof exceptionCode !== 'string') return undefined;
  return isSequenceComplaint(exceptionCode, [message, detail]) ? SEQUENCE_CODE : exceptionCode;
}

function isSequenceComplaint(code: string, texts: unknown[]): boolean {
  return (
    (code === 'INVALID_FIELD' || code === 'BAD_REQUEST') &&
    texts.some((t) => typeof t === 'string' && t.includes(SEQUENCE_FIELD))
  );
}

/** Maps a code (and HTTP status, when there was a non-2xx reply) to what the caller should do. */
export function rightNowError(
  operation: string,
  code: string | undefined,
  status: number | undefined,
  cause?: unknown,
): DeliveryError {
  const label = `rightnow ${operation} failed${status ? ` with ${status}` : ''}${code ? ` (${code})` : ''}`;
  const options = { status, vendorCode: code, cause };
  if (code === 'ACCESS_DENIED' || status === 401 || status === 403) return new AuthExpiredError(label, options);
  if (code === SEQUENCE_CODE) return new SequenceRejectedError(label, options);
  if (code === 'CONFLICT' || status === 409) return new ConversationGoneError(label, options);
  if (code === 'INVALID_FIELD' || code === 'BAD_REQUEST') return new PermanentError(label, options);
  if (status !== undefined && status < 500 && status !== 408 && status !== 429) return new PermanentError(label, options);
  return new RetryableError(label, options);
}

/** A 200 whose `chatSystemError` is set is a failure, not a success. */
export function systemErrorFailure(operation: string, error: ChatSystemError): DeliveryError {
  const code = error.errorCondition ?? error.type;
  const marked = code && isSequenceComplaint(code, [error.text]) ? SEQUENCE_CODE : code;
  return rightNowError(operation, marked ?? 'UNKNOWN_EXCEPTION', undefined);
}
