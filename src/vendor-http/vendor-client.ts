import type { z } from 'zod';
import type { DeliveryError } from '../errors.js';
import { createAxiosVendorHttp } from './axios-vendor-http.js';
import { type CallDescription, classifyFailure, classifyResponse, classifyTransportError } from './classify.js';
import { createNodeVendorHttp } from './node-vendor-http.js';
import type { CallOutcomes, VendorHttp, VendorRequest, VendorResponse } from './vendor-http.js';

export type { CallDescription } from './classify.js';
export type { CallOutcomes, VendorHttp, VendorRequest, VendorResponse } from './vendor-http.js';

/**
 * The one outbound HTTP path for every adapter: keep-alive sockets, a bounded timeout, every outcome
 * classified once (classify.ts, with the vendor's rules) and reported for connector health.
 */

export const DEFAULT_TIMEOUT_MS = 10_000;

/** Proxies come from the environment; looked up once at start. */
const PROXY_FROM_ENV = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'].some((name) => process.env[name]);

/** Makes the clients an adapter talks through: the runtime's (reporting connector health) or plain ones (CLI checks). */
export type VendorHttpFactory = (options?: { baseURL?: string; timeoutMs?: number }) => VendorHttp;

/** node:http on the hot path; axios only when a proxy is configured, because it honours the proxy variables. */
export function createVendorHttp(options: { baseURL?: string; timeoutMs?: number; viaProxy?: boolean } = {}): VendorHttp {
  const settings = { baseURL: options.baseURL, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS };
  return (options.viaProxy ?? PROXY_FROM_ENV) ? createAxiosVendorHttp(settings) : createNodeVendorHttp(settings);
}

/** The same client, reporting each call's outcome to `outcomes` (what a running bridge lends adapters). */
export function reportingOutcomes(client: VendorHttp, outcomes: CallOutcomes): VendorHttp {
  return { request: (request) => client.request(request), outcomes };
}

/** Statuses under 500 that still say the vendor does not work (see CallOutcomes), whatever the error's class. */
const VENDOR_DOWN_STATUSES: ReadonlySet<number> = new Set([401, 403, 408, 429]);

/** By status, not class: the vendor's rules may call a 409 a gone conversation, and it is still about one request. */
function reportFailure(client: VendorHttp, call: CallDescription, error: DeliveryError): void {
  const status = error.status;
  if (status !== undefined && status < 500 && !VENDOR_DOWN_STATUSES.has(status)) return;
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

/** Reads a 2xx reply with its schema; a reply it cannot read fails the call as the vendor's rules say, never a crash. */
export function parseReply<S extends z.ZodType>(schema: S, res: VendorResponse, call: CallDescription): z.output<S> {
  const parsed = schema.safeParse(res.data ?? {});
  if (parsed.success) return parsed.data;
  throw classifyFailure(call, { status: res.status, unreadable: true });
}
