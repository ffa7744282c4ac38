import express, { type Router } from 'express';
import { reject, type SimState } from './state.js';
import type { SimulatedTokens } from './tokens.js';

const SERVICES = new Set(['asyncMessagingEnt', 'sentinel', 'idp', 'swift']);

/** Domain API, sentinel (AppJWT) and idp (ConsumerJWS). */
export function identityRoutes(
  state: SimState,
  tokens: SimulatedTokens,
  options: { clientId: string; clientSecret: string; appJwtTtlSeconds: () => number; baseUri: () => string },
): Router {
  const router = express.Router();

  router.get('/api/account/:account/service/:service/baseURI.json', (req, res) => {
    const { account, service } = req.params;
    if (req.query.version !== '1.0') return reject(state, res, 'domain', 400, 'version=1.0 is required');
    if (account !== state.accountId) return reject(state, res, 'domain', 400, 'unknown account');
    // Service names are case-sensitive.
    if (!SERVICES.has(service)) return reject(state, res, 'domain', 400, `unknown service ${service}`);
    state.domainLookups[service] = (state.domainLookups[service] ?? 0) + 1;
    res.json({ service, account, baseURI: options.baseUri() });
  });

  router.post(
    '/sentinel/api/account/:account/app/token',
    express.urlencoded({ extended: false, type: 'application/x-www-form-urlencoded' }),
    async (req, res) => {
      const ep = 'sentinel';
      if (req.params.account !== state.accountId) return reject(state, res, ep, 400, 'unknown account', 40001);
      if (req.query.v !== '1.0' || req.query.grant_type !== 'client_credentials') {
        return reject(state, res, ep, 400, 'v=1.0 and grant_type=client_credentials are required', 40001);
      }
      if (!req.is('application/x-www-form-urlencoded')) return reject(state, res, ep, 400, 'form body expected', 40001);
      const form = (req.body ?? {}) as Record<string, unknown>;
      if (form.client_id !== options.clientId || form.client_secret !== options.clientSecret) {
        return reject(state, res, ep, 401, 'invalid client credentials');
      }
      state.appTokensIssued += 1;
      res.json({ access_token: await tokens.issueAppJwt(options.appJwtTtlSeconds()), token_type: 'Bearer' });
    },
  );

  router.post('/api/account/:account/consumer', express.json(), async (req, res) => {
    const ep = 'idp';
    if (req.params.account !== state.accountId) return reject(state, res, ep, 400, 'unknown account', 40001);
    if (req.query.v !== '1.0') return reject(state, res, ep, 400, 'v=1.0 is required', 40001);
    const auth = req.get('authorization');
    if (!auth) return reject(state, res, ep, 401, 'AppJWT is missing', 40105);
    if (!(await tokens.appJwtValid(auth))) return reject(state, res, ep, 401, 'AppJWT is expired or invalid', 40102);
    const ext = (req.body as { ext_consumer_id?: unknown } | undefined)?.ext_consumer_id;
    if (!req.is('application/json') || typeof ext !== 'string' || ext === '' || Object.keys(req.body as object).length !== 1) {
      return reject(state, res, ep, 400, 'body must be {"ext_consumer_id": string}', 40001);
    }
    state.consumersCreated.push(ext);
    res.status(201).json({ token: await tokens.issueConsumerJws(ext) });
  });

  return router;
}
