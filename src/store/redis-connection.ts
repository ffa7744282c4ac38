import { Cluster, type ClusterNode, Redis, type RedisOptions } from 'ioredis';

/** What the store, the queue and peer reloads talk to: one Redis endpoint, or a Redis Cluster. */
export type RedisClient = Redis | Cluster;

/** `store.url` or `store.cluster` (the schema lets only one be set). */
export type RedisEndpoint = { url: string } | { cluster: string[] };

/**
 * ioredis queues commands while it reconnects; with 3 retries per request a short outage fails a
 * command rather than holding it forever.
 */
const MAX_RETRIES_PER_REQUEST = 3;

/**
 * The client for the configured endpoint. On a Cluster every node is reached with the credentials and
 * TLS of the first URL: ioredis learns the other nodes from CLUSTER SLOTS, whose answer carries none.
 * One endpoint auto-pipelines (concurrent commands go out in one write). A Cluster does not: ioredis
 * groups auto-pipelined commands by the slot of their first argument, which for a script defined
 * without a fixed key count (the queue's) is the key count, so one batch could hold keys of several
 * nodes and fail whole ("All keys in the pipeline should belong to the same slots allocation group").
 */
export function connectRedis(endpoint: RedisEndpoint): RedisClient {
  const client =
    'cluster' in endpoint
      ? new Cluster(endpoint.cluster.map(clusterNode), {
          redisOptions: { ...credentials(endpoint.cluster[0]!), maxRetriesPerRequest: MAX_RETRIES_PER_REQUEST },
        })
      : new Redis(endpoint.url, { lazyConnect: false, maxRetriesPerRequest: MAX_RETRIES_PER_REQUEST, enableAutoPipelining: true });
  // ioredis reconnects by itself; without a listener an outage would be an unhandled 'error' event.
  client.on('error', () => undefined);
  return client;
}

function clusterNode(url: string): ClusterNode {
  const { hostname, port } = new URL(url);
  return { host: hostname, port: port ? Number(port) : 6379 };
}

function credentials(url: string): RedisOptions {
  const { username, password, protocol } = new URL(url);
  return {
    ...(username ? { username: decodeURIComponent(username) } : {}),
    ...(password ? { password: decodeURIComponent(password) } : {}),
    ...(protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

/** Where the client points, for messages: `redis://user@host:port/db` or `redis-cluster://host:port,...`, never a password. */
export function describeRedis(client: RedisClient, endpoint?: RedisEndpoint): string {
  if (endpoint && 'cluster' in endpoint) {
    const nodes = endpoint.cluster.map((url) => new URL(url).host);
    return `${endpoint.cluster[0]!.startsWith('rediss:') ? 'rediss' : 'redis'}-cluster://${nodes.join(',')}`;
  }
  if (client instanceof Cluster) return 'redis-cluster';
  const { host, port, db, username, tls } = client.options;
  return `${tls ? 'rediss' : 'redis'}://${username ? `${encodeURIComponent(username)}@` : ''}${host}:${port}/${db ?? 0}`;
}

/** Another connection to the same Redis or Cluster, for a subscriber (which can send nothing else). */
export function duplicateRedis(client: RedisClient): RedisClient {
  // The same call on each, but TypeScript cannot call it on the union of their signatures.
  const copy = client instanceof Cluster ? client.duplicate() : client.duplicate();
  // ioredis reconnects and resubscribes by itself; without a listener an outage is an unhandled 'error'.
  copy.on('error', () => undefined);
  return copy;
}
