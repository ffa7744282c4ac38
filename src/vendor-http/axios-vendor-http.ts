import axios from 'axios';
import { vendorHttpAgent, vendorHttpsAgent } from './vendor-agents.js';
import {
  asTransportError,
  requestHost,
  type VendorHttp,
  type VendorHttpOptions,
  type VendorRequest,
  type VendorResponse,
} from './vendor-http.js';

/**
 * VendorHttp on axios, for deployments that reach vendors through a proxy (HTTP(S)_PROXY, NO_PROXY
 * in the environment): axios reads and honours those, node:http does not. Same contract as the
 * node:http client: statuses are not errors, no redirects, transport failures as VendorTransportError.
 */

export function createAxiosVendorHttp(options: VendorHttpOptions): VendorHttp {
  const client = axios.create({
    baseURL: options.baseURL,
    timeout: options.timeoutMs,
    httpAgent: vendorHttpAgent,
    httpsAgent: vendorHttpsAgent,
    validateStatus: () => true,
    maxRedirects: 0,
    transitional: { clarifyTimeoutError: true },
  });
  return {
    async request<T>(request: VendorRequest): Promise<VendorResponse<T>> {
      const { timeoutMs, ...rest } = request;
      try {
        const res = await client.request<T>({ ...rest, ...(timeoutMs ? { timeout: timeoutMs } : {}) });
        return { status: res.status, headers: { ...res.headers } as VendorResponse['headers'], data: res.data };
      } catch (err) {
        // axios lets some setup failures through unwrapped (an invalid URL is a TypeError with a code).
        throw asTransportError(err, requestHost(options.baseURL, request));
      }
    },
  };
}
