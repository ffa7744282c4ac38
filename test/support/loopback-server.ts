import type http from 'node:http';
import type { AddressInfo } from 'node:net';

/** Listens on loopback (port 0: any free one) and resolves with the server's base URL. */
export async function listenOnLoopback(server: http.Server, port = 0): Promise<string> {
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Closes a test server at once, open keep-alive connections included, so Jest exits cleanly. */
export async function closeNow(server: http.Server | undefined): Promise<void> {
  if (!server) return;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
