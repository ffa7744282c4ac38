import http from 'node:http';
import { createNodeVendorHttp } from '../../src/vendor-http/node-vendor-http.js';
import { IDLE_SOCKET_TIMEOUT_MS } from '../../src/vendor-http/vendor-agents.js';
import { VendorTransportError } from '../../src/vendor-http/vendor-http.js';
import { eventually } from '../support/eventually.js';
import { closeNow, listenOnLoopback } from '../support/loopback-server.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A vendor's server: counts connections and requests per connection; `answer` decides what each request gets. */
function vendorServer(answer: (req: http.IncomingMessage, res: http.ServerResponse, nth: number) => void) {
  const perSocket = new WeakMap<object, number>();
  const stats = { connections: 0, closed: 0, requests: 0 };
  const server = http.createServer((req, res) => {
    const nth = (perSocket.get(req.socket) ?? 0) + 1;
    perSocket.set(req.socket, nth);
    stats.requests += 1;
    req.resume();
    req.on('end', () => answer(req, res, nth));
  });
  server.on('connection', (socket) => {
    stats.connections += 1;
    socket.on('close', () => (stats.closed += 1));
  });
  return { server, stats };
}

const ok = (_req: http.IncomingMessage, res: http.ServerResponse) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');

describe('vendor keep-alive sockets', () => {
  let server: http.Server | undefined;
  afterEach(() => closeNow(server));

  it('when the vendor closes idle connections after 1 s, then a request after 1.2 s idle gets its answer', async () => {
    const vendor = vendorServer(ok);
    server = vendor.server;
    server.keepAliveTimeout = 1000;
    const client = createNodeVendorHttp({ baseURL: await listenOnLoopback(server), timeoutMs: 5000 });
    expect((await client.request({ method: 'POST', url: '/send', data: { n: 1 } })).status).toBe(200);
    await sleep(1200);
    expect((await client.request({ method: 'POST', url: '/send', data: { n: 2 } })).status).toBe(200);
    expect(vendor.stats.requests).toBe(2);
  });

  it('when a socket idles longer than the client timeout, then the client closes it before a vendor with a longer keep-alive would', async () => {
    const vendor = vendorServer(ok);
    server = vendor.server;
    // A vendor keeping idle connections a minute (its Keep-Alive hint says 60 s): only our own idle timeout closes the socket.
    server.keepAliveTimeout = 60_000;
    const client = createNodeVendorHttp({ baseURL: await listenOnLoopback(server), timeoutMs: 5000 });
    await client.request({ method: 'GET', url: '/a' });
    expect(vendor.stats.closed).toBe(0);
    await eventually(() => expect(vendor.stats.closed).toBe(1), IDLE_SOCKET_TIMEOUT_MS * 2);
    await client.request({ method: 'GET', url: '/b' });
    expect(vendor.stats.connections).toBe(2);
  }, IDLE_SOCKET_TIMEOUT_MS * 3);

  it('when the vendor resets a reused socket instead of answering, then a GET is sent once more on a fresh socket and a POST fails for the delivery retry', async () => {
    // The idle-close race, made certain: every second request on a connection is answered with a reset.
    const vendor = vendorServer((req, res, nth) => (nth === 1 ? ok(req, res) : req.socket.resetAndDestroy()));
    server = vendor.server;
    const client = createNodeVendorHttp({ baseURL: await listenOnLoopback(server), timeoutMs: 5000 });
    await client.request({ method: 'GET', url: '/first' });
    expect((await client.request({ method: 'GET', url: '/again' })).status).toBe(200);
    expect(vendor.stats.requests).toBe(3);

    // The retry's fresh socket answered once: the POST reuses it and is reset.
    const post = client.request({ method: 'POST', url: '/send', data: { n: 1 } });
    await expect(post).rejects.toBeInstanceOf(VendorTransportError);
    await expect(post).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(vendor.stats.requests).toBe(4);
  });
});
