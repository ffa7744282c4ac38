import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { sendEvent } from '../../src/delivery/send-event.js';
import { AuthenticationError, DeliveryError, PayloadError } from '../../src/errors.js';
import { type ConversationEvent, EVENT_KINDS, type EventKind } from '../../src/model/events.js';
import type { DeliveryContext, Connector, RawInbound, SendResult } from '../../src/ports/adapter.js';
import { CAPABILITIES, type AdapterCapability } from '../../src/ports/capabilities.js';
import { DROP_REASONS, type DropReason } from '../../src/ports/drop-reasons.js';
import { StoredConversation } from '../../src/routing/conversation-handle.js';
import type { ContractSubject } from './contract-subject.js';
import { eventually } from './eventually.js';
import { fakeRuntime } from './fake-runtime.js';
import { SAMPLE_ORIGIN, sampleEvents } from './sample-events.js';

/**
 * The adapter contract: what every registered platform must do, checked without knowing the vendor
 * (test/adapters/contract.test.ts runs it over the registry). Each check throws an AssertionError naming
 * the platform and what it did, so a deliberately broken platform shows the checks can fail.
 */

/** The method that implements each capability: a capability added to the catalogue needs its entry here. */
const CAPABILITY_METHODS: Record<AdapterCapability, keyof Connector> = {
  handToNativeAgents: 'handToNativeAgents',
};

/** Reasons only the core decides (docs/adapters.md, Drops): a handler never returns them. */
const CORE_REASONS: readonly DropReason[] = ['unsupported-kind', 'unknown-conversation', 'native-agents'];

/** Bodies no vendor sends as a webhook: refused whatever the platform. */
export const MALFORMED_BODIES: readonly unknown[] = [null, 42, 'text', [], {}];

/** Roles declared, capabilities from the catalogue only, and each capability's method on the connector. */
export function checkDeclaration({ factory, connector }: ContractSubject): void {
  assert.ok(factory.roles.length > 0, `${factory.platform} declares no role`);
  for (const role of factory.roles) assert.ok(role === 'customer' || role === 'agent', `${factory.platform} declares an unknown role ${String(role)}`);
  assert.equal(connector.platform, factory.platform, `the connector of ${factory.platform} names another platform`);
  for (const capability of factory.capabilities ?? []) {
    assert.ok(capability in CAPABILITIES, `${factory.platform} declares ${capability}, which is not in the capability catalogue`);
    const method = CAPABILITY_METHODS[capability];
    assert.equal(typeof connector[method], 'function', `${factory.platform} declares ${capability} but its connector has no ${method}`);
  }
}

/** A request for the platform's webhook route: JSON, with the headers given. */
function request(headers: Record<string, string>): RawInbound {
  return { headers: { 'content-type': 'application/json', ...headers }, rawBody: Buffer.from('{"hello":"world"}') };
}

/**
 * Credentials of a stranger, in the places vendors put theirs: Basic and Bearer (a well-formed JWT signed
 * with a key nobody configured) authorization, an HMAC of the body under a wrong secret in the signature
 * headers, a shared token in the token headers (`verify` is given headers and body, never the URL).
 */
async function strangerRequests(platform: string): Promise<{ what: string; req: RawInbound }[]> {
  const rawBody = request({}).rawBody;
  const hmac = (algorithm: 'sha1' | 'sha256') => `${algorithm}=${createHmac(algorithm, 'not-the-secret').update(rawBody).digest('base64')}`;
  const jwt = await new SignJWT({ sub: 'stranger' })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode('not-the-secret-not-the-secret-32b'));
  const signatures = {
    [`x-${platform}-signature`]: hmac('sha256'),
    [`x-${platform}-account-id`]: 'stranger-account',
    'x-signature': hmac('sha256'),
    'x-hub-signature': hmac('sha1'),
    'x-hub-signature-256': hmac('sha256'),
  };
  return [
    { what: 'Basic credentials of a stranger', req: request({ authorization: `Basic ${Buffer.from('stranger:wrong-password').toString('base64')}` }) },
    { what: 'a bearer token signed with a wrong key', req: request({ authorization: `Bearer ${jwt}` }) },
    { what: 'signatures under a wrong secret', req: request({ ...signatures, [`x-${platform}-signature`]: hmac('sha1') }) },
    { what: 'SHA-256 signatures under a wrong secret', req: request(signatures) },
    {
      what: 'tokens of a stranger in token headers',
      req: request({ [`x-${platform}-token`]: 'stranger-token', 'x-api-key': 'stranger-token', 'x-auth-token': 'stranger-token', 'x-access-token': jwt }),
    },
  ];
}

