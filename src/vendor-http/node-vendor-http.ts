import http from 'node:http';
import https from 'node:https';
import { retryOnFreshSocket, vendorHttpAgent, vendorHttpsAgent } from './vendor-agents.js';
import {
  asTransportError,
  requestUrl,
  type VendorHttp,
  type VendorHttpOptions,
  type VendorRequest,
  type VendorResponse,
  VendorTransportError,
} from './vendor-http.js';

/**
 * VendorHttp on node:http/https with keep-alive sockets: a JSON POST costs less than half the CPU it
 * cost through axios (no config merging, no header classes), and outbound calls are most of the
 * bridge's per-event work. Redirects are never followed (a 3xx is an answer like any other), the
 * timeout bounds the whole exchange, and no body is compressed (we do not offer to decode one).
 * An idempotent request whose reused keep-alive socket the server reset is sent once more on a fresh one.
 */

const DEFAULT_ACCEPT = 'application/json, text/plain, */*';
/** Vendors see who calls them in their logs (axios used to announce itself here). */
const USER_AGENT = 'chatbridge';

export function createNodeVendorHttp(options: VendorHttpOptions): VendorHttp {
  return { request: <T>(request: VendorRequest) => send<T>(options, request) };
}

function encodeBody(data: unknown): { body?: string | Uint8Array; contentType?: string } {
  if (data === undefined || data === null) return {};
  if (typeof data === 'string' || data instanceof Uint8Array) return { body: data };
  if (data instanceof URLSearchParams) return { body: data.toString(), contentType: 'application/x-www-form-urlencoded;charset=utf-8' };
  return { body: JSON.stringify(data), contentType: 'application/json' };
}

function requestHeaders(request: VendorRequest, body: string | Uint8Array | undefined, contentType: string | undefined) {
  const headers: Record<string, string | number> = { accept: DEFAULT_ACCEPT, 'user-agent': USER_AGENT };
  let hasContentType = false;
  for (const name in request.headers) {
    headers[name] = request.headers[name] as string;
    if (!hasContentType && name.toLowerCase() === 'content-type') hasContentType = true;
  }
  if (body !== undefined) {
    if (contentType && !hasContentType) headers['content-type'] = contentType;
    headers['content-length'] = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
  }
  return headers;
}

function decode(bytes: Buffer, responseType: VendorRequest['responseType']): unknown {
  if (responseType === 'arraybuffer') return bytes;
  const text = bytes.toString('utf8');
  if (text === '') return text;
  // As axios did: a body that is JSON is parsed, whatever its content type says; anything else stays text.
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function send<T>(options: VendorHttpOptions, request: VendorRequest, mayRetry = true): Promise<VendorResponse<T>> {
  return new Promise((resolve, reject) => {
    let url: URL;
    try {
      url = new URL(requestUrl(options.baseURL, request));
    } catch (err) {
      return reject(new VendorTransportError('ERR_INVALID_URL', { cause: err }));
    }
    const { host } = url;
    const secure = url.protocol === 'https:';
    if (!secure && url.protocol !== 'http:') return reject(new VendorTransportError('ERR_INVALID_URL', { host }));
    const { signal } = request;
    if (signal?.aborted) return reject(new VendorTransportError('ERR_CANCELED', { cause: signal.reason, host }));

    const { body, contentType } = encodeBody(request.data);
    const method = request.method.toUpperCase();
    const req = (secure ? https : http).request(url, {
      method,
      agent: secure ? vendorHttpsAgent : vendorHttpAgent,
      headers: requestHeaders(request, body, contentType),
    });
    let settled = false;
    const settle = () => {
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const fail = (err: unknown) => {
      if (settled) return;
      settle();
      reject(asTransportError(err, host));
      req.destroy();
    };
    const onAbort = () => fail(new VendorTransportError('ERR_CANCELED', { cause: signal?.reason, host }));
    const timer = setTimeout(() => fail(new VendorTransportError('ETIMEDOUT', { host })), request.timeoutMs ?? options.timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });

    req.on('error', (err) => {
      if (!settled && mayRetry && retryOnFreshSocket(req, err, method)) {
        settle();
        resolve(send<T>(options, request, false));
        return;
      }
      fail(err);
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let length = 0;
      res.on('data', (chunk: Buffer) => {
        length += chunk.length;
        if (request.maxContentLength !== undefined && length > request.maxContentLength) {
          fail(new VendorTransportError('ERR_CONTENT_TOO_LARGE', { host }));
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', fail);
      res.on('end', () => {
        if (settled) return;
        settle();
        const bytes = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, length);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, data: decode(bytes, request.responseType) as T });
      });
    });
    req.end(body);
  });
}
