import { isDeepStrictEqual } from 'node:util';
import { withAuthRefresh } from '../../src/auth/auth-refresh.js';
import { PermanentError } from '../../src/errors.js';
import type { AdapterCommand } from '../../src/ports/adapter.js';
import { runCheckSteps, vendorAdvice } from '../../src/ports/check-steps.js';
import { EgainApi } from './api.js';
import type { EgainConfig } from './config.js';
import { channelBody } from './register-channel.js';

/**
 * `chatbridge egain check --tenant T`: the token and the scopes eGain grants against those the bridge
 * needs, the tenant's channel as eGain holds it against the `egain.channel` block, and the callback URL and
 * authentication to register with the Hub. Prints no secret (never a token, the client secret or a password).
 */
export const checkCommand: AdapterCommand<EgainConfig> = {
  name: 'check',
  description: 'Check the eGain token and scopes, the channel against the channel block, and print the callback to register',
  async run({ tenantId, config, print }) {
    const api = new EgainApi(config);
    const hints = {
      credentials: 'check egain.clientId and clientSecret: the client application registered for the bridge',
      address: `check egain.tokenUrl (${config.tokenUrl}) and apiBaseUrl (${config.apiBaseUrl})`,
    };
    const scopeAdvice = (err: unknown, scope: string, use: string) =>
      err instanceof PermanentError && err.status === 400
        ? `give the client application the scope ${scope} (${use}), or set the tenant-prefixed name your eGain region uses`
        : vendorAdvice(err, hints);
    // eGain as the agent side: the bridge is the customer app of its own custom channel (egain.account set).
    const agentSide = config.account !== undefined;
    let channelScope = config.readScope;
    const passed = await runCheckSteps(
      [
        {
          name: 'token for messages and assets',
          run: async () => `granted ${(await api.grantedScopes(config.scope)).join(' ')}`,
          advice: (err) => scopeAdvice(err, config.scope, 'messages and assets'),
        },
        {
          name: 'token for channels',
          run: async () => {
            const scope = agentSide ? config.manageScope : config.readScope;
            channelScope = scope;
            const use = agentSide ? 'register-channel' : "reading the customers' channel restrictions";
            return `granted ${(await api.grantedScopes(scope)).join(' ')} (for ${use})`;
          },
          advice: (err) =>
            agentSide
              ? scopeAdvice(err, config.manageScope, 'register-channel')
              : scopeAdvice(err, config.readScope, "reading the customers' channel restrictions; without it the channel block applies"),
        },
        {
          name: 'channel',
          run: async () => {
            const channels = await withAuthRefresh(api, () => api.listChannels(channelScope));
            if (!agentSide) return `${channels.length} channel(s) readable: files and texts to customers are checked against their restrictions`;
            const wanted = channelBody(config);
            const found = channels.find((c) => (config.channel.id ? c.id === config.channel.id : c.type === wanted.type));
            if (!found) throw new Error(`no channel ${config.channel.id ? `with id ${config.channel.id}` : `of type ${wanted.type}`} on this tenant`);
            const differs = (['type', 'displayName', 'restrictions', 'l10nProperties'] as const).filter(
              (key) => wanted[key] !== undefined && !isDeepStrictEqual(wanted[key], (found as Record<string, unknown>)[key]),
            );
            if (differs.length > 0) throw new Error(`channel ${found.id} differs from the egain.channel block in: ${differs.join(', ')}`);
            return `channel ${found.id} (${found.type}) matches the egain.channel block${config.channel.id ? '' : '; pin its id as egain.channel.id'}`;
          },
          advice: (err) =>
            err instanceof Error && !(err instanceof PermanentError) && /channel/.test(err.message)
              ? `run chatbridge egain register-channel --tenant ${tenantId}, then pin the id it prints as egain.channel.id`
              : vendorAdvice(err, hints),
        },
        {
          name: 'callback',
          run: async () => {
            const auth = config.callbackAuth;
            const how =
              auth.type === 'basic'
                ? `Basic authentication as user ${auth.username} (the password in egain.callbackAuth.password)`
                : `a JWT from issuer ${auth.issuer} for audience ${auth.audience}, checked with ${auth.jwksUrl ? `the keys at ${auth.jwksUrl}` : 'the shared HS256 secret'}`;
            return `register https://<bridge public address>/webhooks/${tenantId}/egain with the Authentication API, with ${how}`;
          },
          advice: () => 'compare egain.callbackAuth with what the Hub was given',
        },
      ],
      print,
    );
    return passed;
  },
};
