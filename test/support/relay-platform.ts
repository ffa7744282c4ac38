import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { AuthenticationError, PayloadError } from '../../src/errors.js';
import { vendorCall } from '../../src/vendor-http/vendor-client.js';
import type { InboundEventInput } from '../../src/model/events.js';
import type { Adapter, RouteRole } from '../../src/ports/adapter.js';
import { sendingEveryKind } from './test-platform.js';

/**
 * A minimal platform for core tests: webhooks authenticated by a shared token header, one JSON shape
 * per message, and deliveries POSTed to a TargetServer with the event id as idempotency key.
 */
export const RelayConfig = z.strictObject({
  token: z.string().min(8),
  targetUrl: z.string().url(),
  // Long enough that a loaded machine does not turn slow answers into resends the tests would count.
  timeoutMs: z.number().int().default(10_000),
});
export type RelayConfig = z.infer<typeof RelayConfig>;

const RelayMessage = z.object({
  conversation: z.string().min(1),
  id: z.string().min(1),
  text: z.string(),
  role: z.enum(['customer', 'agent']).default('customer'),
});
const RelayBody = z.object({ messages: z.array(RelayMessage).min(1) });
/** A keep-alive the relay documents and the bridge ignores on purpose (a drop, not an unrecognised payload). */
const RelayPing = z.strictObject({ ping: z.literal(true) });

/** How often the core asked each relay platform to refresh its credential (after a 401). */
export const authRefreshes = new Map<string, number>();

export function relayPlatform(name: string, roles: readonly RouteRole[]): Adapter<RelayConfig> {
  return {
    platform: name,
    roles,
    configSchema: RelayConfig,
    create({ config, runtime }) {
      const http = runtime.vendorHttp({ baseURL: config.targetUrl, timeoutMs: config.timeoutMs });
      const expected = Buffer.from(config.token);
      return {
        platform: name,
        verify(req) {
          const given = Buffer.from(String(req.headers['x-relay-token'] ?? ''));
          if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new AuthenticationError();
        },
        normalize(body): InboundEventInput[] {
          if (RelayPing.safeParse(body).success) {
            runtime.drop('vendor', 'not-carried', { type: 'ping' });
            return [];
          }
          const parsed = RelayBody.safeParse(body);
          if (!parsed.success) {
            runtime.unrecognized('envelope', 'not a relay payload', body);
            throw PayloadError.fromZod('not a relay payload', parsed.error);
          }
          return parsed.data.messages.map((m) => ({
            kind: 'message',
            id: `${name}:${m.conversation}:${m.id}`,
            origin: { platform: name, conversationId: m.conversation, messageId: m.id },
            sender: { role: m.role },
            timestamp: new Date(0).toISOString(),
            text: m.text,
          }));
        },
        refreshAuth() {
          authRefreshes.set(name, (authRefreshes.get(name) ?? 0) + 1);
        },
        outbound: sendingEveryKind(async (event, ctx) => {
          if (!ctx.conversation.nativeId()) await ctx.conversation.link(`${name}-${event.conversationId}`);
          const res = await vendorCall<{ id: string }>(
            http,
            {
              method: 'POST',
              url: '/deliveries',
              headers: { 'Idempotency-Key': event.id },
              data: { conversation: ctx.conversation.nativeId(), event },
            },
            { vendor: name, operation: 'deliver' },
          );
          return { status: 'sent', nativeMessageIds: [res.data.id] };
        }),
      };
    },
  };
}
