import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { type IssuedToken, reject, type SimClient, type SimulatorState } from './state.js';

/**
 * The token endpoint (OAuth2 client credentials, form-encoded) and the bearer check every API route
 * runs: missing, unknown or expired token -> 401 `401-104`; a token without the route's scope -> 403.
 */
export function tokenRouter(state: SimulatorState, ttlSeconds: () => number, reply: () => { expiresIn?: boolean; jwt?: boolean }): Router {
  const router = express.Router();
  router.post('/oauth2/token', express.urlencoded({ extended: false, limit: '16kb' }), (req, res) => {
    state.tokenRequests += 1;
    const form = (req.body ?? {}) as Record<string, unknown>;
    if (form.grant_type !== 'client_credentials') {
      res.status(400).json({ error: 'unsupported_grant_type' });
      return;
    }
    const client = state.clients.find((c) => c.clientId === form.client_id);
    if (!client || typeof form.client_secret !== 'string' || form.client_secret !== client.clientSecret) {
      res.status(401).json({ error: 'invalid_client' });
      return;
    }
    const requested = typeof form.scope === 'string' && form.scope.trim() !== '' ? form.scope.trim().split(/\s+/) : [];
    if (requested.length === 0 || requested.some((s) => !client.scopes.includes(s))) {
      res.status(400).json({ error: 'invalid_scope' });
      return;
    }
    const { expiresIn = true, jwt = false } = reply();
    const token = state.issueToken(client, requested, ttlSeconds(), jwt);
    // RFC 6749 only recommends expires_in: a reply may leave it out.
    res.json({ access_token: token.value, token_type: 'Bearer', ...(expiresIn ? { expires_in: ttlSeconds() } : {}), scope: requested.join(' ') });
  });
  return router;
}

export interface Authed {
  client: SimClient;
  token: IssuedToken;
}

/** Express middleware: the request's client app, once its bearer token carries one of `scopes`. */
export function requireScope(state: SimulatorState, ...scopes: string[]) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const header = req.headers.authorization;
    const value = typeof header === 'string' && /^Bearer\s+/i.test(header) ? header.replace(/^Bearer\s+/i, '') : undefined;
    const token = value ? state.tokens.get(value) : undefined;
    if (!token || token.expiresAt <= state.now()) {
      reject(state, req, res, 401, token ? 'access token expired' : 'missing or unknown access token');
      return;
    }
    if (!scopes.some((s) => token.scopes.includes(s))) {
      reject(state, req, res, 403, `the client application lacks scope ${scopes.join(' or ')}`);
      return;
    }
    const client = state.clients.find((c) => c.clientId === token.clientId);
    if (!client) {
      reject(state, req, res, 401, 'client application no longer registered');
      return;
    }
    res.locals.authed = { client, token } satisfies Authed;
    next();
  };
}

export function authedOf(res: Response): Authed {
  return res.locals.authed as Authed;
}
