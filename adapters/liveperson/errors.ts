import { AuthExpiredError, DeliveryError, PermanentError, RetryableError } from '../../src/errors.js';
import { APP_JWT_EXPIRED, PLATFORM } from './wire.js';

/** LivePerson's `errorCode`, in `{body:{errorCode}}` (documented) or at the top level. */
export function lpErrorCode(data: unknown): string | undefined {
  if (!data || typeof data !== 'object') return undefined;
  const d = data as { errorCode?: unknown; body?: { errorCode?: unknown } };
  const code = d.body?.errorCode ?? d.errorCode;
  return code === undefined || code === null ? undefined : String(code);
}

/**
 * vendorCall turns every 401 into AuthExpiredError; for LivePerson only an expired or invalid AppJWT
 * (40102, or a 401 that names no code) is cured by a new AppJWT. A bad ConsumerJWS (40103), missing
 * headers (40104/40105) or a consumer/conversation mismatch will fail the same way again.
 */
export function refineAuthFailure(err: unknown): unknown {
  if (!(err instanceof AuthExpiredError)) return err;
  if (err.vendorCode === undefined || err.vendorCode === APP_JWT_EXPIRED) return err;
  return new PermanentError(err.message, { status: err.status, vendorCode: err.vendorCode, cause: err });
}

export function isOkCode(code: unknown): boolean {
  return code === 'OK' || code === 200 || code === '200';
}

/** A reply item (CONVERSATION array entry, SEND reply) whose `code` is not OK: classify like an HTTP status. */
export function replyItemError(operation: string, item: { code?: unknown; body?: unknown }): DeliveryError {
  const status = Number(item.code);
  const vendorCode = lpErrorCode(item);
  const label = `${PLATFORM} ${operation} replied code ${String(item.code)}${vendorCode ? ` (${vendorCode})` : ''}`;
  if (status === 401 && (vendorCode === undefined || vendorCode === APP_JWT_EXPIRED)) {
    return new AuthExpiredError(label, { status, vendorCode });
  }
  if (status === 429) return new RetryableError(label, { status, vendorCode, retryAfterMs: 1000 });
  if (Number.isInteger(status) && status >= 400 && status < 500) return new PermanentError(label, { status, vendorCode });
  return new RetryableError(label, { status: Number.isInteger(status) ? status : undefined, vendorCode });
}