/** What `verify` threw for `req`, or undefined when it let it through. Called as a method: connectors may be classes. */
async function refusal(connector: Connector, req: RawInbound): Promise<unknown> {
  try {
    await connector.verify?.(req);
    return undefined;
  } catch (err) {
    return err;
  }
}

/** A platform that takes webhooks authenticates them: nothing gets through without its credentials. */
export async function checkVerifyRefusesStrangers({ factory, connector }: ContractSubject): Promise<void> {
  if (!connector.normalize && !connector.verify) return;
  const { platform } = factory;
  assert.ok(connector.verify, `${platform} takes webhooks (normalize) without verifying them (no verify)`);
  const cases = [{ what: 'no credentials', req: request({}) }, ...(await strangerRequests(platform))];
  for (const { what, req } of cases) {
    const err = await refusal(connector, req);
    assert.ok(err !== undefined, `${platform} verify accepted a webhook with ${what}`);
    assert.ok(err instanceof AuthenticationError, `${platform} verify refused a webhook with ${what} with ${String(err)}, not an AuthenticationError`);
  }
}

/**
 * Malformed webhook bodies are refused with a PayloadError (400), reported as unreadable (never silent), and
 * nothing of them is ingested.
 */
export async function checkNormalizeRefusesMalformed({ factory, connector, runtime }: ContractSubject): Promise<void> {
  if (!connector.normalize) return;
  for (const body of MALFORMED_BODIES) {
    const shown = JSON.stringify(body);
    const ingested = runtime.ingested.length;
    const unrecognized = runtime.unrecognizedSeen.length;
    let err: unknown;
    let events: unknown;
    try {
      events = await connector.normalize(body);
    } catch (caught) {
      err = caught;
    }
    assert.ok(err !== undefined, `${factory.platform} normalize accepted the body ${shown} (${JSON.stringify(events)})`);
    assert.ok(err instanceof PayloadError, `${factory.platform} normalize refused the body ${shown} with ${String(err)}, not a PayloadError`);
    assert.equal(runtime.ingested.length, ingested, `${factory.platform} ingested events from the body ${shown}`);
    assert.ok(runtime.unrecognizedSeen.length > unrecognized, `${factory.platform} refused the body ${shown} without reporting it unrecognized`);
  }
}

/** `stop()` before `start()`, `start()` twice and `stop()` twice all resolve: the core may call them so on a failed start-up or shutdown. */
export async function checkLifecycle({ factory, tenantId, config }: ContractSubject): Promise<void> {
  // A connector of its own: the subject's keeps running for the other checks.
  const connector = factory.create({ config, runtime: fakeRuntime({ platform: factory.platform, tenantId }) });
  const steps: [string, () => Promise<void> | undefined][] = [
    ['stop() before start()', () => connector.stop?.()],
    ['start()', () => connector.start?.()],
    ['a second start()', () => connector.start?.()],
    ['stop()', () => connector.stop?.()],
    ['a second stop()', () => connector.stop?.()],
  ];
  for (const [what, step] of steps) {
    try {
      await step();
    } catch (err) {
      assert.fail(`${factory.platform} failed ${what}: ${String(err)}`);
    }
  }
}

/** The kinds the connector sends are canonical ones, each with a handler. */
function checkHandlerMap(platform: string, connector: Connector): void {
  for (const [kind, handler] of Object.entries(connector.outbound)) {
    assert.ok((EVENT_KINDS as readonly string[]).includes(kind), `${platform} has a handler for ${kind}, which is no canonical kind`);
    assert.equal(typeof handler, 'function', `${platform}'s handler for ${kind} is not a function`);
  }
}

/**
 * A canonical conversation for the subject's side, as the core hands it to the first delivery, linked to a
 * native one of the samples' origin. A customer platform's conversations start there: where its sandbox can
 * speak as the customer, one is opened on the simulator (with the connector started: a poller brings it in
 * from its loop) and waited for until the connector ingested it. An agent platform's has no native
 * conversation yet: the adapter opens one on the first event that needs it.
 */
