import type { RecordedEvent, SimConversation } from './state.js';

/** Webhook bodies, shaped like LivePerson's documented examples. */

export interface Notification {
  kind: 'notification';
  type: 'ms.MessagingEventNotification' | 'cqm.ExConversationChangeNotification';
  body: { changes: unknown[] };
}

export function messagingNotification(conv: SimConversation, events: RecordedEvent[]): Notification {
  return {
    kind: 'notification',
    type: 'ms.MessagingEventNotification',
    body: {
      changes: events.map((e) => {
        const isChatState = e.event.type === 'ChatStateEvent';
        return {
          // ChatStateEvents carry neither sequence nor serverTimestamp.
          ...(isChatState ? {} : { sequence: e.sequence, serverTimestamp: e.serverTimestamp }),
          originatorId: e.originatorId,
          originatorMetadata: { id: e.originatorId, role: e.role },
          event: e.event,
          conversationId: conv.id,
          dialogId: conv.id,
          messageAudience: e.audience,
        };
      }),
    },
  };
}

/** The complete state of the conversation, as every ExConversationChange carries it. */
export function conversationChange(conv: SimConversation, brandId: string): Notification {
  const participants = [
    { id: conv.consumerId, role: 'CONSUMER' },
    ...(conv.agentId ? [{ id: conv.agentId, role: 'ASSIGNED_AGENT' }] : []),
  ];
  const closed = conv.state === 'CLOSE';
  return {
    kind: 'notification',
    type: 'cqm.ExConversationChangeNotification',
    body: {
      changes: [
        {
          type: 'UPSERT',
          result: {
            convId: conv.id,
            effectiveTTR: -1,
            conversationDetails: {
              skillId: conv.skillId ?? '-1',
              participants,
              dialogs: [
                {
                  dialogId: conv.id,
                  participantsDetails: participants.map((p) => ({ ...p, state: 'ACTIVE' })),
                  dialogType: 'MAIN',
                  channelType: 'MESSAGING',
                  state: conv.state,
                  creationTs: conv.startTs,
                  ...(closed ? { endTs: conv.endTs, closedBy: conv.closeReason } : {}),
                  metaDataLastUpdateTs: conv.metaDataLastUpdateTs,
                },
              ],
              brandId,
              state: conv.state,
              stage: conv.state,
              ...(closed ? { closeReason: conv.closeReason, endTs: conv.endTs } : {}),
              startTs: conv.startTs,
              metaDataLastUpdateTs: conv.metaDataLastUpdateTs,
              ttr: { ttrType: 'NORMAL', value: 3600 },
            },
          },
        },
      ],
    },
  };
}
