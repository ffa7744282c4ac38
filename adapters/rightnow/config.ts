import { z } from 'zod';

/**
 * The tenant's `rightnow:` block. `siteUrl`, `username`, `password` and `agentAccountId` are the public
 * contract (shared/design.md); the rest are optional tuning keys with production defaults.
 */
export const RightNowConfigSchema = z
  .strictObject({
    /** Connect REST base, e.g. https://acme.custhelp.com (service settings, agent tokens). */
    siteUrl: z.url({ protocol: /^https?$/ }),
    username: z.string().min(1),
    password: z.string().min(1),
    /** The automated agent's staff account id, sent as X-AID. */
    agentAccountId: z.union([z.number().int().positive(), z.string().regex(/^\d+$/, 'a numeric account id')]),
    /** OSvC-CREST-Application-Context (Connect REST wants at most 40 characters). */
    applicationContext: z.string().min(1).max(40).default('chatbridge'),
    /**
     * Overrides the chat server origin from the service settings. Without it the origin is
     * `https://<domain>`, or `domain` itself when it already carries a scheme (the simulator's does).
     */
    chatServerUrl: z.url({ protocol: /^https?$/ }).optional(),
    /** Client-side limit on one getMessages long poll (the server holds it up to about 30 s). */
    pollTimeoutMs: z.number().int().min(100).default(40_000),
    /** maxSessionCount for requestAssignment: engagements this agent session takes at once. */
    maxSessions: z.number().int().min(1).max(1000).optional(),
    maxSessionCount: z.number().int().min(1).max(1000).optional(),
    minBackoffMs: z.number().int().min(1).default(500),
    maxBackoffMs: z.number().int().min(1).default(30_000),
    /** The poll lease (Redis mode: how long until another instance takes over a dead poller). */
    leaseMs: z.number().int().min(50).default(15_000),
    /** Posted to the end user when an agent joins on the other side; empty sends nothing. */
    agentJoinedText: z.string().max(1000).default(''),
    requestTimeoutMs: z.number().int().min(50).default(10_000),
    /** createAutomatedAgentSession `logonOverride`: take over a session a dead instance left behind. */
    logonOverride: z.boolean().default(true),
  })
  .transform(({ maxSessions, maxSessionCount, agentAccountId, ...rest }) => ({
    ...rest,
    agentAccountId: String(agentAccountId),
    maxSessionCount: maxSessionCount ?? maxSessions ?? 10,
  }));

export type RightNowConfig = z.output<typeof RightNowConfigSchema>;
