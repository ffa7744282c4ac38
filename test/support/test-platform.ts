import { z } from 'zod';
import { type ConversationEvent, EVENT_KINDS } from '../../src/model/events.js';
import type { DeliveryContext, OutboundHandlers, Adapter, RouteRole, SendResult } from '../../src/ports/adapter.js';
import { AdapterRegistry } from '../../src/ports/registry.js';

/**
 * Tiny vendor-free platforms for core tests (config loader, routing, delivery): they validate a
 * config block like a real adapter and record every `send` instead of calling anyone.
 */

export const TestPlatformConfig = z.strictObject({
  apiKey: z.string(),
  url: z.url().optional(),
});
export type TestPlatformConfig = z.infer<typeof TestPlatformConfig>;

export interface SentEvent {
  tenantId: string;
  platform: string;
  /** The conversation as the platform saw it when `send` was called. */
  conversationId: string;
  role: RouteRole;
  attempt: number;
  event: ConversationEvent;
}

export interface TestPlatform {
  factory: Adapter<TestPlatformConfig>;
  /** Every call to `send`, in call order, across all tenants. */
  sent: SentEvent[];
}

/** Outbound handlers that send every canonical kind the same way, as a test platform does. */
export function sendingEveryKind(send: (event: ConversationEvent, ctx: DeliveryContext) => Promise<SendResult>): OutboundHandlers {
  return Object.fromEntries(EVENT_KINDS.map((kind) => [kind, send]));
}

export function createTestPlatform(platform: string, roles: readonly RouteRole[]): TestPlatform {
  const sent: SentEvent[] = [];
  const factory: Adapter<TestPlatformConfig> = {
    platform,
    roles,
    configSchema: TestPlatformConfig,
    create: ({ runtime: { tenantId } }) => ({
      platform,
      outbound: sendingEveryKind(async (event, ctx) => {
        sent.push({ tenantId, platform, conversationId: ctx.conversation.id, role: ctx.conversation.role, attempt: ctx.attempt, event });
        return { status: 'sent', nativeMessageIds: [`${platform}-msg-${sent.length}`] };
      }),
    }),
  };
  return { factory, sent };
}

/** `alpha` plays the customer side only, `beta` the agent side only. */
export function createTestRegistry(): { registry: AdapterRegistry; alpha: TestPlatform; beta: TestPlatform } {
  const alpha = createTestPlatform('alpha', ['customer']);
  const beta = createTestPlatform('beta', ['agent']);
  return { registry: new AdapterRegistry().register(alpha.factory).register(beta.factory), alpha, beta };
}
