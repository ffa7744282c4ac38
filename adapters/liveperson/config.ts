import { z } from 'zod';
import { LP_SERVICES } from './wire.js';

/** The tenant's `liveperson:` block. accountId, domainApiUrl, clientId, clientSecret, skillId are the public contract. */
export const LivePersonConfig = z
  .strictObject({
    accountId: z.string().regex(/^\d{1,20}$/, 'the LivePerson site id (digits)'),
    domainApiUrl: z.string().url().default('https://api.liveperson.net'),
    clientId: z.string().min(1),
    /** Also the key of the webhook signature. */
    clientSecret: z.string().min(1),
    skillId: z.string().min(1).default('-1'),
    /** Routing by engagement, which LivePerson recommends over skillId; both or neither. */
    campaignId: z.string().min(1).optional(),
    engagementId: z.string().min(1).optional(),
    /** Send image attachments as hosted files (the account's file-sharing property must be on). */
    fileSharing: z.boolean().default(false),
    /**
     * Publish a customer side's rich messages (an eGain bot's list picker, say) as LivePerson structured
     * content instead of their text. UNKNOWN whether the agent workspace shows structured content a
     * consumer sent, so text is the default.
     */
    consumerRichContent: z.boolean().default(false),
    /** Scheme for Domain API base URIs, which are bare host names; a base URI that carries a scheme is used as-is. */
    scheme: z.enum(['https', 'http']).default('https'),
    requestTimeoutMs: z.number().int().min(1).max(60_000).default(10_000),
    domainCacheSeconds: z.number().int().min(1).default(3600),
    /** Renew the AppJWT this long before its `exp`. */
    appJwtRefreshMarginSeconds: z.number().int().min(0).max(1800).default(60),
    /**
     * Loss detection: a gap in a dialog's `sequence` still open `waitMs` after a later event arrived is
     * reported (metric, warning, status page). The wait leaves room for out-of-order and retried webhooks.
     */
    sequenceGaps: z
      .strictObject({ enabled: z.boolean().default(true), waitMs: z.number().int().min(100).max(3_600_000).default(60_000) })
      .default({ enabled: true, waitMs: 60_000 }),
    /** Fixed domains per service, skipping the Domain API (sandboxes, tests). */
    domainOverrides: z.partialRecord(z.enum(LP_SERVICES), z.string().min(1)).optional(),
  })
  .refine((c) => (c.campaignId === undefined) === (c.engagementId === undefined), {
    message: 'campaignId and engagementId go together',
    path: ['campaignId'],
  });
export type LivePersonConfig = z.infer<typeof LivePersonConfig>;
