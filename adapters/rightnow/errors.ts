import {
  AuthExpiredError,
  ConversationGoneError,
  type DeliveryError,
  PermanentError,
  RetryableError,
} from '../../src/errors.js';
import { classifyFailure, type VendorErrorRules, type VendorFailure } from '../../src/vendor-http/classify.js';
import { type ChatSystemError, ErrorBody, SEQUENCE_FIELD } from './wire.js';

/**
 * RightNow's hook into the one classification (src/vendor-http/classify.ts): its exception codes (the
 * seed's list), read the same from a non-2xx error body and from a `chatSystemError` inside a 200.
 */

const VENDOR = 'rightnow';
/** Both the chat server and Connect REST refuse a session or credential with either. */
const AUTH_STATUSES = [401, 403];

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
  const parsed = ErrorBody.safeParse(body);
  if (!parsed.success || parsed.data.exceptionCode === undefined) return undefined;
  const { exceptionCode, message, detail } = parsed.data;
  return isSequenceComplaint(exceptionCode, [message, detail]) ? SEQUENCE_CODE : exceptionCode;
}

function isSequenceComplaint(code: string, texts: unknown[]): boolean {
  return (
    (code === 'INVALID_FIELD' || code === 'BAD_REQUEST') &&
    texts.some((t) => typeof t === 'string' && t.includes(SEQUENCE_FIELD))
  );
}

/**
 * A reply we cannot read is taken as the server's UNDEFINED_CONDITION: retried. Everything else is
 * left to the status (Connect REST answers no exception codes).
 */
function unreadableRetried({ unreadable }: VendorFailure) {
  return unreadable ? RetryableError : undefined;
}

/**
 * The chat server's codes outrank its statuses, except a 429 (the rate limit, with its Retry-After); a
 * refused session outranks any other code.
 */
function chatServerVerdict(failure: VendorFailure) {
  const { status, code } = failure;
  if (status === 429) return undefined;
  if (code === 'ACCESS_DENIED' || (status !== undefined && AUTH_STATUSES.includes(status))) return AuthExpiredError;
  if (code === SEQUENCE_CODE) return SequenceRejectedError;
  if (code === 'CONFLICT' || status === 409) return ConversationGoneError;
  if (code === 'INVALID_FIELD' || code === 'BAD_REQUEST') return PermanentError;
  return unreadableRetried(failure);
}

/** Connect REST (service settings, agent tokens). */
export const CONNECT_REST_ERRORS: VendorErrorRules = { vendor: VENDOR, authStatuses: AUTH_STATUSES, verdict: unreadableRetried };

/** The chat server's agent API. */
export const CHAT_SERVER_ERRORS: VendorErrorRules = {
  vendor: VENDOR,
  vendorCode: exceptionCodeOf,
  authStatuses: AUTH_STATUSES,
  verdict: chatServerVerdict,
};

/** A 200 whose `chatSystemError` is set is a failure, not a success. */
export function systemErrorFailure(operation: string, error: ChatSystemError): DeliveryError {
  const code = error.errorCondition ?? error.type;
  const marked = code && isSequenceComplaint(code, [error.text]) ? SEQUENCE_CODE : code;
  return classifyFailure({ ...CHAT_SERVER_ERRORS, operation }, { code: marked ?? 'UNKNOWN_EXCEPTION' });
}
