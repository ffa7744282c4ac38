import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosInstance, type AxiosRequestConfig, type AxiosResponse, isAxiosError } from 'axios';
import { AuthExpiredError, DeliveryError, PermanentError, RetryableError } from '../errors.js';

/**
 * The one outbound HTTP path for every adapter: keep-alive sockets, a bounded timeout, and the
 * mapping from HTTP outcomes to the error catalogue, so no adapter classifies failures on its own.
 */

const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 256 });

export const DEFAULT_TIMEOUT_MS = 10_000;
/** LivePerson and others ask for at least a second between a 429 and the next try. */
export const MIN_RATE_LIMIT_WAIT_MS = 1_000;
const MAX_RETRY_AFTER_MS = 10 * 60_000;

/** Proxies come from the environment, as axios reads them; looked up once instead of on every request. */
const PROXY_FROM_ENV = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'].some((name) => process.env[name]);

export function createVendorHttp(options: { baseURL?: string; timeoutMs?: number } = {}): AxiosInstance {
  return axios.create({
    // false skips axios's per-request proxy lookup (a measurable share of its CPU) when no proxy is set.
    ...(PROXY_FROM_ENV ? {} : { proxy: false as const }),
    baseURL: options.baseURL,
    timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    httpAgent,
    httpsAgent,
    // Status handling is ours (classifyResponse); axios must not throw on 4xx/5xx.
    validateStatus: () => true,
    maxRedirects: 0,
    // Never let axios put a whole response body or our request into an error message.
    transitional: { clarifyTimeoutError: true },
  });
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

export function classifyResponse(res: AxiosResponse, call: CallDescription): DeliveryError | undefined {
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
  if (isAxiosError(err)) {
    const code = err.code ?? 'ERR_NETWORK';
    if (code === 'ERR_BAD_OPTION' || code === 'ERR_INVALID_URL' || code === 'ERR_BAD_OPTION_VALUE') {
      return new PermanentError(`${call.vendor} ${call.operation}: bad request setup (${code})`, { cause: err });
    }
    return new RetryableError(`${call.vendor} ${call.operation}: ${code}`, { cause: err });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new RetryableError(`${call.vendor} ${call.operation}: ${message}`, { cause: err });
}

/** Sends one request; resolves with a 2xx response or rejects with a classified DeliveryError. */
export async function vendorCall<T = unknown>(
  client: AxiosInstance,
  request: AxiosRequestConfig,
  call: CallDescription,
): Promise<AxiosResponse<T>> {
  let res: AxiosResponse<T>;
  try {
    res = await client.request<T>(request);
  } catch (err) {
    throw classifyTransportError(err, call);
  }
  const failure = classifyResponse(res, call);
  if (failure) throw failure;
  return res;
}
