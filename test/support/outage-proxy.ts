import http from 'node:http';
import { closeNow, listenOnLoopback } from './loopback-server.js';

/** What the proxy does with the next requests: pass them to the vendor, or answer for it. */
export type ProxyMode = { kind: 'forward' } | { kind: 'fail'; status: number; headers?: Record<string, string> };

/** One request the proxy saw: when it arrived, and what it answered (and when). */
export interface ProxiedRequest {
  path: string;
  arrivedAt: number;
  status: number;
  answeredAt: number;
  retryAfter?: string;
}

/**
 * A real HTTP proxy on loopback in front of a vendor simulator, to play an outage: while failing it
 * answers for the vendor without forwarding (the vendor sees nothing), and it records every request
 * with its timestamps so a test can check that nobody sent inside a Retry-After window.
 */
export class OutageProxy {
  readonly requests: ProxiedRequest[] = [];
  mode: ProxyMode = { kind: 'forward' };
  private server: http.Server | undefined;

  constructor(private readonly upstream: string) {}

  async start(): Promise<string> {
    const target = new URL(this.upstream);
    this.server = http.createServer((req, res) => {
      const arrivedAt = Date.now();
      const mode = this.mode;
      const record = (status: number, retryAfter?: string) =>
        this.requests.push({ path: req.url ?? '', arrivedAt, status, answeredAt: Date.now(), ...(retryAfter ? { retryAfter } : {}) });
      if (mode.kind === 'fail') {
        req.resume();
        req.on('end', () => {
          res.writeHead(mode.status, { 'content-type': 'application/json', ...mode.headers }).end('{"error":"outage played by the test proxy"}');
          record(mode.status, mode.headers?.['Retry-After']);
        });
        return;
      }
      const forward = http.request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          record(answer.statusCode ?? 502);
        },
      );
      forward.on('error', () => {
        res.writeHead(502).end();
        record(502);
      });
      req.pipe(forward);
    });
    this.server.keepAliveTimeout = 1000;
    return listenOnLoopback(this.server);
  }

  close(): Promise<void> {
    return closeNow(this.server);
  }
}
