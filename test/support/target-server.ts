import http from 'node:http';
import { closeNow, listenOnLoopback } from './loopback-server.js';

export interface Received {
  key: string;
  conversation: string;
  body: Record<string, unknown>;
}

export interface Fault {
  status: number;
  headers?: Record<string, string>;
}

/**
 * A real HTTP server on loopback standing in for a vendor: records every delivery, treats a repeated
 * `Idempotency-Key` as the same message (as vendors with message ids do), and fails on purpose when told.
 */
export class TargetServer {
  readonly raw: Received[] = [];
  private readonly byKey = new Map<string, Received>();
  private readonly faults = new Map<string, Fault[]>();
  private server: http.Server | undefined;
  delayMs = 0;
  /** Every request from now on fails with this, until cleared. */
  failAll: Fault | undefined;
  /** Every request whose key passes `test` fails with `fault`, until cleared. */
  failMatching: { test: (key: string) => boolean; fault: Fault } | undefined;

  /** Accepted deliveries in arrival order, one per idempotency key. */
  get accepted(): Received[] {
    return [...this.byKey.values()];
  }

  /** The next `count` deliveries of the event with this key fail with `fault`. */
  failNext(key: string, fault: Fault, count = 1): void {
    this.faults.set(key, [...(this.faults.get(key) ?? []), ...Array.from({ length: count }, () => fault)]);
  }

  /** Per conversation, the message numbers in the order the target first accepted them. */
  arrivalOrder(): Map<string, number[]> {
    const order = new Map<string, number[]>();
    for (const r of this.accepted) {
      const origin = (r.body.event as { origin: { conversationId: string; messageId: string } }).origin;
      order.set(origin.conversationId, [...(order.get(origin.conversationId) ?? []), Number(origin.messageId)]);
    }
    return order;
  }

  attemptsFor(key: string): number {
    return this.raw.filter((r) => r.key === key).length;
  }

  async start(port = 0): Promise<string> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const key = String(req.headers['idempotency-key'] ?? '');
        let body: Record<string, unknown>;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
        } catch {
          res.writeHead(400).end();
          return;
        }
        const entry: Received = { key, conversation: String(body.conversation ?? ''), body };
        this.raw.push(entry);
        const matching = this.failMatching?.test(key) ? this.failMatching.fault : undefined;
        const fault = this.failAll ?? matching ?? this.faults.get(key)?.shift();
        const answer = () => {
          if (fault) {
            res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers }).end('{"error":"on purpose"}');
            return;
          }
          if (!this.byKey.has(key)) this.byKey.set(key, entry);
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `n-${key}` }));
        };
        if (this.delayMs > 0) setTimeout(answer, this.delayMs);
        else answer();
      });
    });
    this.server.keepAliveTimeout = 1000;
    return listenOnLoopback(this.server, port);
  }

  close(): Promise<void> {
    return closeNow(this.server);
  }
}
