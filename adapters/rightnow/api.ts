import type { z } from 'zod';
import { DeliveryError } from '../../src/errors.js';
import { createVendorHttp, vendorCall, type VendorHttp, type VendorHttpFactory } from '../../src/vendor-http/vendor-client.js';
import type { RightNowConfig } from './config.js';
import { exceptionCodeOf, rightNowError, systemErrorFailure } from './errors.js';
import { AgentTokenReply, type ChatSystemError, GenericReply, ServiceSettings } from './wire.js';
import {
  type AgentOperation,
  type AgentRequests,
  agentApiPath,
  APPLICATION_CONTEXT_HEADER,
  CONNECT_REST_SETTINGS_PATH,
  CONNECT_REST_TOKENS_PATH,
} from './wire-requests.js';

/** Where and as whom chat server calls go: what an agent session is on the wire. */
export interface ChatTarget {
  chatServer: string;
  siteName: string;
  pool: string;
  sessionId?: string;
  jwt?: string;
}

const VENDOR = 'rightnow';

/** Connect REST: the chat server's coordinates and the JWT that opens an agent session. */
export class ConnectRestClient {
  private readonly http: VendorHttp;

  /** `httpFor` is the runtime's client factory in a running bridge (connector health), a plain one in a CLI check. */
  constructor(
    private readonly config: RightNowConfig,
    httpFor: VendorHttpFactory = createVendorHttp,
  ) {
    this.http = httpFor({ baseURL: config.siteUrl.replace(/\/+$/, ''), timeoutMs: config.requestTimeoutMs });
  }

  private get headers(): Record<string, string> {
    const basic = Buffer.from(`${this.config.username}:${this.config.password}`).toString('base64');
    return { authorization: `Basic ${basic}`, [APPLICATION_CONTEXT_HEADER]: this.config.applicationContext };
  }

  async serviceSettings(): Promise<ServiceSettings> {
    const res = await vendorCall(
      this.http,
      { method: 'GET', url: CONNECT_REST_SETTINGS_PATH, headers: this.headers },
      { vendor: VENDOR, operation: 'serviceSettings', authStatuses: [401, 403] },
    );
    return parseReply(ServiceSettings, res.data, 'serviceSettings');
  }

  async agentToken(): Promise<string> {
    const res = await vendorCall(
      this.http,
      { method: 'POST', url: CONNECT_REST_TOKENS_PATH, headers: this.headers, data: {} },
      { vendor: VENDOR, operation: 'agentTokens', authStatuses: [401, 403] },
    );
    return parseReply(AgentTokenReply, res.data, 'agentTokens').sessionToken;
  }

  /** The chat server origin: configured, or `domain` when it has a scheme, else https://domain. */
  chatServerOf(settings: ServiceSettings): string {
    if (this.config.chatServerUrl) return this.config.chatServerUrl.replace(/\/+$/, '');
    return /^https?:\/\//.test(settings.domain) ? settings.domain.replace(/\/+$/, '') : `https://${settings.domain}`;
  }
}

/** The chat server's agent operations: one POST shape, one error mapping. */
export class AgentApi {
  private readonly http: VendorHttp;

  constructor(
    private readonly agentAccountId: string,
    timeoutMs: number,
    httpFor: VendorHttpFactory = createVendorHttp,
  ) {
    this.http = httpFor({ timeoutMs });
  }

  async call<O extends AgentOperation, S extends z.ZodType = typeof GenericReply>(
    operation: O,
    target: ChatTarget,
    body: AgentRequests[O],
    options: { reply?: S; signal?: AbortSignal; timeoutMs?: number } = {},
  ): Promise<z.output<S>> {
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      accept: 'application/json; charset=utf-8',
    };
    if (target.jwt) headers.authorization = `Bearer ${target.jwt}`;
    if (target.sessionId) {
      headers['x-aid'] = this.agentAccountId;
      headers['x-jsessionid'] = target.sessionId;
    }
    let data: unknown;
    try {
      const res = await vendorCall(
        this.http,
        {
          method: 'POST',
          url: `${target.chatServer}${agentApiPath(target.siteName, operation)}`,
          params: { pool: target.pool },
          headers,
          data: body,
          signal: options.signal,
          timeoutMs: options.timeoutMs,
        },
        { vendor: VENDOR, operation, vendorCode: exceptionCodeOf, authStatuses: [401, 403] },
      );
      data = res.data;
    } catch (err) {
      throw remap(operation, err);
    }
    const reply = parseReply(options.reply ?? GenericReply, data, operation) as z.output<S>;
    const systemError = (reply as { chatSystemError?: unknown }).chatSystemError;
    if (systemError && typeof systemError === 'object') throw systemErrorFailure(operation, systemError as ChatSystemError);
    return reply;
  }
}

/** Non-2xx replies get RightNow's code table; transport failures and 429s keep vendorCall's verdict. */
function remap(operation: string, err: unknown): unknown {
  if (!(err instanceof DeliveryError) || err.status === undefined || err.status === 429) return err;
  return rightNowError(operation, err.vendorCode, err.status, err);
}

function parseReply<S extends z.ZodType>(schema: S, data: unknown, operation: string): z.output<S> {
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw rightNowError(`${operation} (unreadable reply)`, 'UNDEFINED_CONDITION', undefined);
  return parsed.data;
}
