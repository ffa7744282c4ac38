import type { z } from 'zod';
import { createVendorHttp, parseReply, vendorCall, type VendorHttp, type VendorHttpFactory } from '../../src/vendor-http/vendor-client.js';
import type { RightNowConfig } from './config.js';
import { CHAT_SERVER_ERRORS, CONNECT_REST_ERRORS, systemErrorFailure } from './errors.js';
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
    const call = { ...CONNECT_REST_ERRORS, operation: 'serviceSettings' };
    const res = await vendorCall(this.http, { method: 'GET', url: CONNECT_REST_SETTINGS_PATH, headers: this.headers }, call);
    return parseReply(ServiceSettings, res, call);
  }

  async agentToken(): Promise<string> {
    const call = { ...CONNECT_REST_ERRORS, operation: 'agentTokens' };
    const res = await vendorCall(this.http, { method: 'POST', url: CONNECT_REST_TOKENS_PATH, headers: this.headers, data: {} }, call);
    return parseReply(AgentTokenReply, res, call).sessionToken;
  }

  /** The chat server origin: configured, or `domain` when it has a scheme, else https://domain. */
  chatServerOf(settings: ServiceSettings): string {
    if (this.config.chatServerUrl) return this.config.chatServerUrl.replace(/\/+$/, '');
    return /^https?:\/\//.test(settings.domain) ? settings.domain.replace(/\/+$/, '') : `https://${settings.domain}`;
  }
}

/** The chat server's agent operations: one POST shape, RightNow's error rules. */
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
    const call = { ...CHAT_SERVER_ERRORS, operation };
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
      call,
    );
    const reply = parseReply(options.reply ?? GenericReply, res, call) as z.output<S>;
    const systemError = (reply as { chatSystemError?: unknown }).chatSystemError;
    if (systemError && typeof systemError === 'object') throw systemErrorFailure(operation, systemError as ChatSystemError);
    return reply;
  }
}
