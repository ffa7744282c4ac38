import { EgainConfig } from '../../adapters/egain/config.js';
import { type CallbackShape, type EgainSimulator, INTERACTION_SCOPE, READ_SCOPE, startEgainSimulator } from '../../adapters/egain/simulator/index.js';
import type { ChannelBody } from '../../adapters/egain/wire.js';
import { LivePersonConfig } from '../../adapters/liveperson/config.js';
import { type LivePersonSimulator, startLivePersonSimulator } from '../../adapters/liveperson/simulator/index.js';
import { RightNowConfigSchema } from '../../adapters/rightnow/config.js';
import { type RightNowSimulator, type ShapeSwitches, startRightNowSimulator } from '../../adapters/rightnow/simulator/index.js';
import { parseConfig } from '../../src/config/load.js';
import { createLogger } from '../../src/observability/logger.js';
import { Metrics } from '../../src/observability/metrics.js';
import { createRegistry } from '../../src/composition-root.js';
import { ChatbridgeService } from '../../src/service.js';
import { deletePrefix, redisAvailable, TEST_REDIS_URL, uniqueTestPrefix } from '../support/redis.js';

/**
 * The whole product on loopback: the three vendor simulators (one set per tenant, each tenant with its
 * own credentials) and one ChatbridgeService built by the real composition root, in memory or Redis mode.
 */

export type StoreMode = 'memory' | 'redis';
/** Redis mode runs wherever a Redis answers (under CI a missing one fails, see test/support/redis.ts). */
export const STORE_MODES: StoreMode[] = (await redisAvailable()) ? ['memory', 'redis'] : ['memory'];
export type CustomerPlatform = 'rightnow' | 'egain';
export type AgentPlatform = 'liveperson' | 'egain';

export interface TenantSpec {
  id: string;
  customer: CustomerPlatform;
  agent: AgentPlatform;
  /** Further agent platforms of the route, weight 0: new conversations never go there, hand-offs may. */
  standby?: AgentPlatform[];
  /** The route's agents with their weights, instead of `agent` (+ `standby`): may name the customer platform (native share). */
  agents?: { platform: string; weight: number }[];
  /** The RightNow simulator's shapes where the vendor docs are silent (defaults otherwise). */
  rightnowShapes?: Partial<ShapeSwitches>;
  /** How the eGain simulator shapes what eGain's docs leave open in its callbacks. */
  egainCallbacks?: CallbackShape;
  /** Puts something (an outage proxy) in front of LivePerson's messaging service: gets the simulator's URL, returns the one to use. */
  livepersonMessagingVia?: (simulatorUrl: string) => Promise<string>;
  /** The rich message types the customers' eGain channel takes (feature richText); none by default. */
  customerRichTypes?: string[];
  /** `liveperson.consumerRichContent`: the customer side's rich messages go to LivePerson as structured content. */
  consumerRichContent?: boolean;
  /** `liveperson.sequenceGaps.waitMs` (default: the adapter's). */
  sequenceGapWaitMs?: number;
}

export const ADMIN_TOKEN = 'e2e-admin-token-0123456789';
/** `server.fileLinks.secret`: tests mint their own links with it (expired ones, say). */
export const FILE_LINK_SECRET = 'e2e-file-link-secret-0123456789abcdef';
export const AGENT_JOINED_TEXT = 'An agent has joined the chat.';
/** The customers' eGain channel (eGain as the customer side): what our agents' messages must fit. */
export const CUSTOMER_CHANNEL = 'web_chat';
/** The tenant's own custom channel (eGain as the agent side): what our customers' messages must fit. */
export const BRIDGE_CHANNEL = 'custom_chatbridge';
export const EGAIN_MAX_TEXT = 120;

const CALLBACK_AUTH = { type: 'basic' as const, username: 'hub', password: 'hub-callback-password' };

function channel(type: string, allowed: string[], richTypes?: string[]): ChannelBody {
  const rules = {
    maxTextLength: EGAIN_MAX_TEXT,
    features: ['typing_events' as const, 'attachments' as const, ...(richTypes ? ['richText' as const] : [])],
    ...(richTypes ? { richMessageTypes: richTypes } : {}),
    attachmentPolicy: { enabled: true, maxSize: 100_000, type: 'allow' as const, extensions: allowed },
  };
  return {
    type,
    displayName: type,
    icon: 'aWNvbg==',
    restrictions: { inbound: rules, outbound: rules },
    l10nProperties: [
      {
        language: 'en-US',
        properties: [{ name: 'msg_hub_blocked_file_extension', value: "Files of type '{0}' cannot be sent here." }],
      },
    ],
  };
}

