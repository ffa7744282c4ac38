import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { EgainConfig, type EgainConfigInput } from '../../../adapters/egain/config.js';
import { egainAdapter } from '../../../adapters/egain/index.js';
import type { EgainSimulator } from '../../../adapters/egain/simulator/index.js';
import type { ChannelBody } from '../../../adapters/egain/wire.js';
import { ConversationEvent } from '../../../src/model/events.js';
import type { DeliveryContext, Connector, ConnectorRuntime, RouteRole } from '../../../src/ports/adapter.js';
import { StoredConversation } from '../../../src/routing/conversation-handle.js';
import { type FakeRuntime, fakeRuntime } from '../../support/fake-runtime.js';

/**
 * Test helpers for the eGain adapter. Every adapter's harness has the same names for the same jobs:
 * TENANT, makeRuntime (the runtime the core would lend), egainConfig (the tenant's block pointing at the
 * simulator), makeConnector, deliveryContext (what `send` is given) and event (a canonical event to send).
 * eGain adds the tenant's custom channel (CHANNEL), callback credentials (BASIC), knownConversation, startFileServer.
 */
export const TENANT = 't1';
export const CHANNEL_TYPE = 'custom_chatbridge';

const l10n = (language: string, blocked: string, size: string, unsupported: string) => ({
  language,
  properties: [
    { name: 'msg_hub_blocked_file_extension', value: blocked },
    { name: 'msg_hub_attachment_size_exceeds_limit', value: size },
    { name: 'msg_hub_invalid_content_type_to_customer', value: unsupported },
  ],
});

/** The tenant's custom channel: tight limits so tests reach them with small inputs. */
export const CHANNEL: ChannelBody = {
  type: CHANNEL_TYPE,
  displayName: 'chatbridge',
  icon: 'aWNvbg==',
  restrictions: {
    inbound: {
      maxTextLength: 50,
      features: ['typing_events', 'attachments', 'richText'],
      attachmentPolicy: { enabled: true, maxSize: 1000, type: 'block', extensions: ['exe', 'bat'] },
    },
    outbound: {
      maxTextLength: 40,
      features: ['typing_events', 'attachments'],
      attachmentPolicy: { enabled: true, maxSize: 500, type: 'allow', extensions: ['png', 'txt'] },
    },
  },
  l10nProperties: [
    l10n('en-US', "Attachment file type '{0}' is not allowed.", 'File could not be sent. It exceeded the maximum limit of {0}', 'Files cannot be sent here.'),
    l10n('fr-FR', "Le type de fichier '{0}' n'est pas autorisé.", 'Fichier trop volumineux (limite {0})', "Ce type de contenu n'est pas pris en charge."),
  ],
};

export const BASIC = { type: 'basic' as const, username: 'hub', password: 'hub-password-1' };

export function egainConfig(sim: EgainSimulator, overrides: Partial<EgainConfigInput> = {}): EgainConfig {
  return EgainConfig.parse({
    apiBaseUrl: sim.url,
    tokenUrl: sim.tokenUrl,
    clientId: 'bridge',
    clientSecret: 'bridge-secret',
    callbackAuth: BASIC,
    channel: CHANNEL,
    account: { address: 'acct-1', entryPointId: 'ep-1' },
    timeoutMs: 2000,
    ...overrides,
  });
}

export type TestRuntime = FakeRuntime;

export function makeRuntime(): TestRuntime {
  return fakeRuntime({ platform: 'egain', tenantId: TENANT });
}

/** Makes the store know an eGain conversation, as the core does once it has ingested its first event. */
export async function knownConversation(runtime: TestRuntime, nativeId: string): Promise<void> {
  await runtime.store.resolveConversation(TENANT, 'egain', nativeId, { attrs: { customer: 'egain', agent: 'liveperson' } });
}

/** The connector for one tenant, as the core creates it. */
export function makeConnector(config: EgainConfig, runtime: ConnectorRuntime = makeRuntime()): Connector {
  return egainAdapter.create({ config, runtime });
}

/** A delivery context on a canonical conversation, linked to `nativeId` on eGain when given. */
export async function deliveryContext(runtime: TestRuntime, role: RouteRole, nativeId?: string, attrs: Record<string, string> = {}): Promise<DeliveryContext> {
  const record = { id: randomUUID(), tenant: TENANT, links: {} as Record<string, string>, attrs: { ...attrs } };
  await runtime.store.setConversationAttrs(TENANT, record.id, { seeded: '1', ...attrs });
  const conversation = new StoredConversation(runtime.store, record, 'egain', role);
  if (nativeId) await conversation.link(nativeId);
  return { conversation, attempt: 1, logger: runtime.logger };
}

let seq = 0;
/** A canonical event as the core would hand it to `send`. */
export function event(body: Record<string, unknown>, sender: 'customer' | 'agent' | 'bot' = 'customer'): ConversationEvent {
  seq += 1;
  return ConversationEvent.parse({
    id: `other:c1:${seq}`,
    tenant: TENANT,
    conversationId: 'canon-1',
    origin: { platform: 'liveperson', conversationId: 'lp-1', messageId: `m${seq}` },
    sender: { role: sender, id: `${sender}-1` },
    timestamp: new Date().toISOString(),
    ...body,
  });
}

/** A loopback file host standing in for another platform's signed download URLs. */
export async function startFileServer(files: Record<string, { bytes: Buffer; contentType: string }>) {
  const server = http.createServer((req, res) => {
    const file = files[req.url ?? ''];
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': file.contentType }).end(file.bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
