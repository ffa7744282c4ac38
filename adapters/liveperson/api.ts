import { randomUUID } from 'node:crypto';
import { AuthExpiredError, PermanentError } from '../../src/errors.js';
import { vendorCall, type VendorHttp } from '../../src/vendor-http/vendor-client.js';
import type { LivePersonConfig } from './config.js';
import type { ConsumerIdentity, LivePersonCredentials } from './credentials.js';
import type { LivePersonDomains } from './domains.js';
import { isOkCode, LIVEPERSON_ERRORS, replyItemError } from './errors.js';
import { PLATFORM } from './wire.js';
import type { LpRequest } from './wire-requests.js';

interface ReplyItem {
  reqId?: unknown;
  code?: unknown;
  body?: Record<string, unknown>;
}

/** CONVERSATION and SEND of the Connector API, on behalf of one consumer. */
export class LivePersonApi {
  constructor(
    private readonly http: VendorHttp,
    private readonly config: LivePersonConfig,
    private readonly domains: LivePersonDomains,
    private readonly credentials: LivePersonCredentials,
  ) {}

  /** Sends SetUserProfile (first, mandatory) and ConsumerRequestConversation; returns the conversationId. */
  async createConversation(consumer: ConsumerIdentity, profile: LpRequest, request: LpRequest): Promise<string> {
    const profileId = randomUUID();
    const requestId = randomUUID();
    const { data: reply, appJwt } = await this.post<ReplyItem[]>('conversation', consumer, [
      { kind: 'req', id: profileId, ...profile },
      { kind: 'req', id: requestId, ...request },
    ]);
    if (!Array.isArray(reply)) throw new PermanentError(`${PLATFORM} CONVERSATION: the reply is not an array`);
    for (const item of reply) {
      if (item && (item.reqId === profileId || item.reqId === requestId) && !isOkCode(item.code)) {
        throw this.refused(replyItemError('CONVERSATION', item), appJwt);
      }
    }
    const conversationId = reply.find((item) => item?.reqId === requestId)?.body?.conversationId;
    if (typeof conversationId !== 'string' || conversationId === '') {
      throw new PermanentError(`${PLATFORM} CONVERSATION: no conversationId for our request in the reply`);
    }
    return conversationId;
  }

  /** One SEND; returns the reply's body (`{sequence}` for ms.PublishEvent). */
  async send(consumer: ConsumerIdentity, request: LpRequest): Promise<Record<string, unknown>> {
    const id = randomUUID();
    const { data: reply, appJwt } = await this.post<ReplyItem>('conversation/send', consumer, { kind: 'req', id, ...request });
    if (!reply || typeof reply !== 'object') throw new PermanentError(`${PLATFORM} SEND ${request.type}: empty reply`);
    if (!isOkCode(reply.code)) throw this.refused(replyItemError(`SEND ${request.type}`, reply), appJwt);
    return reply.body ?? {};
  }

  /** PUTs file bytes to the pre-signed swift URL that ms.GenerateURLForUploadFile returned. */
  async upload(relativePath: string, queryParams: Record<string, string>, bytes: Buffer): Promise<void> {
    const swift = await this.domains.baseUrl('swift');
    await vendorCall(
      this.http,
      { method: 'PUT', url: `${swift}${relativePath.startsWith('/') ? '' : '/'}${relativePath}`, params: queryParams, data: bytes },
      // 401 means the upload URL is invalid or expired (1 minute): a new one is needed, not a new AppJWT.
      { ...LIVEPERSON_ERRORS, operation: 'file upload', authStatuses: [] },
    );
  }

  private refused<E>(err: E, appJwt: string): E {
    if (err instanceof AuthExpiredError) this.credentials.noteRefused(appJwt);
    return err;
  }

  private async post<T>(path: string, consumer: ConsumerIdentity, data: unknown): Promise<{ data: T; appJwt: string }> {
    const [base, appJwt] = await Promise.all([this.domains.baseUrl('asyncMessagingEnt'), this.credentials.appToken()]);
    try {
      const res = await vendorCall<T>(
        this.http,
        {
          method: 'POST',
          url: `${base}/api/account/${encodeURIComponent(this.config.accountId)}/messaging/consumer/${path}`,
          params: { v: '3' },
          // Raw AppJWT, no "Bearer ": what LivePerson's own samples send.
          headers: { Authorization: appJwt, 'X-LP-ON-BEHALF': consumer.token, 'Content-Type': 'application/json' },
          data,
        },
        { ...LIVEPERSON_ERRORS, operation: path === 'conversation' ? 'CONVERSATION' : 'SEND' },
      );
      return { data: res.data, appJwt };
    } catch (err) {
      throw this.refused(err, appJwt);
    }
  }
}