export interface E2eTenant extends TenantSpec {
  rightnow?: RightNowSimulator;
  liveperson?: LivePersonSimulator;
  egain?: EgainSimulator;
}

async function startSimulators(spec: TenantSpec): Promise<{ tenant: E2eTenant; config: Record<string, unknown> }> {
  const tenant: E2eTenant = { ...spec };
  const uses = (platform: string) =>
    spec.customer === platform || spec.agent === platform || spec.standby?.includes(platform as AgentPlatform) || spec.agents?.some((a) => a.platform === platform);
  const config: Record<string, unknown> = {};
  const creds = (name: string) => ({ username: `${spec.id}-${name}-user`, password: `${spec.id}-${name}-password` });
  if (spec.customer === 'rightnow') {
    const user = creds('rn');
    tenant.rightnow = await startRightNowSimulator({ ...user, agentAccountId: 12, pollHoldMs: 300, ...spec.rightnowShapes });
    config.rightnow = RightNowConfigSchema.parse({
      siteUrl: tenant.rightnow.url,
      ...user,
      agentAccountId: 12,
      pollTimeoutMs: 2000,
      minBackoffMs: 5,
      maxBackoffMs: 50,
      leaseMs: 1000,
      requestTimeoutMs: 2000,
      agentJoinedText: AGENT_JOINED_TEXT,
    });
  }
  if (uses('liveperson')) {
    const account = { accountId: '12345678', clientId: `${spec.id}-lp-client`, clientSecret: `${spec.id}-lp-secret` };
    tenant.liveperson = await startLivePersonSimulator({ ...account, fileSharing: true });
    const messaging = await spec.livepersonMessagingVia?.(tenant.liveperson.url);
    config.liveperson = LivePersonConfig.parse({
      ...account,
      domainApiUrl: tenant.liveperson.url,
      scheme: 'http',
      fileSharing: true,
      requestTimeoutMs: 2000,
      ...(messaging ? { domainOverrides: { asyncMessagingEnt: messaging } } : {}),
      consumerRichContent: spec.consumerRichContent ?? false,
      ...(spec.sequenceGapWaitMs ? { sequenceGaps: { enabled: true, waitMs: spec.sequenceGapWaitMs } } : {}),
    });
  }
  if (uses('egain')) {
    const role = spec.customer === 'egain' ? 'customer' : 'agent';
    const client = { clientId: `${spec.id}-egain-app`, clientSecret: `${spec.id}-egain-secret` };
    // Customers' files may be png; agents' files only pdf, so an agent's image is refused (and the agent told).
    const bridgeChannel = channel(BRIDGE_CHANNEL, ['png', 'txt']);
    tenant.egain = await startEgainSimulator({
      clients: [{ ...client, type: role === 'agent' ? 'customer' : 'custom_agent', scopes: [INTERACTION_SCOPE, READ_SCOPE] }],
      channels: [bridgeChannel, channel(CUSTOMER_CHANNEL, ['pdf'], spec.customerRichTypes)],
      callbackShape: spec.egainCallbacks,
    });
    config.egain = EgainConfig.parse({
      apiBaseUrl: tenant.egain.url,
      tokenUrl: tenant.egain.tokenUrl,
      ...client,
      callbackAuth: CALLBACK_AUTH,
      channel: bridgeChannel,
      account: { address: `${spec.id}-account`, entryPointId: `${spec.id}-entry-point` },
      timeoutMs: 2000,
    });
  }
  return { tenant, config };
}

