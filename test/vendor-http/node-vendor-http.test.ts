import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNodeVendorHttp } from '../../src/vendor-http/node-vendor-http.js';
import { VendorTransportError } from '../../src/vendor-http/vendor-http.js';

interface Seen {
  method?: string;
  url?: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A loopback server whose answer each test sets; records what arrived and how many connections. */
describe('node:http vendor client', () => {
  let server: http.Server;
  let base: string;
  let connections = 0;
  let seen: Seen;
  let answer: (res: http.ServerResponse) => void;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen = { method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString() };
        answer(res);
      });
    });
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    answer = (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });

  const client = () => createNodeVendorHttp({ baseURL: `${base}/api/`, timeoutMs: 500 });

  it('when given a relative URL and params, then it joins the base and appends the query', async () => {
    await client().request({ method: 'get', url: '/items?x=1', params: { v: '3', pool: 'a b', skip: undefined } });
    expect(seen.method).toBe('GET');
    expect(seen.url).toBe('/api/items?x=1&v=3&pool=a+b');
  });

  it('when given an object, then it is sent as JSON with its length, and caller headers win', async () => {
    await client().request({ method: 'POST', url: 'x', data: { a: 'é' }, headers: { Accept: 'text/plain', 'X-Id': '7' } });
    expect(JSON.parse(seen.body)).toEqual({ a: 'é' });
    expect(seen.headers['content-type']).toBe('application/json');
    expect(seen.headers['content-length']).toBe(String(Buffer.byteLength(seen.body)));
    expect(seen.headers.accept).toBe('text/plain');
    expect(seen.headers['x-id']).toBe('7');
    expect(seen.headers['user-agent']).toBe('chatbridge');
  });

  it('when given a string or bytes, then they go as they are under the caller content type', async () => {
    await client().request({ method: 'POST', url: 'x', data: 'a=1&b=2', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(seen.body).toBe('a=1&b=2');
    expect(seen.headers['content-type']).toBe('application/x-www-form-urlencoded');
    await client().request({ method: 'PUT', url: 'x', data: Buffer.from('raw') });
    expect(seen.body).toBe('raw');
    expect(seen.headers['content-type']).toBeUndefined();
  });

  it('when the body is JSON, then it is parsed; when it is not, then it stays text', async () => {
    expect((await client().request({ method: 'GET', url: 'x' })).data).toEqual({ ok: true });
    answer = (res) => res.writeHead(500, { 'content-type': 'text/html' }).end('<h1>down</h1>');
    const res = await client().request({ method: 'GET', url: 'x' });
    expect(res.status).toBe(500);
    expect(res.data).toBe('<h1>down</h1>');
    expect(res.headers['content-type']).toBe('text/html');
  });

  it('when bytes are asked for, then the body is a Buffer, and a body over the limit fails the call', async () => {
    answer = (res) => res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.alloc(64, 1));
    const res = await client().request<Buffer>({ method: 'GET', url: 'x', responseType: 'arraybuffer' });
    expect(Buffer.isBuffer(res.data) && res.data.length).toBe(64);
    const err = await client().request({ method: 'GET', url: 'x', maxContentLength: 10 }).catch((e: unknown) => e);
    expect(err).toEqual(expect.objectContaining({ code: 'ERR_CONTENT_TOO_LARGE' }));
  });

  it('when calls follow each other, then they share one kept-alive connection', async () => {
    const http = client();
    await http.request({ method: 'GET', url: 'x' });
    const before = connections;
    await http.request({ method: 'POST', url: 'x', data: {} });
    await http.request({ method: 'GET', url: 'x' });
    expect(connections).toBe(before);
  });

  it('when a request sets its own timeout, then that one bounds the call', async () => {
    answer = (res) => setTimeout(() => res.end('{}'), 300);
    const err = await client().request({ method: 'GET', url: 'x', timeoutMs: 50 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VendorTransportError);
    expect((err as VendorTransportError).code).toBe('ETIMEDOUT');
  });

  it('when the caller aborts, then the call fails as cancelled, before or during the exchange', async () => {
    answer = (res) => setTimeout(() => res.end('{}'), 300);
    const during = new AbortController();
    const pending = client().request({ method: 'GET', url: 'x', signal: during.signal }).catch((e: unknown) => e);
    setTimeout(() => during.abort(), 20);
    expect(await pending).toEqual(expect.objectContaining({ code: 'ERR_CANCELED' }));
    const err = await client().request({ method: 'GET', url: 'x', signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(err).toEqual(expect.objectContaining({ code: 'ERR_CANCELED' }));
  });

  it('when the vendor drops the connection mid-answer, then the call fails with a network code', async () => {
    answer = (res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' }).write('{"partial"');
      setTimeout(() => res.socket?.destroy(), 20);
    };
    const err = await client().request({ method: 'GET', url: 'x' }).catch((e: unknown) => e);
    expect(err).toEqual(expect.objectContaining({ code: 'ECONNRESET' }));
  });

  it('when nothing listens, then the failure carries the network code', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const err = await createNodeVendorHttp({ timeoutMs: 500 }).request({ method: 'GET', url: `http://127.0.0.1:${port}/` }).catch((e: unknown) => e);
    expect(err).toEqual(expect.objectContaining({ code: 'ECONNREFUSED', message: `vendor request to 127.0.0.1:${port} failed: ECONNREFUSED` }));
  });

  it('when the host name does not resolve, then the failure names the host (and never the path or query)', async () => {
    const err = await createNodeVendorHttp({ timeoutMs: 2000 })
      .request({ method: 'GET', url: 'http://no-such-host.invalid/oauth?secret=s3cr3t' })
      .catch((e: unknown) => e);
    expect(err).toEqual(expect.objectContaining({ code: 'ENOTFOUND', host: 'no-such-host.invalid' }));
    expect((err as Error).message).toBe('vendor request to no-such-host.invalid failed: ENOTFOUND');
  });
});
