/**
 * The outbound HTTP port every adapter talks through: one request in, status + headers + body out.
 * Non-2xx answers resolve (classifying them is vendorCall's job); only transport failures reject,
 * always with a VendorTransportError whose code names the failure and whose message never holds a body.
 */

export interface VendorRequest {
  method: string;
  /** Absolute, or relative to the client's base URL. */
  url: string;
  /** Appended to the URL's query string. */
  params?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  /** A string or Buffer goes as is; anything else is sent as JSON. */
  data?: unknown;
  /** Overrides the client's timeout for this request. */
  timeoutMs?: number;
  /** 'json' (default): a body that parses as JSON is parsed, else left as text; 'arraybuffer': a Buffer. */
  responseType?: 'json' | 'arraybuffer';
  /** A longer response body fails the request (ERR_CONTENT_TOO_LARGE). */
  maxContentLength?: number;
  signal?: AbortSignal;
}

export interface VendorResponse<T = unknown> {
  status: number;
  /** Lower-case names, as node:http gives them. */
  headers: Record<string, string | string[] | undefined>;
  data: T;
}

export interface VendorHttp {
  request<T = unknown>(request: VendorRequest): Promise<VendorResponse<T>>;
  /** Where vendorCall reports whether the vendor works (connector health); absent outside a running bridge. */
  readonly outcomes?: CallOutcomes;
}

/**
 * A 2xx says the vendor works; no answer, a 5xx, a 429, a 408 or a refused credential (401, 403) says it
 * does not. Other 4xx answers are about one request (a payload the vendor refuses), not the vendor, and report nothing.
 */
export interface CallOutcomes {
  succeeded(): void;
  failed(operation: string, message: string): void;
}

export interface VendorHttpOptions {
  baseURL?: string;
  timeoutMs: number;
}

/**
 * A request that got no HTTP answer: refused, reset, timed out, cancelled, or set up wrongly. The message
 * names the host (never the path or query, which may carry ids or tokens), so an operator reading
 * ENOTFOUND or ECONNREFUSED knows which configured URL to fix.
 */
export class VendorTransportError extends Error {
  readonly host: string | undefined;

  constructor(
    readonly code: string,
    options?: { cause?: unknown; host?: string },
  ) {
    super(options?.host ? `vendor request to ${options.host} failed: ${code}` : `vendor request failed: ${code}`, options);
    this.name = 'VendorTransportError';
    this.host = options?.host;
  }
}

/** Any failure as a VendorTransportError, named by its code (ECONNREFUSED, ERR_INVALID_URL...) when it has one. */
export function asTransportError(err: unknown, host?: string): VendorTransportError {
  if (err instanceof VendorTransportError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  return new VendorTransportError(typeof code === 'string' ? code : 'ERR_NETWORK', { cause: err, host });
}

/** The host a request goes to, when its URL can be read. */
export function requestHost(baseURL: string | undefined, request: VendorRequest): string | undefined {
  try {
    return new URL(requestUrl(baseURL, request)).host;
  } catch {
    return undefined;
  }
}

/** Codes that say the request itself is wrong: retrying cannot help. */
export const SETUP_ERROR_CODES: ReadonlySet<string> = new Set(['ERR_BAD_OPTION', 'ERR_INVALID_URL', 'ERR_BAD_OPTION_VALUE']);

/** The URL a request goes to: relative URLs joined to the base, params appended to the query. */
export function requestUrl(baseURL: string | undefined, request: VendorRequest): string {
  let url = request.url;
  if (baseURL && !/^[a-z][a-z\d+\-.]*:\/\//i.test(url)) url = `${baseURL.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`;
  if (!request.params) return url;
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(request.params)) if (value !== undefined) query.append(name, String(value));
  const qs = query.toString();
  if (qs === '') return url;
  return `${url}${url.includes('?') ? '&' : '?'}${qs}`;
}
