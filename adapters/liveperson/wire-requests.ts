import type { CustomerProfile } from '../../src/model/events.js';
import type { LivePersonConfig } from './config.js';

/**
 * The Messaging Window requests chatbridge sends through CONVERSATION and SEND, built field by field as
 * LivePerson documents them (Connector API, Messaging Window API). What the adapter reads back is in wire.ts.
 */

/** One request of the Messaging Window protocol, as CONVERSATION and SEND carry it. */
export interface LpRequest {
  type: string;
  body: Record<string, unknown>;
}

/** Customer info as the two SDE kinds LivePerson accepts here: `ctmrinfo` and `personal`. */
export function setUserProfile(customer: CustomerProfile | undefined): LpRequest {
  const sdes: Record<string, unknown>[] = [];
  if (customer) {
    const info = compact({ customerId: customer.id, userName: customer.displayName });
    if (Object.keys(info).length > 0) sdes.push({ type: 'ctmrinfo', info });
    const contact = compact({ email: customer.email, phone: customer.phone });
    const personal = compact({
      firstname: customer.firstName,
      lastname: customer.lastName,
      language: customer.language,
      contacts: Object.keys(contact).length > 0 ? [contact] : undefined,
    });
    if (Object.keys(personal).length > 0) sdes.push({ type: 'personal', personal });
  }
  return {
    type: 'userprofile.SetUserProfile',
    body: sdes.length > 0 ? { authenticatedData: { lp_sdes: sdes } } : {},
  };
}

export function requestConversation(config: LivePersonConfig): LpRequest {
  return {
    type: 'cm.ConsumerRequestConversation',
    body: {
      channelType: 'MESSAGING',
      brandId: config.accountId,
      skillId: config.skillId,
      ...(config.campaignId && config.engagementId
        ? { campaignInfo: { campaignId: config.campaignId, engagementId: config.engagementId } }
        : {}),
    },
  };
}

export function publish(dialogId: string, event: Record<string, unknown>): LpRequest {
  return { type: 'ms.PublishEvent', body: { dialogId, event } };
}

export const textMessage = (dialogId: string, message: string) =>
  publish(dialogId, { type: 'ContentEvent', contentType: 'text/plain', message });

export const chatState = (dialogId: string, state: 'COMPOSING' | 'PAUSE') =>
  publish(dialogId, { type: 'ChatStateEvent', chatState: state });

export const acceptStatus = (dialogId: string, status: 'ACCEPT' | 'READ', sequenceList: number[]) =>
  publish(dialogId, { type: 'AcceptStatusEvent', status, sequenceList });

export function closeConversation(conversationId: string): LpRequest {
  return {
    type: 'cm.UpdateConversationField',
    body: { conversationId, conversationField: { field: 'ConversationStateField', conversationState: 'CLOSE' } },
  };
}

export function uploadUrlRequest(fileSize: number, fileType: string): LpRequest {
  return { type: 'ms.GenerateURLForUploadFile', body: { fileSize: String(fileSize), fileType } };
}

export function hostedFile(
  dialogId: string,
  file: { caption: string; relativePath: string; fileType: string; preview?: string },
): LpRequest {
  return publish(dialogId, { type: 'ContentEvent', contentType: 'hosted/file', message: compact(file) });
}

function compact<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as Partial<T>;
}
