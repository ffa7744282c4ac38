import { decodeJwt } from 'jose';
import { RetryableError } from '../../src/errors.js';
import type { AdapterCommand } from '../../src/ports/adapter.js';
import { runCheckSteps, vendorAdvice } from '../../src/ports/check-steps.js';
import { AgentApi, type ChatTarget, ConnectRestClient } from './api.js';
import type { RightNowConfig } from './config.js';
import { CreateAgentSessionReply, unwrapGetMessages } from './wire.js';

/** Long enough for the chat server to refuse a bad session; a poll held open this long is a good one. */
const POLL_PROBE_MS = 5_000;

/**
 * `chatbridge rightnow check --tenant T`: the whole way to a working agent session, step by step:
 * service settings, agent token, agent session, one getMessages, logoff. Without `--override` the
 * session is opened without `logonOverride`, so a bridge already running on the account keeps its
 * session and its chats. Prints no secret (never the JWT, the password or the session id).
 */
export const checkCommand: AdapterCommand<RightNowConfig> = {
  name: 'check',
  description: 'Walk the RightNow agent session set-up: service settings, agent token, session, one poll, logoff',
  flags: [{ name: 'override', description: 'log on with logonOverride (first set-up only: it ends the account\'s other session and its chats)' }],
  async run({ config, flags, print }) {
    const override = flags?.override === true;
    const connect = new ConnectRestClient(config);
    const api = new AgentApi(config.agentAccountId, config.requestTimeoutMs);
    const hints = {
      credentials: 'check rightnow.username and password (a Connect REST API user with crossChannelServices), and rightnow.agentAccountId (the agent account for X-AID)',
      address: `check rightnow.siteUrl (${config.siteUrl}) and, where the chat server is elsewhere, rightnow.chatServerUrl`,
    };
    let target: ChatTarget | undefined;
    const passed = await runCheckSteps(
      [
        {
          name: 'service settings',
          run: async () => {
            const settings = await connect.serviceSettings();
            target = { chatServer: connect.chatServerOf(settings), siteName: settings.siteName, pool: settings.pool };
            return `chat server ${target.chatServer}, site ${target.siteName}, pool ${target.pool}`;
          },
          advice: (err) => vendorAdvice(err, hints),
        },
        {
          name: 'agent token',
          run: async () => {
            const jwt = await connect.agentToken();
            target = { ...target!, jwt };
            const exp = safeExpiry(jwt);
            return exp ? `valid until ${exp}` : 'obtained';
          },
          advice: (err) => vendorAdvice(err, hints),
        },
        {
          name: 'agent session',
          run: async () => {
            const reply = await api.call('createAutomatedAgentSession', target!, { logonOverride: override, timeCreated: Date.now() }, { reply: CreateAgentSessionReply });
            const sessionId = reply.sessionId ?? reply.chatLogonResult?.sessionId;
            if (!sessionId) throw new Error('createAutomatedAgentSession answered without a session id (the reply shape is a reading marked UNKNOWN in wire.ts)');
            target = { ...target!, sessionId };
            return override
              ? 'opened with logonOverride: any other session of this agent account was ended'
              : 'opened without logonOverride: a bridge running on this account keeps its session';
          },
          advice: (err) =>
            override
              ? vendorAdvice(err, hints)
              : `${vendorAdvice(err, hints)}; if the agent account is logged on elsewhere (a running bridge), stop it first, or use --override on a first set-up only`,
        },
        {
          name: 'getMessages',
          run: async () => {
            try {
              const reply = await api.call('getMessages', target!, { timeCreated: Date.now() }, { timeoutMs: POLL_PROBE_MS });
              const items = unwrapGetMessages(reply);
              if (!items) throw new Error('the reply is in neither getMessages envelope the adapter reads (see GET /admin/unrecognized once running)');
              return `answered with ${items.length} item(s): ${[...new Set(items.map((i) => i.type))].join(', ') || 'none'}`;
            } catch (err) {
              // The chat server holds a poll with nothing to say for ~30 s: held that long, the session is good.
              if (err instanceof RetryableError && err.status === undefined && /ETIMEDOUT/.test(err.message)) {
                return `held open ${POLL_PROBE_MS / 1000} s with nothing waiting: the session is accepted`;
              }
              throw err;
            }
          },
          advice: (err) => vendorAdvice(err, hints),
        },
        {
          name: 'logoff',
          cleanup: () => target?.sessionId !== undefined,
          run: async () => {
            await api.call('logoff', target!, { forceLogoff: true, timeCreated: Date.now() });
            return 'the check session is closed';
          },
          advice: (err) => vendorAdvice(err, hints),
        },
      ],
      print,
    );
    return passed;
  },
};

function safeExpiry(jwt: string): string | undefined {
  try {
    const exp = decodeJwt(jwt).exp;
    return exp ? new Date(exp * 1000).toISOString() : undefined;
  } catch {
    return undefined;
  }
}