export interface E2eBridge {
  service: ChatbridgeService;
  metrics: Metrics;
  tenants: Map<string, E2eTenant>;
  tenant(id: string): E2eTenant;
  /** chatbridge_events_dropped_total for these labels. */
  dropped(labels: { tenant: string; platform: string; kind: string; reason?: string }): Promise<number>;
  /** Reloads the running configuration with other agents (and weights) for one tenant's route. */
  reloadAgents(tenant: string, agents: { platform: string; weight: number }[]): Promise<void>;
  /** An admin API call with the admin token; a body makes it a POST. */
  admin(path: string, body?: unknown): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export interface BridgeOptions {
  store: StoreMode;
  tenants: TenantSpec[];
  transcripts?: Record<string, unknown>;
  /** Over the harness's short delivery timings. */
  delivery?: Record<string, unknown>;
  /** The draw of an agent platform for each new conversation (default Math.random). */
  random?: () => number;
}

export async function startE2eBridge(options: BridgeOptions): Promise<E2eBridge> {
  const keyPrefix = uniqueTestPrefix('cbe2e');
  const tenants = new Map<string, E2eTenant>();
  const blocks: Record<string, unknown>[] = [];
  let service: ChatbridgeService | undefined;
  const close = async () => {
    await service?.stop();
    for (const t of tenants.values()) {
      await Promise.all([t.rightnow?.close(), t.liveperson?.close(), t.egain?.close()]);
    }
    if (options.store === 'redis') await deletePrefix(TEST_REDIS_URL, keyPrefix);
  };
  try {
    for (const spec of options.tenants) {
      const { tenant, config } = await startSimulators(spec);
      tenants.set(spec.id, tenant);
      const agents = spec.agents ?? [{ platform: spec.agent }, ...(spec.standby ?? []).map((platform) => ({ platform, weight: 0 }))];
      blocks.push({ id: spec.id, routes: [{ customer: spec.customer, agents }], ...config });
    }
    const document = (tenantBlocks: Record<string, unknown>[]) => parseConfig(
      {
        server: { port: 0, host: '127.0.0.1', adminToken: ADMIN_TOKEN, fileLinks: { secret: FILE_LINK_SECRET } },
        store: { kind: options.store, url: TEST_REDIS_URL, keyPrefix },
        delivery: { minBackoffMs: 20, maxBackoffMs: 200, leaseMs: 2000, partitions: 4, drainTimeoutMs: 2000, ...options.delivery },
        logging: { level: 'error' },
        ...(options.transcripts ? { transcripts: options.transcripts } : {}),
        tenants: tenantBlocks,
      },
      createRegistry(),
      {},
    );
    const config = document(blocks);
    const metrics = new Metrics();
    service = new ChatbridgeService(config, createRegistry(), { logger: createLogger({ silent: true }), metrics, worker: { pollMs: 20 }, random: options.random });
    await service.start();
    const url = service.url;
    for (const t of tenants.values()) {
      t.liveperson?.setWebhookUrl(`${url}/webhooks/${t.id}/liveperson`);
      t.egain?.setCallback(`${url}/webhooks/${t.id}/egain`, CALLBACK_AUTH);
    }
    const running = service;
    return {
      service: running,
      metrics,
      tenants,
      tenant: (id) => {
        const t = tenants.get(id);
        if (!t) throw new Error(`no tenant ${id}`);
        return t;
      },
      async dropped(labels) {
        const { values } = await metrics.dropped.get();
        return values
          .filter((v) => Object.entries(labels).every(([k, want]) => v.labels[k as keyof typeof v.labels] === want))
          .reduce((sum, v) => sum + v.value, 0);
      },
      async reloadAgents(tenant, agents) {
        const next = blocks.map((b) => (b.id === tenant ? { ...b, routes: [{ ...(b.routes as Record<string, unknown>[])[0], agents }] } : b));
        await running.bridge.reload(document(next));
      },
      async admin(path, body) {
        const res = await fetch(`${running.url}${path}`, {
          method: body === undefined ? 'GET' : 'POST',
          headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return { status: res.status, body: await res.json() };
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/** What the LivePerson agent saw from our consumer, in order: [type, detail]. */
export function consumerEvents(lp: LivePersonSimulator, conversationId: string): [string, unknown][] {
  const conv = lp.conversations.get(conversationId);
  if (!conv) throw new Error(`no LivePerson conversation ${conversationId}`);
  return conv.events
    .filter((e) => e.role === 'CONSUMER')
    .map((e) => {
      const ev = e.event as { type: string; chatState?: string; message?: unknown; status?: string; contentType?: string };
      if (ev.type === 'ChatStateEvent') return [ev.type, ev.chatState];
      if (ev.type === 'AcceptStatusEvent') return [ev.type, ev.status];
      return [`${ev.type} ${ev.contentType}`, ev.message];
    });
}

/** The one LivePerson conversation the bridge opened (throws until there is exactly one). */
export function onlyConversation(lp: LivePersonSimulator): string {
  const ids = [...lp.conversations.keys()];
  if (ids.length !== 1) throw new Error(`expected one LivePerson conversation, found ${ids.length}`);
  return ids[0] as string;
}

/** What the eGain Hub accepted from the bridge for one conversation, in order: [type, text]. */
export function egainSent(eg: EgainSimulator, conversationId: string): [string, string | undefined][] {
  return eg.messages.filter((m) => m.conversationId === conversationId).map((m) => [m.message.type.value, m.message.content?.text]);
}

/** A 1x1 transparent PNG. */
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

/** A fresh bridge (and simulators) for each test of the enclosing describe, closed after it. */
export function bridgePerTest(options: BridgeOptions): () => E2eBridge {
  let bridge: E2eBridge | undefined;
  beforeEach(async () => {
    bridge = await startE2eBridge(options);
  });
  afterEach(async () => {
    await bridge?.close();
    bridge = undefined;
  });
  return () => {
    if (!bridge) throw new Error('the bridge runs only inside a test');
    return bridge;
  };
}
