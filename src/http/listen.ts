import { createServer, type RequestListener, type Server } from 'node:http';
import type { BridgeConfig } from '../config/schema.js';

/**
 * How often Node looks for requests past `headersTimeoutMs`/`requestTimeoutMs`. Its default, 30 s,
 * lets a slow client hold a socket up to 30 s beyond its timeout; a check a second costs one pass
 * over the open connections.
 */
const CONNECTIONS_CHECKING_INTERVAL_MS = 1000;

/**
 * The ingress HTTP server with its limits: a slow client is answered 408 and closed within about a
 * second of its timeout, and connections beyond `server.maxConnections` are closed as they arrive.
 */
export function listen(app: RequestListener, server: BridgeConfig['server']): Promise<Server> {
  const http = createServer(
    {
      headersTimeout: server.headersTimeoutMs,
      requestTimeout: server.requestTimeoutMs,
      connectionsCheckingInterval: CONNECTIONS_CHECKING_INTERVAL_MS,
    },
    app,
  );
  http.maxConnections = server.maxConnections;
  return new Promise((resolve, reject) => {
    http.once('error', reject);
    http.listen(server.port, server.host, () => {
      http.off('error', reject);
      resolve(http);
    });
  });
}
