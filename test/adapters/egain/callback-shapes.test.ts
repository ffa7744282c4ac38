import { Writable } from 'node:stream';
import { type CallbackShape, startEgainSimulator, type EgainSimulator } from '../../../adapters/egain/simulator/index.js';
import { PayloadError } from '../../../src/errors.js';
import { createLogger } from '../../../src/observability/logger.js';
import { CHANNEL, CHANNEL_TYPE, egainConfig, knownConversation, makeConnector, makeRuntime, TENANT } from './harness.js';

const ZOE = { firstName: 'Zoë', lastName: 'Ångström', language: 'fr-FR', contacts: { contact: [{ type: 'email', address: 'zoe@example.com' }] } };

/** A runtime whose log lines are kept, to see what an operator would see. */
function loggingRuntime() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  return { runtime: { ...makeRuntime(), logger: createLogger({ level: 'debug', stream }) }, lines };
}

const SHAPES: [string, CallbackShape][] = [
  ['conversation in the message, firstName/lastName', { conversationIn: 'message', customerName: 'firstLast' }],
  ['conversation in the message, one name', { conversationIn: 'message', customerName: 'name' }],
  ['conversation in metadata, firstName/lastName', { conversationIn: 'metadata', customerName: 'firstLast' }],
  ['conversation in metadata, one name', { conversationIn: 'metadata', customerName: 'name' }],
];

describe.each(SHAPES)('eGain callbacks with the %s', (_name, shape) => {
  let sim: EgainSimulator;
  beforeEach(async () => {
    sim = await startEgainSimulator({ channels: [CHANNEL], callbackShape: shape });
  });
  afterEach(() => sim.close());

  it('when the first customer message of a new conversation arrives, then conversation.started carries the customer, then the message', async () => {
    const connector = makeConnector(egainConfig(sim));
    const chat = sim.openConversation(CHANNEL_TYPE, 'zoe', ZOE);
    const events = await connector.normalize!(sim.callbackPayload(chat, 'text', { id: 'm1', text: 'Bonjour', senderType: 'customer' }));
    const name = shape.customerName === 'name' ? { displayName: 'Zoë Ångström' } : { firstName: 'Zoë', lastName: 'Ångström' };
    expect(events).toEqual([
      expect.objectContaining({
        id: `egain:${chat}:started`,
        kind: 'conversation.started',
        origin: { platform: 'egain', conversationId: chat },
        customer: { ...name, language: 'fr-FR', email: 'zoe@example.com' },
      }),
      expect.objectContaining({ id: `egain:${chat}:m1`, kind: 'message', text: 'Bonjour', origin: { platform: 'egain', conversationId: chat, messageId: 'm1' } }),
    ]);
  });

  it('when the conversation is known already, then only the message comes, and the channel it is on is remembered', async () => {
    const runtime = makeRuntime();
    const connector = makeConnector(egainConfig(sim), runtime);
    const chat = sim.openConversation(CHANNEL_TYPE, 'zoe', ZOE);
    await knownConversation(runtime, chat);
    const events = await connector.normalize!(sim.callbackPayload(chat, 'text', { text: 'encore', senderType: 'customer' }));
    expect(events.map((e) => e.kind)).toEqual(['message']);
    expect(await runtime.store.getStable(runtime.store.key('egain', 'channel', TENANT, chat))).toBe(CHANNEL_TYPE);
  });
});

