import { z } from 'zod';
import { SimQuickReplies, SimRichContentEvent } from './rich-schemas.js';

/** Request bodies as the Connector API documents them; anything else is a 400. */

const reqEnvelope = { kind: z.literal('req'), id: z.union([z.string().min(1), z.number().int()]) };

const Sde = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ctmrinfo'), info: z.record(z.string(), z.unknown()) }),
  z.strictObject({ type: z.literal('personal'), personal: z.record(z.string(), z.unknown()) }),
]);

export const SetUserProfileBody = z.union([
  z.strictObject({ authenticatedData: z.strictObject({ lp_sdes: z.array(Sde) }) }),
  z.strictObject({}),
]);

export const SetUserProfile = z.strictObject({ ...reqEnvelope, type: z.literal('userprofile.SetUserProfile'), body: SetUserProfileBody });

export const ConsumerRequestConversation = z.strictObject({
  ...reqEnvelope,
  type: z.literal('cm.ConsumerRequestConversation'),
  body: z.strictObject({
    ttrDefName: z.enum(['NORMAL', 'URGENT', 'PRIORITIZED', 'CUSTOM']).nullable().optional(),
    campaignInfo: z.strictObject({ campaignId: z.string().min(1), engagementId: z.string().min(1) }).optional(),
    conversationContext: z.record(z.string(), z.unknown()).optional(),
    channelType: z.literal('MESSAGING'),
    brandId: z.string().min(1),
    skillId: z.string().min(1).optional(),
  }),
});

export const FILE_TYPES = ['JPG', 'JPEG', 'PNG', 'GIF'] as const;

const ContentEvent = z.discriminatedUnion('contentType', [
  z.strictObject({
    type: z.literal('ContentEvent'),
    contentType: z.literal('text/plain'),
    message: z.string().min(1),
    quickReplies: SimQuickReplies.optional(),
  }),
  z.strictObject({
    type: z.literal('ContentEvent'),
    contentType: z.literal('hosted/file'),
    message: z.strictObject({
      caption: z.string().optional(),
      relativePath: z.string().min(1),
      fileType: z.enum(FILE_TYPES),
      preview: z.string().startsWith('data:image/').max(30 * 1024).optional(),
    }),
  }),
]);

export const PublishedEvent = z.discriminatedUnion('type', [
  ContentEvent,
  SimRichContentEvent,
  z.strictObject({ type: z.literal('ChatStateEvent'), chatState: z.enum(['ACTIVE', 'INACTIVE', 'GONE', 'COMPOSING', 'PAUSE']) }),
  z.strictObject({
    type: z.literal('AcceptStatusEvent'),
    status: z.enum(['ACCEPT', 'READ', 'ACCESS', 'NACK', 'ACTION']),
    sequenceList: z.array(z.number().int().nonnegative()).min(1),
  }),
]);
export type PublishedEvent = z.infer<typeof PublishedEvent>;

export const SendRequest = z.discriminatedUnion('type', [
  z.strictObject({
    ...reqEnvelope,
    type: z.literal('ms.PublishEvent'),
    body: z.strictObject({ dialogId: z.string().min(1), event: z.unknown() }),
  }),
  z.strictObject({
    ...reqEnvelope,
    type: z.literal('cm.UpdateConversationField'),
    body: z.strictObject({
      conversationId: z.string().min(1),
      conversationField: z.strictObject({ field: z.literal('ConversationStateField'), conversationState: z.literal('CLOSE') }),
    }),
  }),
  z.strictObject({
    ...reqEnvelope,
    type: z.literal('ms.GenerateURLForUploadFile'),
    body: z.strictObject({ fileSize: z.string().regex(/^\d+$/), fileType: z.enum(FILE_TYPES) }),
  }),
  SetUserProfile,
]);
export type SendRequest = z.infer<typeof SendRequest>;
