import http from 'node:http';
import https from 'node:https';

/**
 * The keep-alive socket pools every vendor client shares. An idle socket is closed by us after
 * IDLE_SOCKET_TIMEOUT_MS, before the vendor closes it: Node's own server closes idle connections
 * after 5 s and load balancers commonly after 5 to 60 s, and a request written onto a socket the
 * server is closing at that moment fails with ECONNRESET. (Node also honours a `Keep-Alive:
 * timeout=N` hint, keeping a socket at most N-1 s, but many vendors' balancers send no hint.)
 */
export const IDLE_SOCKET_TIMEOUT_MS = 4000;

const agentOptions = { keepAlive: true, maxSockets: 256, timeout: IDLE_SOCKET_TIMEOUT_MS };

export const vendorHttpAgent = new http.Agent(agentOptions);
export const vendorHttpsAgent = new https.Agent(agentOptions);

/** Methods whose repetition changes nothing on the server (RFC 9110, Idempotent Methods). */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/**
 * Whether a failed request may be sent again at once on a fresh socket: the server reset a reused
 * keep-alive socket before answering (the idle-close race), and the method is idempotent. A POST is
 * not resent here: the delivery worker retries sends under the event's idempotency key.
 */
export function retryOnFreshSocket(req: http.ClientRequest, err: unknown, method: string): boolean {
  return req.reusedSocket && (err as { code?: unknown } | null)?.code === 'ECONNRESET' && IDEMPOTENT.has(method);
}
