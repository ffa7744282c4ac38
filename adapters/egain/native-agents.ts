import { PermanentError } from '../../src/errors.js';
import type { ConversationHandle, NativeHandOver } from '../../src/ports/adapter.js';
import type { EgainApi } from './api.js';
import type { EgainConfig } from './config.js';
import { maySend } from './permissions.js';

/** Longest metadata attribute value the bridge sends (its own limit in wire-requests.ts's Metadata). */
const ATTRIBUTE_MAX = 4096;

/**
 * eGain as the customer side, leaving a conversation to eGain's own agents (native share, hand-back).
 * The bridge is a custom agent (or custom bot) client application there, and the Send message page's
 * permission table lets a `custom_agent` send `queue.transfer` (back into eGain's routing queues) and a
 * `custom_bot` only `escalation.transfer` (a bot handing over to humans): the type follows
 * `agentClientType`. The transfer names no queue: the documentation shows no field for one, so eGain's
 * own routing chooses.
 *
 * The transcript summary travels as a metadata attribute (`chatbridgeSummary`) of the transfer request,
 * never as a `text`: a text from the agent app is delivered to the customer. `customer.info` carries a
 * profile, not free text. eGain's agents also see the conversation's history in their own console,
 * because every message of it went through the Hub.
 */
export class EgainNativeAgents {
  constructor(
    private readonly api: EgainApi,
    private readonly config: EgainConfig,
  ) {}

  async handOver(conversation: ConversationHandle, handOver: NativeHandOver): Promise<void> {
    const id = conversation.nativeId();
    if (!id) throw new PermanentError('egain: no eGain conversation linked to hand over');
    const sender = this.config.agentClientType;
    const type = sender === 'custom_agent' ? 'queue.transfer' : 'escalation.transfer';
    if (!maySend(sender, type)) throw new PermanentError(`egain: a ${sender} app may not send ${type}`);
    const attributes = [{ name: 'chatbridgeConversationId', value: conversation.id }];
    if (handOver.summary) attributes.push({ name: 'chatbridgeSummary', value: handOver.summary.slice(0, ATTRIBUTE_MAX) });
    await this.api.sendMessages({
      metadata: { attributes },
      messages: { message: [{ type: { value: type }, sender: { type: sender }, conversation: { id } }] },
    });
  }
}
