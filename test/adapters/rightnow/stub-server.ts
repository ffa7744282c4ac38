import type { AddressInfo } from 'node:net';
import express from 'express';

export interface StubRequest {
  method: string;
  path: string;
  query: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/**
 * A scripted loopback server for request-shape tests: each `reply(method, path, status, body)` answers
 * one matching request, in order; anything unscripted answers 599 so the test sees it.
 * (Used instead of nock here: nock's interceptor outlives a test file in a Jest worker.)
 */
export async function startStub() {
  const requests: StubRequest[] = [];
  const script = new Map<string, { status: number; body: unknown }[]>();
  const app = express();
  app.use(express.json({ type: () => true }));
  app.use((req, res) => {
    requests.push({ method: req.method, path: req.path, query: { ...req.query }, headers: req.headers, body: req.body });
    const next = script.get(`${req.method} ${req.path}`)?.shift();
    if (next) res.status(next.status).json(next.body);
    else res.status(599).json({ unscripted: true });
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    reply(method: string, path: string, status: number, body: unknown) {
      const list = script.get(`${method} ${path}`) ?? [];
      list.push({ status, body });
      script.set(`${method} ${path}`, list);
    },
    pending: () => [...script.values()].reduce((n, l) => n + l.length, 0),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
