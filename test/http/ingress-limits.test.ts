import { ChatbridgeService } from '../../src/service.js';
import { TargetServer } from '../support/target-server.js';
import { TOKEN_A, eventually, relayConfig, startRelayBridge } from '../support/bridge-fixture.js';
import { jsonBodyOf, rawExchange, statusOf, writeChunksUntilAnswered } from '../support/raw-http.js';

/**
 * Ingress under abuse: bodies over the limit are refused before they are read, and a client that
 * dribbles its request is cut off within about a second of the configured timeout. The upper bounds
 * below are generous correctness checks (before these limits held, the same clients waited 30-45 s).
 */
describe('HTTP ingress limits', () => {
  const target = new TargetServer();
  let service: ChatbridgeService;
  let base: string;

  beforeAll(async () => {
    const url = await target.start();
    service = await startRelayBridge(
      relayConfig({
        store: 'memory',
        targetA: url,
        targetB: url,
        server: { bodyLimit: '16kb', headersTimeoutMs: 1000, requestTimeoutMs: 2000 },
      }),
    );
    base = service.url;
  });
  afterAll(async () => {
    await service.stop();
    await target.close();
  });

  const head = (headers: string) =>
    `POST /webhooks/acme/relay-a HTTP/1.1\r\nHost: bridge\r\nContent-Type: application/json\r\nX-Relay-Token: ${TOKEN_A}\r\n${headers}\r\n`;

  it('when Content-Length is above the body limit, then 413 comes at once and the connection closes', async () => {
    const exchange = await rawExchange(base, head('Content-Length: 2147483648\r\n'), {
      deadlineMs: 4000,
      body: async (socket, wrote) => {
        socket.write('{"messages":[');
        wrote(13);
      },
    });
    expect(statusOf(exchange.received)).toBe(413);
    expect(exchange.received).toMatch(/\r\nconnection: close\r\n/i);
    expect(jsonBodyOf(exchange.received)).toEqual({
      error: 'payload_too_large',
      message: 'the request body is over the configured limit (16kb)',
    });
    expect(exchange.closedAfterMs).toBeLessThan(4000);
  });

  it('when a chunked body crosses the limit, then 413 with Connection: close and the socket is destroyed', async () => {
    const exchange = await rawExchange(base, head('Transfer-Encoding: chunked\r\n'), {
      deadlineMs: 8000,
      body: (socket, wrote) => writeChunksUntilAnswered(socket, wrote, Buffer.alloc(4096, 'x'), 64 * 1024 * 1024),
    });
    expect(statusOf(exchange.received)).toBe(413);
    expect(exchange.received).toMatch(/\r\nconnection: close\r\n/i);
    expect(exchange.closedAfterMs).toBeDefined();
    // The server stopped reading near the limit, not after the whole 64 MB.
    expect(exchange.written).toBeLessThan(8 * 1024 * 1024);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('when a client never finishes its headers, then it is answered 408 and closed within about a second of headersTimeoutMs', async () => {
    const exchange = await rawExchange(base, 'POST /webhooks/acme/relay-a HTTP/1.1\r\nHost: bridge\r\n', { deadlineMs: 6000 });
    expect(exchange.closedAfterMs).toBeDefined();
    expect(exchange.closedAfterMs).toBeLessThan(4000);
    expect(statusOf(exchange.received)).toBe(408);
  });

  it('when a client never finishes its body, then it is answered 408 and closed within about a second of requestTimeoutMs', async () => {
    const exchange = await rawExchange(base, head('Content-Length: 100\r\n'), {
      deadlineMs: 8000,
      body: async (socket) => void socket.write('{"messages":'),
    });
    expect(exchange.closedAfterMs).toBeDefined();
    expect(exchange.closedAfterMs).toBeLessThan(5000);
    expect(statusOf(exchange.received)).toBe(408);
  });
});

describe('HTTP ingress connection limit', () => {
  const target = new TargetServer();
  let service: ChatbridgeService;

  beforeAll(async () => {
    const url = await target.start();
    service = await startRelayBridge(relayConfig({ store: 'memory', targetA: url, targetB: url, server: { maxConnections: 2 } }));
  });
  afterAll(async () => {
    await service.stop();
    await target.close();
  });

  it('when server.maxConnections are open, then the next connection is closed at once and served again once one frees', async () => {
    const idle = [0, 1].map(() => rawExchange(service.url, '', { deadlineMs: 1500 }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const refused = await rawExchange(service.url, 'GET /healthz HTTP/1.1\r\nHost: bridge\r\n\r\n', { deadlineMs: 1000 });
    expect(refused.closedAfterMs).toBeDefined();
    expect(refused.received).toBe('');
    const held = await Promise.all(idle);
    expect(held.map((h) => h.closedAfterMs)).toEqual([undefined, undefined]);
    // The server sees the two idle clients leave a moment after they closed.
    await eventually(async () => expect((await fetch(`${service.url}/healthz`)).status).toBe(200));
  });
});
