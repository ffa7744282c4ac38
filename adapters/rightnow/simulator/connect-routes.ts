import type express from 'express';
import type { Request } from 'express';
import { SignJWT } from 'jose';
import { CONTEXT_HEADER, SETTINGS_PATH, TOKENS_PATH } from './vendor-schemas.js';
import { recorded, Refusal, type RouteContext } from './http.js';

/** Connect REST: the service settings that point at the chat server, and the agent JWT. */
export function mountConnectRest(app: express.Express, ctx: RouteContext): void {
  const handle = recorded(ctx);
  const connectAuth = (req: Request) => {
    const expected = `Basic ${Buffer.from(`${ctx.options.username}:${ctx.options.password}`).toString('base64')}`;
    if (req.headers.authorization !== expected) throw new Refusal(401, undefined, 'unauthorized');
    const context = req.headers[CONTEXT_HEADER];
    if (typeof context !== 'string' || context.length === 0 || context.length > 40) {
      throw new Refusal(400, undefined, 'OSvC-CREST-Application-Context is required (at most 40 characters)');
    }
  };

  app.get(SETTINGS_PATH, handle('serviceSettings', async (req) => {
    connectAuth(req);
    return { domain: ctx.chatServerUrl(), pool: ctx.options.pool, port: Number(new URL(ctx.chatServerUrl()).port), siteName: ctx.options.siteName, links: [] };
  }));

  app.post(TOKENS_PATH, handle('agentTokens', async (req) => {
    connectAuth(req);
    const sessionToken = await new SignJWT({ aid: ctx.options.agentAccountId })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(ctx.secret);
    return { sessionToken };
  }));
}
