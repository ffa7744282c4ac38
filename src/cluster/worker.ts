import cluster from 'node:cluster';
import type { ChatbridgeService } from '../service.js';
import { clusterViews } from './cluster-views.js';

/** What a worker tells the primary once its server listens (the port is shared, so every worker's URL is the same). */
export interface ListeningMessage {
  chatbridge: 'listening';
  url: string;
}

export function isListeningMessage(message: unknown): message is ListeningMessage {
  return (message as ListeningMessage | null)?.chatbridge === 'listening' && typeof (message as ListeningMessage).url === 'string';
}

/**
 * Runs a service as one worker of `chatbridge start --workers N`. Its `/metrics` and admin views answer
 * for every worker (cluster-views.ts), whichever worker a request lands on. It stops (drains) on the SIGTERM the
 * primary sends; a SIGINT is ignored, since the primary answers one by sending SIGTERM, and a
 * terminal's Ctrl-C reaches every process of the group: taken twice, the second would exit at once.
 */
export async function runClusterWorker(service: ChatbridgeService, options: { afterStop?: () => Promise<void> | undefined } = {}): Promise<void> {
  if (!cluster.isWorker) throw new Error('runClusterWorker runs in a cluster worker only');
  service.installSignalHandlers({ ...options, stopSignals: ['SIGTERM'] });
  process.on('SIGINT', () => undefined);
  service.useViews(clusterViews(service.bridge));
  await service.start();
  const message: ListeningMessage = { chatbridge: 'listening', url: service.url };
  process.send?.(message);
}