describe('eGain callbacks the adapter cannot read', () => {
  let sim: EgainSimulator;
  beforeEach(async () => {
    sim = await startEgainSimulator({ channels: [CHANNEL] });
  });
  afterEach(() => sim.close());

  it('when the body is in another shape, then it is a 400 saying what is missing, counted, and logged by shape without values', async () => {
    const { runtime, lines } = loggingRuntime();
    const connector = makeConnector(egainConfig(sim), runtime);
    const body = { message: { text: 'my card is 4111 1111', conversationId: 'c-1' } };
    const err = await Promise.resolve()
      .then(() => connector.normalize!(body))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PayloadError);
    expect((err as PayloadError).status).toBe(400);
    expect((err as PayloadError).details).toEqual([expect.objectContaining({ path: 'messages' })]);
    // Reported to the core, which counts it, logs its shape and keeps a masked sample (test/admin/fail-loud.test.ts).
    expect(runtime.unrecognizedSeen).toEqual([{ what: 'envelope', detail: expect.stringContaining('messages'), payload: body }]);
    expect(JSON.stringify(lines)).not.toMatch(/4111|c-1/);
  });

  it('when one message names no conversation anywhere, then the readable ones are still ingested and the callback is refused with the places looked at', async () => {
    const { runtime, lines } = loggingRuntime();
    const connector = makeConnector(egainConfig(sim), runtime);
    await knownConversation(runtime, 'conv-1');
    const good = sim.callbackPayload('conv-1', 'text', { id: 'ok', text: 'fine', senderType: 'customer' }).messages.message[0];
    const orphan = { id: 'lost', type: { value: 'text' }, content: { text: 'where am I' }, sender: { type: 'customer' } };
    const err = await Promise.resolve()
      .then(() => connector.normalize!({ metadata: {}, messages: { message: [good, orphan] } }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PayloadError);
    expect((err as PayloadError).details).toEqual([
      { path: 'messages.message.1.conversation.id', problem: expect.stringContaining('metadata.conversation.id') },
    ]);
    expect(runtime.ingested.map((e) => e.id)).toEqual(['egain:conv-1:ok']);
    expect(runtime.unrecognizedSeen).toEqual([
      { what: 'field', detail: expect.stringContaining('messages.message.1.conversation.id'), payload: expect.any(Object) },
    ]);
    expect(JSON.stringify(lines)).not.toMatch(/where am I|fine/);
  });

  it('when a documented type the bridge does not carry arrives, then it stays quiet: dropped through the runtime, no warning, no 400', async () => {
    const { runtime, lines } = loggingRuntime();
    const connector = makeConnector(egainConfig(sim), runtime);
    await knownConversation(runtime, 'conv-1');
    expect(await connector.normalize!(sim.callbackPayload('conv-1', 'customer.active', { senderType: 'customer' }))).toEqual([]);
    expect(runtime.drops).toEqual([{ kind: 'vendor', reason: 'not-carried', type: 'customer.active' }]);
    expect(lines.filter((l) => l.level === 'warn')).toEqual([]);
    expect(runtime.unrecognizedSeen).toEqual([]);
  });

  it('when a message type nobody documented arrives, then it is reported as unrecognised, not dropped quietly', async () => {
    const runtime = makeRuntime();
    const connector = makeConnector(egainConfig(sim), runtime);
    await knownConversation(runtime, 'conv-1');
    expect(await connector.normalize!(sim.callbackPayload('conv-1', 'text', { id: 'n1', senderType: 'customer' }))).toHaveLength(1);
    const odd = sim.callbackPayload('conv-1', 'text', { id: 'n2', senderType: 'customer' });
    odd.messages.message[0]!.type = { value: 'hologram.beam' };
    expect(await connector.normalize!(odd)).toEqual([]);
    expect(runtime.drops).toEqual([]);
    expect(runtime.unrecognizedSeen).toEqual([{ what: 'type', detail: 'message type hologram.beam', payload: expect.objectContaining({ id: 'n2' }) }]);
  });
});

describe('eGain redeliveries and echoes', () => {
  let sim: EgainSimulator;
  beforeEach(async () => {
    sim = await startEgainSimulator({ channels: [CHANNEL] });
  });
  afterEach(() => sim.close());

  it('when a message the core already ingested comes again, then it is passed on for the dedupe to count, not dropped as an echo', async () => {
    const runtime = makeRuntime();
    const connector = makeConnector(egainConfig(sim), runtime);
    await knownConversation(runtime, 'conv-1');
    // What the core's ingestor writes for a message it accepted from eGain.
    await runtime.store.linkMessage(TENANT, 'egain:conv-1:m1', 'egain', 'm1');
    const events = await connector.normalize!(sim.callbackPayload('conv-1', 'text', { id: 'm1', text: 'again', senderType: 'customer' }));
    expect(events.map((e) => e.id)).toEqual(['egain:conv-1:m1']);
    expect(runtime.drops).toEqual([]);
  });

  it('when the Hub echoes a message the bridge sent, then it is dropped as an echo', async () => {
    const runtime = makeRuntime();
    const connector = makeConnector(egainConfig(sim), runtime);
    await knownConversation(runtime, 'conv-1');
    await runtime.store.linkMessage(TENANT, 'liveperson:lp-1:7', 'egain', 'm2');
    const events = await connector.normalize!(sim.callbackPayload('conv-1', 'text', { id: 'm2', text: 'ours', senderType: 'custom_agent' }));
    expect(events).toEqual([]);
    expect(runtime.drops).toEqual([{ kind: 'vendor', reason: 'echo', type: 'text' }]);
  });
});
