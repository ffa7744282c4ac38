import type { ConversationEvent } from '../model/events.js';

/** One event on its way to one target platform. Serialized as JSON in the queue. */
export interface Delivery {
  event: ConversationEvent;
  target: string;
  /** Epoch ms when the event was accepted from its origin (for latency). */
  acceptedAt: number;
  /** The inbound request that brought the event in, for its delivery's log lines. */
  requestId?: string;
}

/** The head of a lane, with how many attempts it has had so far. */
export interface QueuedHead {
  delivery: Delivery;
  /** The stored form, compared on completion so a stale worker never pops someone else's head. */
  raw: string;
  attempts: number;
  /** Epoch ms when this head was first parked (failed, or held by an open breaker); unset while it never was. */
  parkedSince?: number;
}

export interface DeadLetter {
  id: string;
  delivery: Delivery;
  reason: string;
  attempts: number;
  at: string;
  /**
   * Set when a lane was given up (its head failed for `delivery.retryFor`): the head and every event
   * behind it share the group, `position` 1, 2, ... in their lane's order, and are replayed together.
   */
  group?: string;
  position?: number;
}

/** A lane whose head has been parked (failed or held) and is not delivered yet. */
export interface ParkedLane {
  lane: string;
  /** When the head was first parked. */
  since: number;
  /** When the head was accepted from its origin. */
  headAcceptedAt: number;
}

/**
 * A lane is the unit of ordering: one conversation towards one target platform. Events of a lane are
 * delivered one at a time, in order; lanes are delivered in parallel.
 */
export function laneOf(delivery: Pick<Delivery, 'event' | 'target'>): string {
  return `${delivery.event.tenant}/${delivery.event.conversationId}/${delivery.target}`;
}

/** The tenant and target platform of a lane name (tenant ids and platform names hold no `/`). */
export function targetOfLane(lane: string): { tenant: string; platform: string } {
  return { tenant: lane.slice(0, lane.indexOf('/')), platform: lane.slice(lane.lastIndexOf('/') + 1) };
}
