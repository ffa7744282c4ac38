import type { Bridge } from '../bridge.js';
import type { RouteRole } from '../ports/adapter.js';
import { LiveConversations } from '../routing/live-conversations.js';
import { sleep } from '../sleep.js';
import type { Sandbox } from './sandbox.js';

export interface SayRequest {
  tenant: string;
  as: RouteRole;
  text: string;
}

export interface SayReport {
  /** Where the text was said: the simulated vendor and its native conversation id. */
  said: { platform: string; role: RouteRole; conversation: string };
  /** Where the bridge should deliver it: the other side of the conversation. */
  expected: { platform: string; role: RouteRole; conversation?: string };
  /** The bridge's canonical conversation id, once the bridge has taken the conversation in. */
  conversationId?: string;
  /** Whether the text reached the other simulator within the wait. */
  delivered: boolean;
}

/** A request the sandbox cannot carry out as asked (wrong tenant, nobody to answer yet). */
export class SayRefused extends Error {}

const POLL_MS = 50;
const other = (role: RouteRole): RouteRole => (role === 'customer' ? 'agent' : 'customer');

/**
 * Says `text` as a customer or an agent at a simulator and waits until the bridge delivered it to the other
 * side. The customer speaks in the tenant's newest live conversation (a new one when there is none); the
 * agent answers the newest conversation on the agent platform it was routed to.
 */
export async function sandboxSay(sandbox: Sandbox, bridge: Bridge, request: SayRequest, waitMs = 10_000): Promise<SayReport> {
  const tenant = sandbox.config.tenants.find((t) => t.id === request.tenant);
  if (!tenant) throw new SayRefused(`the sandbox has no tenant ${request.tenant} (it has ${sandbox.config.tenants.map((t) => t.id).join(', ')})`);
  const [latest] = await new LiveConversations(bridge.store).list(tenant.id, 1);
  const platform = latest?.attrs[request.as] ?? (request.as === 'customer' ? tenant.routes[0]!.customer : undefined);
  const native = platform ? latest?.links[platform] : undefined;
  if (!platform || (request.as === 'agent' && !native)) {
    throw new SayRefused('no conversation has reached an agent yet: say something as the customer first');
  }
  const simulator = sandbox.simulator(platform);
  if (!simulator?.say) throw new SayRefused(`the ${platform} simulator cannot speak for a ${request.as}`);

  const otherPlatform = latest?.attrs[other(request.as)];
  const otherNative = otherPlatform ? latest?.links[otherPlatform] : undefined;
  const before = otherPlatform && otherNative ? times(sandbox, otherPlatform, otherNative, request.text) : 0;
  const conversation = await simulator.say(request.as, request.text, native);
  const report: SayReport = {
    said: { platform, role: request.as, conversation },
    expected: { platform: otherPlatform ?? '(chosen by the route weights)', role: other(request.as) },
    delivered: false,
  };

  const deadline = Date.now() + waitMs;
  for (;;) {
    const found = await bridge.store.resolveConversation(tenant.id, platform, conversation);
    const record = found && (await bridge.store.getConversation(tenant.id, found.id));
    const target = record ? record.attrs[other(request.as)] : undefined;
    if (record && target) {
      report.conversationId = record.id;
      report.expected = { platform: target, role: other(request.as), conversation: record.links[target] };
      const targetNative = record.links[target];
      if (targetNative && times(sandbox, target, targetNative, request.text) > before) return { ...report, delivered: true };
    }
    if (Date.now() >= deadline) return report;
    await sleep(POLL_MS);
  }
}

/** How often the bridge has delivered exactly this text into a native conversation of a simulator. */
function times(sandbox: Sandbox, platform: string, conversation: string, text: string): number {
  return (sandbox.simulator(platform)?.received?.(conversation) ?? []).filter((t) => t === text).length;
}
