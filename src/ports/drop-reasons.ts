import type { EventKind } from '../model/events.js';

/**
 * The catalogue of reasons an event (or a vendor item) is dropped on purpose. A reason is the `reason`
 * label of `chatbridge_events_dropped_total`, so it is a fixed code from here, never a sentence: what an
 * operator needs to read about one drop goes in the free-text `detail`, which is logged, not counted.
 * docs/adapters.md lists them for adapter authors.
 */
export const DROP_REASONS = {
  // Decided by the core.
  'unsupported-kind': 'the target declares no handler for the event’s kind: it has nothing to say it with',
  'unknown-conversation': 'from an agent platform, about a conversation the bridge does not carry there (never started, or handed off)',
  'native-agents': 'the conversation was left to its customer platform’s own agents (native share, hand-back)',
  // The target, outbound.
  'no-native-conversation': 'the target has no conversation to put the event in yet, and this event does not open one',
  'already-started': 'the conversation already exists on the target (it started there, or an earlier event opened it)',
  'already-ended': 'the conversation is already over on the target',
  'empty-message': 'nothing to say: no text, and no file the target can carry',
  'not-expressible': 'the target has no way to show this variant of a kind it otherwise sends (eGain: a customer joining)',
  'channel-feature-off': 'the target’s channel turns off the feature the event needs (eGain typing_events)',
  'sender-not-permitted': 'who the bridge speaks as on the target may not send this (eGain’s permission table)',
  'not-configured': 'the tenant’s configuration leaves this out (RightNow without agentJoinedText)',
  'session-not-ready': 'the vendor session lacks what the call needs (RightNow’s agent client id, for typing)',
  'unknown-messages': 'a receipt about messages the bridge has no link for on that platform',
  'files-not-accepted': 'the target’s channel takes no files (the sender is told)',
  'file-type-refused': 'the target’s channel refuses the file’s type or extension (the sender is told)',
  'file-too-large': 'the file is over the target’s size limit (the sender is told)',
  // The origin, inbound.
  echo: 'the bridge’s own message or action, coming back from the vendor',
  'not-carried': 'a vendor item the canonical model has no event for (presence, availability, deletion, keep-alive...)',
  private: 'a message not meant for the customer (LivePerson’s private audience)',
  'other-participant': 'from a participant whose words the bridge does not carry (a LivePerson controller, another RightNow agent)',
  stale: 'older than the state the bridge already holds (a LivePerson conversation change arriving late)',
} as const;

export type DropReason = keyof typeof DROP_REASONS;

/**
 * The `kind` label of a drop: the canonical event kind, or `vendor` for a vendor item that never became
 * a canonical event (its vendor type goes in the log line, not in the label).
 */
export type DropKind = EventKind | 'vendor';
