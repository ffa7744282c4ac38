import http from 'node:http';
import { nowMs } from './arrivals.js';

/** One kind of request the load generator sends; `body` is called once per request (it stamps the send time). */
export interface RequestSpec {
  url: string;
  headers: Record<string, string>;
  body(): string;
}

export interface SendCounts {
  /** Requests written. */
  sent: number;
  /** Answered 2xx. */
  ok: number;
  /** Answered otherwise, or failed on the socket. */
  errors: number;
  elapsedS: number;
}

/**
 * Open-loop load at a fixed rate: request n leaves at start + n/rate whatever the answers do, so a slow
 * server shows up as latency, not as a lower offered rate (autocannon's rate limit sends each second's
 * quota in a burst at the start of the second, which would measure bursts, not a rate).
 */
export async function sendAtRate(spec: RequestSpec, rate: number, total: number): Promise<SendCounts> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  const url = new URL(spec.url);
  const counts = { sent: 0, ok: 0, errors: 0 };
  const inflight = new Set<Promise<void>>();
  const start = nowMs();
  while (counts.sent < total) {
    const due = Math.min(total, Math.floor(((nowMs() - start) / 1000) * rate) + 1);
    for (; counts.sent < due; counts.sent++) {
      const request = post(agent, url, spec).then((ok) => void (ok ? counts.ok++ : counts.errors++));
      inflight.add(request);
      void request.finally(() => inflight.delete(request));
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(inflight);
  agent.destroy();
  return { ...counts, elapsedS: (nowMs() - start) / 1000 };
}

function post(agent: http.Agent, url: URL, spec: RequestSpec): Promise<boolean> {
  const body = spec.body();
  return new Promise((resolve) => {
    const req = http.request(
      { agent, method: 'POST', hostname: url.hostname, port: url.port, path: url.pathname, headers: { ...spec.headers, 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300));
      },
    );
    req.on('error', () => resolve(false));
    req.end(body);
  });
}
