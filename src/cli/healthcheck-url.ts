import { type ConfigProblem, readConfigSource, substituteEnv } from '../config/load.js';

/** Addresses that mean "every interface": the check then asks the loopback one, which always answers. */
const WILDCARD_HOSTS = new Set(['', '0.0.0.0', '::', '[::]']);

/**
 * The URL a container healthcheck asks: the port the server listens on (PORT wins over `server.port`, as at
 * start) on an address it is reachable at whatever `server.host` says (a wildcard is asked on 127.0.0.1, a
 * specific address on itself). Read from the raw file, not the validated one: a file being edited for a reload
 * must not mark a serving process unhealthy.
 */
export function healthcheckUrl(source: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const server = source ? serverBlock(source, env) : {};
  const port = env.PORT ? Number(env.PORT) : typeof server.port === 'number' ? server.port : 8080;
  const configured = typeof server.host === 'string' ? server.host : '';
  const host = WILDCARD_HOSTS.has(configured) ? '127.0.0.1' : configured;
  return `http://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}/healthz`;
}

function serverBlock(source: string, env: NodeJS.ProcessEnv): { port?: unknown; host?: unknown } {
  const raw = readConfigSource(source) as { server?: unknown };
  const problems: ConfigProblem[] = [];
  const server = substituteEnv(raw.server ?? {}, env, problems);
  return server && typeof server === 'object' ? server : {};
}
