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
}

export interface DeadLetter {
  id: string;
  delivery: Delivery;
  reason: string;
  attempts: number;
  at: string;
}

/**
 * A lane is the unit of ordering: one conversation towards one target platform. Events of a lane are
 * delivered one at a time, in order; lanes are delivered in parallel.
 */
export function laneOf(delivery: Pick<Delivery, 'event' | 'target'>): string {
  return `${delivery.event.tenant}/${delivery.event.conversationId}/${delivery.target}`;
}
