import { AuthExpiredError, DeliveryError, PermanentError, RetryableError } from '../errors.js';
import { createAxiosVendorHttp } from './axios-vendor-http.js';
import { createNodeVendorHttp } from './node-vendor-http.js';
import { type CallOutcomes, SETUP_ERROR_CODES, type VendorHttp, type VendorRequest, type VendorResponse, VendorTransportError } from './vendor-http.js';

export type { CallOutcomes, VendorHttp, VendorRequest, VendorResponse } from './vendor-http.js';

/**
 * The one outbound HTTP path for every adapter: keep-alive sockets, a bounded timeout, and the
 * mapping from HTTP outcomes to the error catalogue, so no adapter classifies failures on its own.
 */

export const DEFAULT_TIMEOUT_MS = 10_000;
/** LivePerson and others ask for at least a second between a 429 and the next try. */
export const MIN_RATE_LIMIT_WAIT_MS = 1_000;
const MAX_RETRY_AFTER_MS = 10 * 60_000;

/** Proxies come from the environment; looked up once at start. */
const PROXY_FROM_ENV = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'].some((name) => process.env[name]);

/** Makes the clients an adapter talks through: the runtime's (reporting connector health) or plain ones (CLI checks). */
export type VendorHttpFactory = (options?: { baseURL?: string; timeoutMs?: number }) => VendorHttp;

/** node:http on the hot path; axios only when a proxy is configured, because it honours the proxy variables. */
export function createVendorHttp(options: { baseURL?: string; timeoutMs?: number; viaProxy?: boolean } = {}): VendorHttp {
  const settings = { baseURL: options.baseURL, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS };
  return (options.viaProxy ?? PROXY_FROM_ENV) ? createAxiosVendorHttp(settings) : createNodeVendorHttp(settings);
}

export interface CallDescription {
  vendor: string;
  operation: string;
  /** Pulls the vendor's error code out of an error body, for logs and decisions. */
  vendorCode?: (body: unknown) => string | undefined;
  /** Statuses that mean "credential no longer valid" for this call (default: 401). */
  authStatuses?: readonly number[];
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

export function classifyResponse(res: VendorResponse, call: CallDescription): DeliveryError | undefined {
  const status = res.status;
  if (status >= 200 && status < 300) return undefined;
  const vendorCode = call.vendorCode?.(res.data);
  const label = `${call.vendor} ${call.operation} answered ${status}${vendorCode ? ` (${vendorCode})` : ''}`;
  const retryAfterMs = parseRetryAfter(res.headers?.['retry-after']);
  if ((call.authStatuses ?? [401]).includes(status)) return new AuthExpiredError(label, { status, vendorCode });
  if (status === 429) {
    return new RetryableError(label, {
      status,
      vendorCode,
      retryAfterMs: Math.max(retryAfterMs ?? 0, MIN_RATE_LIMIT_WAIT_MS),
    });
  }
  if (status === 408 || status >= 500) return new RetryableError(label, { status, vendorCode, retryAfterMs });
  return new PermanentError(label, { status, vendorCode });
}

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

/** The same client, reporting each call's outcome to `outcomes` (what a running bridge lends adapters). */
export function reportingOutcomes(client: VendorHttp, outcomes: CallOutcomes): VendorHttp {
  return { request: (request) => client.request(request), outcomes };
}

function reportFailure(client: VendorHttp, call: CallDescription, error: DeliveryError): void {
  // A token endpoint refusing the client's credentials is permanent for the call, and the connector is down.
  const refusedCredential = error.status === 401 || error.status === 403;
  if (error instanceof PermanentError && error.status !== undefined && !refusedCredential) return;
  client.outcomes?.failed(call.operation, error.message);
}

/** Sends one request; resolves with a 2xx response or rejects with a classified DeliveryError. */
export async function vendorCall<T = unknown>(
  client: VendorHttp,
  request: VendorRequest,
  call: CallDescription,
): Promise<VendorResponse<T>> {
  let res: VendorResponse<T>;
  try {
    res = await client.request<T>(request);
  } catch (err) {
    const error = classifyTransportError(err, call);
    reportFailure(client, call, error);
    throw error;
  }
  const failure = classifyResponse(res, call);
  if (failure) {
    reportFailure(client, call, failure);
    throw failure;
  }
  client.outcomes?.succeeded();
  return res;
}
