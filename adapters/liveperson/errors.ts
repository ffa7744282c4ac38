import { type DeliveryError, PermanentError } from '../../src/errors.js';
import { classifyFailure, type VendorErrorRules, type VendorFailure } from '../../src/vendor-http/classify.js';
import { APP_JWT_EXPIRED, PLATFORM } from './wire.js';

/** LivePerson asks for at least a second between a 429 and the next try. */
const RATE_LIMIT_FLOOR_MS = 1000;

/** LivePerson's `errorCode`, in `{body:{errorCode}}` (documented) or at the top level. */
export function lpErrorCode(data: unknown): string | undefined {
  if (!data || typeof data !== 'object') return undefined;
  const d = data as { errorCode?: unknown; body?: { errorCode?: unknown } };
  const code = d.body?.errorCode ?? d.errorCode;
  return code === undefined || code === null ? undefined : String(code);
}

/**
 * Only an expired or invalid AppJWT (40102, or a 401 that names no code) is cured by a new AppJWT. A bad
 * ConsumerJWS (40103), missing headers (40104/40105) or a consumer/conversation mismatch will fail the
 * same way again.
 */
function verdict({ status, code }: VendorFailure) {
  return status === 401 && code !== undefined && code !== APP_JWT_EXPIRED ? PermanentError : undefined;
}

/** LivePerson's hook into the one classification (src/vendor-http/classify.ts), passed with every call. */
export const LIVEPERSON_ERRORS: VendorErrorRules = {
  vendor: PLATFORM,
  vendorCode: lpErrorCode,
  rateLimitFloorMs: RATE_LIMIT_FLOOR_MS,
  verdict,
};

export function isOkCode(code: unknown): boolean {
  return code === 'OK' || code === 200 || code === '200';
}

/** A reply item (CONVERSATION array entry, SEND reply) whose `code` is not OK: classified like an HTTP status. */
export function replyItemError(operation: string, item: { code?: unknown; body?: unknown }): DeliveryError {
  const status = Number(item.code);
  return classifyFailure(
    { ...LIVEPERSON_ERRORS, operation },
    { status: Number.isInteger(status) ? status : undefined, code: lpErrorCode(item) },
  );
}
