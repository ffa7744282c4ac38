import type { VendorErrorRules } from '../../src/vendor-http/classify.js';

/** eGain's error body carries `code` (`"401-104"`: the access token expired; see wire.ts's ErrorBody). */
export function egainErrorCode(body: unknown): string | undefined {
  const code = (body as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * eGain's hook into the one classification (src/vendor-http/classify.ts): its error code, for messages
 * and decisions. Its statuses say the rest: a 401 is a refused access token (the core refreshes it once),
 * another 4xx a request eGain will refuse again.
 */
export const EGAIN_ERRORS: VendorErrorRules = { vendor: 'egain', vendorCode: egainErrorCode };