async function freshConversation({ factory, role, tenantId, runtime, connector, sandbox }: ContractSubject): Promise<{
  conversation: StoredConversation;
  originConversationId: string;
}> {
  const { platform } = factory;
  const other = `${SAMPLE_ORIGIN}-${randomUUID()}`;
  let created: { id: string } | undefined;
  if (role === 'customer' && sandbox.say) {
    await connector.start?.();
    const nativeId = await sandbox.say('customer', 'Hello, I have a question');
    await eventually(
      () => assert.ok(runtime.ingested.some((e) => e.origin.conversationId === nativeId), `${platform} never ingested the conversation its simulator opened`),
      30_000,
    );
    created = await runtime.store.resolveConversation(tenantId, platform, nativeId, { attrs: { customer: platform, agent: SAMPLE_ORIGIN } });
    if (created) await runtime.store.linkConversation(tenantId, created.id, SAMPLE_ORIGIN, other);
  } else {
    const attrs = role === 'customer' ? { customer: platform, agent: SAMPLE_ORIGIN } : { customer: SAMPLE_ORIGIN, agent: platform };
    created = await runtime.store.resolveConversation(tenantId, SAMPLE_ORIGIN, other, { attrs });
  }
  const record = created && (await runtime.store.getConversation(tenantId, created.id));
  assert.ok(record, 'the store lost the conversation it just created');
  return { conversation: new StoredConversation(runtime.store, record, platform, role), originConversationId: other };
}

type Outcome = { result: SendResult } | { thrown: unknown };

/** Through the core's send path; what was sent is linked as the core links it (for receipts and echoes). */
async function deliver({ factory, tenantId, runtime, connector }: ContractSubject, event: ConversationEvent, ctx: DeliveryContext): Promise<Outcome> {
  let result: SendResult;
  try {
    result = await sendEvent(connector.outbound, event, ctx);
  } catch (thrown) {
    return { thrown };
  }
  if (result.status === 'sent') for (const id of result.nativeMessageIds ?? []) await runtime.store.linkMessage(tenantId, event.id, factory.platform, id);
  return { result };
}

function checkReason(what: string, reason: unknown, handled: boolean): void {
  assert.ok(typeof reason === 'string' && reason in DROP_REASONS, `${what} ${String(reason)}, which is not in the drop catalogue`);
  assert.ok(!handled || !CORE_REASONS.includes(reason as DropReason), `${what} ${String(reason)}, a reason only the core decides`);
}

/** Sent, dropped with a reason of the catalogue, or a DeliveryError thrown; `handled` when the kind has a handler. */
function checkOutcome(what: string, outcome: Outcome, handled: boolean): void {
  if ('thrown' in outcome) {
    const { thrown } = outcome;
    assert.ok(thrown instanceof DeliveryError, `${what} threw ${thrown instanceof Error ? thrown.stack : String(thrown)}, not a DeliveryError`);
    return;
  }
  const { result } = outcome;
  if (result.status === 'dropped') return checkReason(`${what} dropped it with`, result.reason, handled);
  assert.equal(result.status, 'sent', `${what} answered with status ${String(result.status)}`);
  if (result.refused) checkReason(`${what} refused part of it with`, result.refused.reason, handled);
  for (const id of result.nativeMessageIds ?? []) assert.ok(typeof id === 'string' && id !== '', `${what} gave an empty native message id`);
}

/**
 * One event of every canonical kind, in a fresh conversation: each is sent, dropped with a reason of the
 * catalogue, or refused with a DeliveryError (src/errors.ts), never another error. A text message is sent,
 * and where the simulator shows what it received, it is there.
 */
export async function checkSendOutcomes(subject: ContractSubject): Promise<void> {
  const { factory, role, tenantId, runtime, connector, sandbox } = subject;
  const as = `${factory.platform} as the ${role} side`;
  checkHandlerMap(factory.platform, connector);
  const { conversation, originConversationId } = await freshConversation(subject);
  const ctx: DeliveryContext = { conversation, attempt: 1, logger: runtime.logger };
  const samples = sampleEvents({ tenant: tenantId, conversationId: conversation.id, originConversationId, role });
  for (const [kind, event] of Object.entries(samples) as [EventKind, ConversationEvent][]) {
    const outcome = await deliver(subject, event, ctx);
    checkOutcome(`${as}, given a ${kind},`, outcome, connector.outbound[kind] !== undefined);
    if (event.kind !== 'message') continue;
    assert.ok('result' in outcome && outcome.result.status === 'sent', `${as} did not send a text message`);
    const nativeId = conversation.nativeId();
    if (sandbox.received && nativeId) assert.ok(sandbox.received(nativeId).includes(event.text), `${as} sent a text its simulator never received`);
  }
  for (const drop of runtime.drops) assert.ok(drop.reason in DROP_REASONS, `${as} reported a drop with ${drop.reason}, which is not in the drop catalogue`);
}
