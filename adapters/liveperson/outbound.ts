import type { DeliveryContext, OutboundHandlers, ConnectorRuntime, SendResult } from '../../src/ports/adapter.js';
import { attachmentLine } from '../../src/model/attachment-text.js';
import type { CustomerProfile, EventOfKind } from '../../src/model/events.js';
import { ConversationGoneError } from '../../src/errors.js';
import type { LivePersonApi } from './api.js';
import type { LivePersonConfig } from './config.js';
import type { LivePersonConversationState } from './conversation-state.js';
import type { ConsumerIdentity, LivePersonCredentials } from './credentials.js';
import { isHostable, sendHostedFile } from './files.js';
import * as req from './wire-requests.js';
import { publishedRich } from './rich-content.js';
import type { SequenceGaps } from './sequence-gaps.js';
import { PLATFORM } from './wire.js';
import type { VendorHttp } from '../../src/vendor-http/vendor-client.js';

const COMPOSING_ATTR = 'liveperson.composing';
const CONSUMER_ATTR = 'liveperson.consumerId';

interface Dialog {
  dialogId: string;
  consumer: ConsumerIdentity;
}

/** Canonical events -> CONVERSATION / SEND, as the consumer of a third-party channel. */
export class LivePersonOutbound {
  constructor(
    private readonly http: VendorHttp,
    private readonly config: LivePersonConfig,
    private readonly api: LivePersonApi,
    private readonly credentials: LivePersonCredentials,
    private readonly runtime: ConnectorRuntime,
    private readonly states: LivePersonConversationState,
    private readonly gaps: SequenceGaps,
  ) {}

  /** participant.* describe the agent side, which LivePerson itself is: those kinds have no handler. */
  readonly handlers: OutboundHandlers = {
    'conversation.started': async (event, ctx) => {
      if (ctx.conversation.nativeId()) return { status: 'dropped', reason: 'already-started' };
      await this.open(ctx, event.customer);
      return { status: 'sent' };
    },
    message: (event, ctx) => this.message(event, ctx),
    'customer.info': async (event, ctx) => {
      const created = !ctx.conversation.nativeId();
      const dialog = await this.open(ctx, event.customer);
      if (!created) await this.api.send(dialog.consumer, req.setUserProfile(event.customer));
      return { status: 'sent' };
    },
    typing: (event, ctx) => this.typing(event, ctx),
    receipt: (event, ctx) => this.receipt(event, ctx),
    'conversation.ended': (_event, ctx) => this.end(ctx),
  };

  /** The LivePerson conversation, created on the first event that needs one. */
  private async open(ctx: DeliveryContext, customer?: CustomerProfile): Promise<Dialog> {
    const known = ctx.conversation.nativeId();
    const [consumer, closed] = await Promise.all([
      this.credentials.consumer(ctx.conversation.id),
      known ? this.states.isClosed(known) : false,
    ]);
    if (closed) {
      throw new ConversationGoneError(`${PLATFORM} conversation was closed on the LivePerson side`);
    }
    if (known) return { dialogId: known, consumer };
    const dialogId = await this.api.createConversation(consumer, req.setUserProfile(customer), req.requestConversation(this.config));
    await ctx.conversation.link(dialogId);
    await ctx.conversation.setAttrs({ [CONSUMER_ATTR]: consumer.lpConsumerId });
    return { dialogId, consumer };
  }

  /** The LivePerson conversation if one exists and is open; typing and receipts never create one. */
  private async existing(ctx: DeliveryContext): Promise<Dialog | undefined> {
    const dialogId = ctx.conversation.nativeId();
    if (!dialogId || (await this.states.isClosed(dialogId))) return undefined;
    return { dialogId, consumer: await this.credentials.consumer(ctx.conversation.id) };
  }

  private async end(ctx: DeliveryContext): Promise<SendResult> {
    const dialogId = ctx.conversation.nativeId();
    if (!dialogId) return { status: 'dropped', reason: 'no-native-conversation' };
    if (await this.states.isClosed(dialogId)) return { status: 'dropped', reason: 'already-ended' };
    // Marked first: LivePerson's CLOSE notification can arrive before the SEND reply.
    await this.states.markClosedByUs(dialogId);
    await this.api.send(await this.credentials.consumer(ctx.conversation.id), req.closeConversation(dialogId));
    return { status: 'sent' };
  }

