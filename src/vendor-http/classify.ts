import { AuthExpiredError, DeliveryError, PermanentError, RetryableError } from '../errors.js';
import { SETUP_ERROR_CODES, type VendorResponse, VendorTransportError } from './vendor-http.js';

/**
 * The one classification of vendor outcomes into the error catalogue (src/errors.ts). The HTTP status
 * decides, unless the vendor's rules (its adapter's errors.ts) know better from the vendor's own code.
 */

const MAX_RETRY_AFTER_MS = 10 * 60_000;

/** A vendor answer that is not a success, as the classification reads it. */
export interface VendorFailure {
  /** The HTTP status of a non-2xx answer, or the status a vendor reports inside a 2xx body. */
  status?: number;
  /** The vendor's own error code (eGain `code`, LivePerson `errorCode`, RightNow `exceptionCode`). */
  code?: string;
  /** What the vendor asked us to wait (Retry-After). */
  retryAfterMs?: number;
  /** A 2xx reply that its schema cannot read. */
  unreadable?: boolean;
}

export type DeliveryErrorClass = new (message: string, options?: DeliveryError['options']) => DeliveryError;

/** What one vendor adds to the classification: the per-vendor hook its adapter passes with every call. */
export interface VendorErrorRules {
  vendor: string;
  /** Pulls the vendor's error code out of a reply body. */
  vendorCode?: (body: unknown) => string | undefined;
  /** Statuses that mean "credential no longer valid" (default: 401). A call may narrow them (a token endpoint: none). */
  authStatuses?: readonly number[];
  /** The least wait after a 429, where the vendor asks for one. */
  rateLimitFloorMs?: number;
  /** The vendor's verdict where its own code says more than the status; undefined leaves it to the status. */
  verdict?: (failure: VendorFailure) => DeliveryErrorClass | undefined;
}

/** One call: its vendor's rules and what it does (for messages and connector health). */
export interface CallDescription extends VendorErrorRules {
  operation: string;
}

/** Parses Retry-After (delta-seconds or HTTP-date) into milliseconds, bounded. */
export function parseRetryAfter(value: unknown, now = Date.now()): number | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const seconds = Number(value);
  let ms: number;
  if (Number.isFinite(seconds)) ms = seconds * 1000;
  else {
    const date = Date.parse(value);
    if (Number.isNaN(date)) return undefined;
    ms = date - now;
  }
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}

/**
 * Without a verdict of the vendor's: a refused credential, a rate limit, a timeout or a server error
 * can pass, any other 4xx (or a reply we cannot read) will fail the same way again, and a failure the
 * vendor reports without a status (in a 2xx body) is taken as passing.
 */
function statusVerdict(call: CallDescription, { status, unreadable }: VendorFailure): DeliveryErrorClass {
  if (unreadable) return PermanentError;
  if (status === undefined) return RetryableError;
  if ((call.authStatuses ?? [401]).includes(status)) return AuthExpiredError;
  if (status === 429 || status === 408 || status >= 500) return RetryableError;
  return PermanentError;
}

function waitAfter(call: CallDescription, { status, retryAfterMs }: VendorFailure): number | undefined {
  if (status === 429 && call.rateLimitFloorMs !== undefined) return Math.max(retryAfterMs ?? 0, call.rateLimitFloorMs);
  return retryAfterMs;
}

/** Never the body: it may hold what the customer wrote or a secret we sent. */
function describe(call: CallDescription, { status, code, unreadable }: VendorFailure): string {
  const outcome = unreadable ? 'sent an unreadable reply' : status !== undefined ? `answered ${status}` : 'failed';
  return `${call.vendor} ${call.operation} ${outcome}${code ? ` (${code})` : ''}`;
}

export function classifyFailure(call: CallDescription, failure: VendorFailure): DeliveryError {
  const ErrorClass = call.verdict?.(failure) ?? statusVerdict(call, failure);
  const retryable = ErrorClass === RetryableError || ErrorClass.prototype instanceof RetryableError;
  return new ErrorClass(describe(call, failure), {
    status: failure.status,
    vendorCode: failure.code,
    retryAfterMs: retryable ? waitAfter(call, failure) : undefined,
  });
}

/** Undefined for a 2xx answer; otherwise the error the call fails with. */
export function classifyResponse(res: VendorResponse, call: CallDescription): DeliveryError | undefined {
  if (res.status >= 200 && res.status < 300) return undefined;
  return classifyFailure(call, {
    status: res.status,
    code: call.vendorCode?.(res.data),
    retryAfterMs: parseRetryAfter(res.headers?.['retry-after']),
  });
}

/** No answer at all: retryable, unless the request itself is set up wrongly. */
export function classifyTransportError(err: unknown, call: CallDescription): DeliveryError {
  if (err instanceof DeliveryError) return err;
  if (err instanceof VendorTransportError) {
    if (SETUP_ERROR_CODES.has(err.code)) {
      return new PermanentError(`${call.vendor} ${call.operation}: bad request setup (${err.code}${err.host ? ` for ${err.host}` : ''})`, { cause: err });
    }
    return new RetryableError(`${call.vendor} ${call.operation}: ${err.code}${err.host ? ` (${err.host})` : ''}`, { cause: err });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new RetryableError(`${call.vendor} ${call.operation}: ${message}`, { cause: err });
}
