import type { Delivery, QueuedHead } from './delivery.js';
import type { Completion } from './queue-backend.js';

/**
 * The Redis queue's key layout and reply decoding. Every key of a partition carries its hash tag
 * (`{q<n>}`), so each script touches one Cluster slot.
 */
export function queueKeys(keyPrefix: string, partition: number) {
  const base = `${keyPrefix}{q${partition}}:`;
  return {
    ready: `${base}ready`,
    claims: `${base}claims`,
    attempts: `${base}attempts`,
    /** lane -> "<parked since> <head accepted at> <head event id>", from the head's first park until it leaves. */
    parked: `${base}parked`,
    depth: `${base}depth`,
    dlq: `${base}dlq`,
    /** A given-up lane's dead-letter ids, in the lane's order. */
    group: (group: string) => `${base}dlqgroup:${group}`,
    lane: (lane: string) => `${base}lane:${lane}`,
    seen: (d: Delivery) => `${base}seen:${d.event.tenant}:${d.event.id}`,
  };
}

export type QueueKeys = ReturnType<typeof queueKeys>;

/** POP's answer: { 1, next head or false } when popped, { 0 } or { -1 } when not. */
export function completion(reply: unknown): Completion {
  const [status, next] = reply as [number, string | null | undefined];
  if (status !== 1) return { popped: false };
  // The next head's attempts were never counted: only a head that failed has any.
  return { popped: true, next: next ? head(next, '0') : undefined };
}

/** What POSTPONE records the first time a head is parked. */
export function parkedValue(since: number, head: QueuedHead): string {
  return `${since} ${head.delivery.acceptedAt} ${head.delivery.event.id}`;
}

/** The parked record's times; its event id may hold spaces, so it is the rest of the value. */
export function readParked(value: string): { since: number; headAcceptedAt: number; eventId: string } {
  const [since, headAcceptedAt, ...id] = value.split(' ');
  return { since: Number(since), headAcceptedAt: Number(headAcceptedAt), eventId: id.join(' ') };
}

export function head(raw: string, attempts: string, parked?: string | null): QueuedHead {
  const queued: QueuedHead = { raw, delivery: JSON.parse(raw) as Delivery, attempts: Number(attempts) };
  if (!parked) return queued;
  // A record left for an earlier head (popped by an instance of a version that kept none) is not this head's.
  const record = readParked(parked);
  if (record.eventId === queued.delivery.event.id) queued.parkedSince = record.since;
  return queued;
}

/** The partition a dead letter or group id names in its first part, if it is one of ours. */
export function partitionOfId(id: string, partitions: number): number | undefined {
  const p = Number(id.split('.')[0]);
  return Number.isInteger(p) && p >= 0 && p < partitions ? p : undefined;
}