  private async message(event: EventOfKind<'message'>, ctx: DeliveryContext): Promise<SendResult> {
    const hosted = this.config.fileSharing ? event.attachments.filter(isHostable) : [];
    // What LivePerson cannot host still reaches the agent, as links under the text.
    const links = event.attachments.filter((a) => !hosted.includes(a)).map(attachmentLine);
    const text = [event.text, ...links].filter((t) => t.trim() !== '').join('\n');
    if (text === '' && hosted.length === 0) return { status: 'dropped', reason: 'empty-message' };
    const dialog = await this.open(ctx);
    const sequences: unknown[] = [];
    if (text !== '') sequences.push((await this.api.send(dialog.consumer, this.contentOf(event, dialog.dialogId, text))).sequence);
    for (const attachment of hosted) {
      sequences.push(await sendHostedFile(this.http, this.api, dialog.consumer, dialog.dialogId, attachment));
    }
    await this.stopComposing(dialog, ctx);
    // Our own events take numbers of the dialog too: known here, they are no gap even if no echo comes.
    for (const s of sequences) if (typeof s === 'number') void this.gaps.seen(dialog.dialogId, dialog.dialogId, s);
    // One number is linked (the text's, else the first file's): a receipt naming every part would name the event once per part.
    const first = sequences.find((s) => typeof s === 'number');
    return first === undefined ? { status: 'sent' } : { status: 'sent', nativeMessageIds: [`${dialog.dialogId}:${first}`] };
  }

  /** The text, or its rich content where the tenant lets the consumer publish structured content. */
  private contentOf(event: EventOfKind<'message'>, dialogId: string, text: string) {
    if (!event.rich || !this.config.consumerRichContent) return req.textMessage(dialogId, text);
    // Links under the text (files LivePerson cannot host) would be lost in structured content: text then.
    if (text !== event.text) return req.textMessage(dialogId, text);
    return req.publish(dialogId, publishedRich(event.rich, event.text));
  }

  private async typing(event: EventOfKind<'typing'>, ctx: DeliveryContext): Promise<SendResult> {
    const dialog = await this.existing(ctx);
    if (!dialog) return { status: 'dropped', reason: 'no-native-conversation' };
    const state = event.state === 'start' ? 'COMPOSING' : 'PAUSE';
    await this.api.send(dialog.consumer, req.chatState(dialog.dialogId, state));
    await ctx.conversation.setAttrs({ [COMPOSING_ATTR]: state === 'COMPOSING' ? '1' : '' });
    return { status: 'sent' };
  }

  /** A message alone does not clear "typing" on the agent's screen: PAUSE after it if COMPOSING was sent. */
  private async stopComposing(dialog: Dialog, ctx: DeliveryContext): Promise<void> {
    if (ctx.conversation.attr(COMPOSING_ATTR) !== '1') return;
    await this.api.send(dialog.consumer, req.chatState(dialog.dialogId, 'PAUSE'));
    await ctx.conversation.setAttrs({ [COMPOSING_ATTR]: '' });
  }

  private async receipt(event: EventOfKind<'receipt'>, ctx: DeliveryContext): Promise<SendResult> {
    const dialog = await this.existing(ctx);
    if (!dialog) return { status: 'dropped', reason: 'no-native-conversation' };
    const sequences: number[] = [];
    for (const id of event.messageIds) {
      const native = (await this.runtime.store.messageLinks(event.tenant, id))[PLATFORM];
      const match = native?.match(/^(.*):(\d+)$/);
      if (match && match[1] === dialog.dialogId) sequences.push(Number(match[2]));
    }
    if (sequences.length === 0) return { status: 'dropped', reason: 'unknown-messages' };
    const status = event.status === 'read' ? 'READ' : 'ACCEPT';
    const { sequence } = await this.api.send(dialog.consumer, req.acceptStatus(dialog.dialogId, status, [...new Set(sequences)]));
    if (typeof sequence === 'number') void this.gaps.seen(dialog.dialogId, dialog.dialogId, sequence);
    return { status: 'sent' };
  }
}
