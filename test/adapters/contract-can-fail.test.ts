import { AuthenticationError, PayloadError } from '../../src/errors.js';
import type { OutboundHandlers, Connector, Adapter, ConnectorRuntime, SandboxProvider } from '../../src/ports/adapter.js';
import type { AdapterCapability } from '../../src/ports/capabilities.js';
import type { DropReason } from '../../src/ports/drop-reasons.js';
import {
  checkDeclaration,
  checkLifecycle,
  checkNormalizeRefusesMalformed,
  checkSendOutcomes,
  checkVerifyRefusesStrangers,
} from '../support/adapter-contract.js';
import { type ContractSubject, startSubject } from '../support/contract-subject.js';
import { type RelayConfig, relayPlatform } from '../support/relay-platform.js';
import { TargetServer } from '../support/target-server.js';

/**
 * The adapter contract's checks can fail: the relay test platform keeps the contract, and each variant of it
 * below breaks one rule, which the check for that rule must report.
 */

/** The relay's "simulator": a target server taking its deliveries, the texts it received kept per conversation. */
const relaySandbox: SandboxProvider<RelayConfig> = {
  async start() {
    const target = new TargetServer();
    const url = await target.start();
    return {
      config: { token: 'contract-relay-token', targetUrl: url, timeoutMs: 10_000 },
      url,
      received: (conversation) =>
        target.accepted.filter((r) => r.conversation === conversation).map((r) => String((r.body.event as { text?: string }).text)),
      close: () => target.close(),
    };
  },
};

interface Change {
  factory?: Partial<Adapter<RelayConfig>>;
  connector?: (relay: Connector, runtime: ConnectorRuntime) => Partial<Connector>;
}

function relayVariant(change: Change = {}): Adapter<unknown> {
  const relay = relayPlatform('relay', ['agent']);
  const factory: Adapter<RelayConfig> = {
    ...relay,
    sandbox: relaySandbox,
    ...change.factory,
    create(args) {
      const connector = relay.create(args);
      return { ...connector, ...change.connector?.(connector, args.runtime) };
    },
  };
  return factory as Adapter<unknown>;
}

/** The relay's handlers with one of them replaced. */
const withHandlers = (handlers: OutboundHandlers) => (relay: Connector) => ({ outbound: { ...relay.outbound, ...handlers } });

/** A lifecycle that refuses to repeat one step: a second start while running, or a second stop. */
function fussyLifecycle(refused: 'start' | 'stop'): Partial<Connector> {
  let state: 'new' | 'running' | 'stopped' = 'new';
  return {
    async start() {
      if (state === 'running' && refused === 'start') throw new Error('already running');
      state = 'running';
    },
    async stop() {
      if (state === 'stopped' && refused === 'stop') throw new Error('already stopped');
      if (state === 'running') state = 'stopped';
    },
  };
}

type Check = (subject: ContractSubject) => Promise<void> | void;

