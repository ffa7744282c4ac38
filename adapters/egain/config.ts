import { z } from 'zod';
import { L10nProperties, Restrictions } from './wire.js';

/** The tenant's `egain:` block. The first five keys are the public contract (shared/design.md). */

const BasicCallbackAuth = z.strictObject({
  type: z.literal('basic'),
  username: z.string().min(1),
  password: z.string().min(1),
});

/** The Hub sends a bearer JWT it obtained as registered with the Authentication API (oauth2 variant). */
const JwtCallbackAuth = z
  .strictObject({
    type: z.literal('jwt'),
    issuer: z.string().min(1),
    audience: z.string().min(1),
    jwksUrl: z.string().url().optional(),
    secret: z.string().min(32, 'an HS256 secret of at least 32 characters').optional(),
  })
  .refine((v) => (v.jwksUrl === undefined) !== (v.secret === undefined), {
    message: 'exactly one of jwksUrl or secret',
  });

/** The tenant's custom channel, as `register-channel` creates it and as sends are checked against. */
const ChannelConfig = z.strictObject({
  type: z.string().min(1).max(255).default('custom_chatbridge'),
  displayName: z.string().min(1).max(255).default('chatbridge'),
  /** base64 PNG, 32x32 for eGain Chat (seed). Default: a 1x1 transparent PNG. */
  icon: z
    .string()
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64')
    .default('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII='),
  description: z.string().min(1).max(1023).optional(),
  restrictions: Restrictions.default({}),
  l10nProperties: z.array(L10nProperties).min(1).max(25).optional(),
  /** The id register-channel printed; PUT updates it instead of creating another channel. */
  id: z.string().min(1).optional(),
});

export const EgainConfig = z.strictObject({
  apiBaseUrl: z.string().url(),
  tokenUrl: z.string().url(),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  callbackAuth: z.union([BasicCallbackAuth, JwtCallbackAuth]),
  /** Tenant-prefixed in some eGain regions, hence configurable (vendor-notes). */
  scope: z.string().min(1).default('app.conversation.conversationmgr.interaction.manage'),
  /** Scope for the channel API, used by register-channel only. */
  manageScope: z.string().min(1).default('app.conversation.conversationmgr.manage'),
  /** Scope to read other channels' restrictions (eGain as the customer side); without it the channel block applies. */
  readScope: z.string().min(1).default('app.conversation.conversationmgr.read'),
  /** How long another channel's restrictions are reused before GET /channels is asked again. */
  channelCacheMs: z.number().int().min(0).default(5 * 60_000),
  /** The client application type the bridge is registered as when eGain is the customer side. */
  agentClientType: z.enum(['custom_agent', 'custom_bot']).default('custom_agent'),
  channel: ChannelConfig.default(ChannelConfig.parse({})),
  /** Needed to start conversations when the bridge is the customer app (eGain is the agent side). */
  account: z
    .strictObject({
      address: z.string().min(1),
      entryPointId: z.string().min(1),
      /** `conversation.customer.contacts.contact[].type` for the customer's id. */
      contactType: z.string().min(1).default('custom'),
    })
    .optional(),
  timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
  tokenRefreshMarginMs: z.number().int().min(0).default(60_000),
  /** How long a token is reused when the reply has no `expires_in` and the token is no JWT with `exp`. */
  tokenDefaultTtlSeconds: z.number().int().min(1).default(300),
  /** Language of the attachment refusal text when the sender's is unknown. */
  defaultLanguage: z.string().min(2).max(35).default('en-US'),
});
export type EgainConfig = z.infer<typeof EgainConfig>;
export type EgainConfigInput = z.input<typeof EgainConfig>;
export type CallbackAuthConfig = EgainConfig['callbackAuth'];
