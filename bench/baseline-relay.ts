import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { LIVEPERSON } from './accounts.js';
import { serve } from './ipc.js';

/**
 * Child process: the baseline the bridge is compared with. A minimal pass-through relay: express in
 * (the same eGain callback the bridge gets), one HTTP POST out (a LivePerson SEND of the text to the
 * same simulator, with an AppJWT and ConsumerJWS fetched once at start), nothing else: no
 * authentication, no store, no queue, no retries.
 */

const livepersonUrl = process.argv[2];
if (!livepersonUrl) throw new Error('usage: baseline-relay <liveperson simulator url>');
const messaging = `${livepersonUrl}/api/account/${LIVEPERSON.accountId}`;

async function json<T>(url: string, init: { headers?: Record<string, string>; body: string }): Promise<T> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...init.headers }, body: init.body });
  if (!res.ok) throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

const { access_token: appJwt } = await json<{ access_token: string }>(
  `${livepersonUrl}/sentinel/api/account/${LIVEPERSON.accountId}/app/token?v=1.0&grant_type=client_credentials`,
  {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: LIVEPERSON.clientId, client_secret: LIVEPERSON.clientSecret }).toString(),
  },
);
const { token: consumerJws } = await json<{ token: string }>(`${messaging}/consumer?v=1.0`, {
  headers: { authorization: appJwt },
  body: JSON.stringify({ ext_consumer_id: 'bench-baseline-relay' }),
});
const lpHeaders = { authorization: appJwt, 'x-lp-on-behalf': consumerJws, 'content-type': 'application/json' };
const opened = await json<{ body: { conversationId?: string } }[]>(`${messaging}/messaging/consumer/conversation?v=3`, {
  headers: lpHeaders,
  body: JSON.stringify([
    { kind: 'req', id: '1', type: 'userprofile.SetUserProfile', body: {} },
    { kind: 'req', id: '2', type: 'cm.ConsumerRequestConversation', body: { channelType: 'MESSAGING', brandId: LIVEPERSON.accountId } },
  ]),
});
const dialogId = opened[1]?.body.conversationId;
if (!dialogId) throw new Error('the simulator opened no conversation');

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const sendUrl = new URL(`${messaging}/messaging/consumer/conversation/send?v=3`);
let reqId = 0;

function send(text: string): Promise<number> {
  const body = JSON.stringify({
    kind: 'req',
    id: String(++reqId),
    type: 'ms.PublishEvent',
    body: { dialogId, event: { type: 'ContentEvent', contentType: 'text/plain', message: text } },
  });
  return new Promise((resolve, reject) => {
    const req = http.request(
      { agent, method: 'POST', hostname: sendUrl.hostname, port: sendUrl.port, path: `${sendUrl.pathname}${sendUrl.search}`, headers: lpHeaders },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const app = express();
app.post('/webhooks/:tenant/egain', express.json(), async (req, res) => {
  const text = (req.body as { messages?: { message?: { content?: { text?: string } }[] } }).messages?.message?.[0]?.content?.text ?? '';
  try {
    const status = await send(text);
    res.status(status === 200 ? 200 : 502).json({});
  } catch {
    res.status(502).json({});
  }
});
const server = app.listen(0, '127.0.0.1');
await new Promise<void>((resolve) => server.once('listening', resolve));

serve(
  {
    exit: () => {
      agent.destroy();
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  },
  { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` },
);