const broken: [string, Change, Check, RegExp][] = [
  ['a verify that accepts everything', { connector: () => ({ verify: () => undefined }) }, checkVerifyRefusesStrangers, /accepted a webhook with no credentials/],
  [
    'a verify that takes any Basic credentials',
    {
      connector: () => ({
        verify: (req) => {
          if (!req.headers.authorization?.startsWith('Basic ')) throw new AuthenticationError();
        },
      }),
    },
    checkVerifyRefusesStrangers,
    /accepted a webhook with Basic credentials of a stranger/,
  ],
  [
    'a verify that takes any token header',
    {
      connector: () => ({
        verify: (req) => {
          if (!req.headers['x-relay-token']) throw new AuthenticationError();
        },
      }),
    },
    checkVerifyRefusesStrangers,
    /accepted a webhook with tokens of a stranger in token headers/,
  ],
  ['webhooks taken without verify', { connector: () => ({ verify: undefined }) }, checkVerifyRefusesStrangers, /without verifying them/],
  [
    'a verify that refuses with a plain Error',
    {
      connector: () => ({
        verify: () => {
          throw new Error('no');
        },
      }),
    },
    checkVerifyRefusesStrangers,
    /not an AuthenticationError/,
  ],
  [
    'a normalize that takes an empty object',
    {
      connector: (_relay, runtime) => ({
        normalize: (body) => {
          if (typeof body === 'object' && body !== null && !Array.isArray(body)) return [];
          runtime.unrecognized('envelope', 'not an object', body);
          throw new PayloadError('not an object');
        },
      }),
    },
    checkNormalizeRefusesMalformed,
    /accepted the body \{\}/,
  ],
  [
    'a normalize that refuses silently',
    {
      connector: () => ({
        normalize: () => {
          throw new PayloadError('no');
        },
      }),
    },
    checkNormalizeRefusesMalformed,
    /without reporting it unrecognized/,
  ],
  [
    'a handler that throws a TypeError',
    {
      connector: withHandlers({
        typing: async () => {
          throw new TypeError('boom');
        },
      }),
    },
    checkSendOutcomes,
    /given a typing, threw TypeError: boom/,
  ],
  [
    'a drop reason outside the catalogue',
    { connector: withHandlers({ typing: async () => ({ status: 'dropped', reason: 'because' as DropReason }) }) },
    checkSendOutcomes,
    /because, which is not in the drop catalogue/,
  ],
  [
    'a handler deciding a reason of the core',
    { connector: withHandlers({ receipt: async () => ({ status: 'dropped', reason: 'unsupported-kind' }) }) },
    checkSendOutcomes,
    /a reason only the core decides/,
  ],
  [
    'a handler for a kind that is not canonical',
    { connector: (relay) => ({ outbound: { ...relay.outbound, 'message.deleted': relay.outbound.message } as OutboundHandlers }) },
    checkSendOutcomes,
    /message\.deleted, which is no canonical kind/,
  ],
  [
    'a text message dropped',
    { connector: withHandlers({ message: async () => ({ status: 'dropped', reason: 'empty-message' }) }) },
    checkSendOutcomes,
    /did not send a text message/,
  ],
  [
    'a text message said to be sent that never went out',
    {
      connector: withHandlers({
        message: async (_event, ctx) => {
          await ctx.conversation.link('relay-conversation');
          return { status: 'sent' };
        },
      }),
    },
    checkSendOutcomes,
    /sent a text its simulator never received/,
  ],
  ['no role', { factory: { roles: [] } }, checkDeclaration, /declares no role/],
  [
    'a capability outside the catalogue',
    { factory: { capabilities: ['teleport' as AdapterCapability] } },
    checkDeclaration,
    /teleport, which is not in the capability catalogue/,
  ],
  ['a capability without its method', { factory: { capabilities: ['handToNativeAgents'] } }, checkDeclaration, /has no handToNativeAgents/],
  ['a second start that fails', { connector: () => fussyLifecycle('start') }, checkLifecycle, /failed a second start\(\): Error: already running/],
  ['a second stop that fails', { connector: () => fussyLifecycle('stop') }, checkLifecycle, /failed a second stop\(\): Error: already stopped/],
];

describe('the adapter contract', () => {
  let subject: ContractSubject | undefined;
  afterEach(async () => {
    await subject?.close();
    subject = undefined;
  });

  it('is kept by the relay test platform', async () => {
    subject = await startSubject(relayVariant(), 'agent');
    checkDeclaration(subject);
    await checkVerifyRefusesStrangers(subject);
    await checkNormalizeRefusesMalformed(subject);
    await checkLifecycle(subject);
    await checkSendOutcomes(subject);
  });

  it.each(broken)('reports %s', async (_what, change, check, report) => {
    subject = await startSubject(relayVariant(change), 'agent');
    const running = subject;
    await expect((async () => check(running))()).rejects.toThrow(report);
  });
});
