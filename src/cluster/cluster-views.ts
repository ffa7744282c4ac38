import client from 'prom-client';
import { type InstanceStatus, type InstanceViews, type ProcessState, processStatus } from '../observability/instance-views.js';
import { WORKERS, WORKERS_UNANSWERED } from '../observability/metrics.js';
import { answerReports, gather } from './gathering.js';
import { mergeStatus } from './status-merge.js';

/**
 * The views of one worker of `--workers N`: whichever worker takes a request on the shared port answers
 * for all of them. `/metrics` combines every worker's registry by each metric's aggregator (metrics.ts),
 * the admin views merge every worker's in-memory state (status-merge.ts); both state how many workers
 * were asked and how many answered in time. This worker also answers the others' requests.
 */
export function clusterViews(state: ProcessState): InstanceViews {
  answerReports(async (topic) => (topic === 'metrics' ? state.metrics.registry.getMetricsAsJSON() : processStatus(state)));
  return {
    async metrics() {
      const { bodies, asked, answered } = await gather('metrics');
      const combined = client.AggregatorRegistry.aggregate(bodies as object[]);
      new client.Gauge({ ...WORKERS, registers: [combined] }).set(asked);
      new client.Gauge({ ...WORKERS_UNANSWERED, registers: [combined] }).set(asked - answered);
      return combined.metrics();
    },
    async status() {
      const { bodies, asked, answered } = await gather('status');
      return { ...mergeStatus(bodies as InstanceStatus[]), workers: { asked, answered } };
    },
  };
}
