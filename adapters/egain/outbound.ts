import { PermanentError, RetryableError } from '../../src/errors.js';
import { attachmentLine } from '../../src/model/attachment-text.js';
import type { Attachment, CustomerProfile, EventOfKind } from '../../src/model/events.js';
import type { DeliveryContext, Drop, OutboundHandlers, SendResult } from '../../src/ports/adapter.js';
import type { DropReason } from '../../src/ports/drop-reasons.js';
import type { EgainApi } from './api.js';
import type { ChannelDirectory, ChannelRules } from './channels.js';
import type { EgainConfig } from './config.js';
import { maySend } from './permissions.js';
import { richDraft, richRefusal } from './rich-content.js';
import { type AttachmentRefusal, attachmentRefusalNotice, checkAttachment, hasFeature, type RefusalCode } from './restrictions.js';
import { splitText } from './split-text.js';
import type { ClientType, DirectionRestrictions, L10nProperties } from './wire.js';
import type { WireConversation, WireMessage } from './wire-requests.js';

type Fetchable = Attachment & { url: string };

type Content = NonNullable<WireMessage['content']>;
interface Draft {
  type: string;
  content?: Content;
  participant?: { id?: string; name?: string };
  customer?: CustomerProfile;
}

const dropped = (reason: DropReason, detail?: string): SendResult => ({ status: 'dropped', reason, ...(detail ? { detail } : {}) });

/** The catalogue's reason for each of the channel's refusals (whose `msg_hub_*` text tells the sender). */
const REFUSAL_REASONS: Record<RefusalCode, DropReason> = {
  msg_hub_invalid_content_type_to_customer: 'files-not-accepted',
  msg_hub_invalid_content_type_to_agent: 'files-not-accepted',
  msg_hub_blocked_file_extension: 'file-type-refused',
  msg_hub_attachment_size_exceeds_limit: 'file-too-large',
};

/**
 * Canonical event -> `POST /conversations/messages`. Who we speak as follows the route: where eGain is
 * the customer side the bridge is the agent (or bot) app and the customer's channel's outbound
 * restrictions apply; where eGain is the agent side it is the customer app of the tenant's custom
 * channel, whose inbound restrictions apply. Types the sender may not send are dropped, never sent.
 */
export class EgainOutbound {
  constructor(
    private readonly api: EgainApi,
    private readonly config: EgainConfig,
    private readonly channels: ChannelDirectory,
  ) {}

  private senderType(ctx: DeliveryContext): ClientType {
    return ctx.conversation.role === 'customer' ? this.config.agentClientType : 'customer';
  }

  /**
   * The channel the conversation is on and the side of its restrictions our messages meet: outbound
   * (to the customer) when we speak for agents, inbound (from the customer) when we are the customer.
   */
  private async channel(ctx: DeliveryContext): Promise<{ rules: ChannelRules; r: DirectionRestrictions | undefined }> {
    if (ctx.conversation.role === 'agent') return { rules: this.config.channel, r: this.config.channel.restrictions.inbound };
    const rules = await this.channels.forConversation(ctx.conversation.nativeId());
    return { rules, r: rules.restrictions.outbound };
  }

  /** eGain has no message type for a participant leaving nor for a receipt: those kinds have no handler. */
  readonly handlers: OutboundHandlers = {
    message: (event, ctx) => this.message(event, ctx),
    typing: async (event, ctx) => {
      // Typing alone must not open a conversation on eGain.
      if (!ctx.conversation.nativeId()) return dropped('no-native-conversation', 'typing alone does not open an eGain conversation');
      if (!hasFeature((await this.channel(ctx)).r, 'typing_events')) return dropped('channel-feature-off', 'typing_events');
      return this.deliver([{ type: event.state === 'start' ? 'typing.start' : 'typing.end' }], ctx);
    },
    'conversation.started': async (event, ctx) => {
      if (this.senderType(ctx) !== 'customer') return dropped('already-started', 'it started on eGain');
      await this.remember(event.customer, ctx);
      return this.deliver([{ type: 'customer.info', customer: event.customer }], ctx);
    },
    'customer.info': async (event, ctx) => {
      await this.remember(event.customer, ctx);
      return this.deliver([{ type: 'customer.info', customer: event.customer }], ctx);
    },
    'conversation.ended': async (_event, ctx) => {
      if (!ctx.conversation.nativeId()) return dropped('no-native-conversation');
      return this.deliver([{ type: 'conversation.end' }], ctx);
    },
    'participant.joined': async (event, ctx) => {
      if (event.participant.role === 'customer') return dropped('not-expressible', 'eGain has no message type for a customer joining');
      const type = event.transfer ? 'agent.transfer' : 'agent.join';
      return this.deliver([{ type, participant: { id: event.participant.id, name: event.participant.name } }], ctx);
    },
  };

  private async remember(customer: CustomerProfile, ctx: DeliveryContext): Promise<void> {
    const attrs: Record<string, string> = {};
    if (customer.id) attrs['egain.customerId'] = customer.id;
    if (customer.language) attrs['egain.language'] = customer.language;
    if (Object.keys(attrs).length > 0) await ctx.conversation.setAttrs(attrs);
  }

  private async message(event: EventOfKind<'message'>, ctx: DeliveryContext): Promise<SendResult> {
    const { rules, r } = await this.channel(ctx);
    if (event.rich && event.attachments.length === 0) {
      const draft = richDraft(event.rich, event.text, r?.maxTextLength);
      const sender = this.senderType(ctx);
      const refusal = maySend(sender, draft.type) ? richRefusal(event.rich, r, r?.maxTextLength) : `a ${sender} app may not send ${draft.type}`;
      // What the channel cannot show goes as its readable text (below), never dropped.
      if (!refusal) return this.deliver([draft], ctx);
      ctx.logger.debug('rich message sent as its text', { reason: refusal });
    }
    // The channel's policy applies to every file the sender shared. A refused file is left out and its
    // sender told why; the text and the other files still go. One the channel allows but that has no
    // address to fetch it from (hosted by the sender's vendor) is named in the text instead of uploaded.
    const noticeTo = event.sender.role === 'customer' ? 'customer' : 'agent';
    const refusals: AttachmentRefusal[] = [];
    const allowed = event.attachments.filter((file) => {
      const refusal = checkAttachment(r, file, noticeTo);
      if (refusal) refusals.push(refusal);
      return refusal === undefined;
    });
    const files = allowed.filter((a): a is Fetchable => a.url !== undefined);
    const text = [event.text, ...allowed.filter((a) => a.url === undefined).map(attachmentLine)].filter((t) => t !== '').join('\n');
    const ids: { id: string }[] = [];
    for (const file of files) {
      const uploaded = await this.uploadAttachment(file, ctx, rules.type, r, noticeTo);
      if (typeof uploaded === 'string') ids.push({ id: uploaded });
      else refusals.push(uploaded);
    }
    const refused = refusals.length > 0 ? this.refusal(refusals, rules.l10nProperties, noticeTo, ctx) : undefined;
    if (text === '' && ids.length === 0) {
      return refused ? { status: 'dropped', ...refused } : dropped('empty-message');
    }
    const format = event.richText && hasFeature(r, 'richText') ? ({ format: 'html' } as const) : {};
    const parts = text.length > 0 ? splitText(text, r?.maxTextLength) : [];
    const drafts: Draft[] = parts.map((part) => ({ type: 'text', content: { text: part, ...format } }));
    if (ids.length > 0) {
      const last = drafts.at(-1);
      if (last?.content) last.content.attachments = { attachment: ids };
      else drafts.push({ type: 'text', content: { attachments: { attachment: ids } } });
    }
    const result = await this.deliver(drafts, ctx);
    return refused && result.status === 'sent' ? { ...result, refused } : result;
  }

  /**
   * What the sender of refused files is told, in their language: one line per distinct reason. The
   * first refusal is the metric label. A customer's language is the one eGain or the other side gave.
   */
  private refusal(refusals: AttachmentRefusal[], l10n: L10nProperties[] | undefined, noticeTo: 'customer' | 'agent', ctx: DeliveryContext): Drop {
    const language = (noticeTo === 'customer' ? ctx.conversation.attr('egain.language') : undefined) ?? this.config.defaultLanguage;
    const lines = [...new Set(refusals.map((refusal) => attachmentRefusalNotice(l10n, refusal, language)))];
    const codes = [...new Set(refusals.map((refusal) => refusal.code))];
    return { reason: REFUSAL_REASONS[refusals[0]!.code], detail: codes.join(', '), notice: lines.join('\n') };
  }

  private async uploadAttachment(
    file: Fetchable,
    ctx: DeliveryContext,
    channelType: string,
    r: DirectionRestrictions | undefined,
    noticeTo: 'customer' | 'agent',
  ): Promise<string | AttachmentRefusal> {
    const { bytes } = await this.api.download(file.url);
    // The declared size passed; the bytes are what counts.
    const refusal = checkAttachment(r, { name: file.name, size: bytes.length }, noticeTo);
    if (refusal) return refusal;
    const request = { channelType, senderType: this.senderType(ctx), name: file.name, size: bytes.length };
    // The signed URL may already be stale when the Hub's clock is ahead of ours: ask once more.
    for (let i = 0; i < 2; i += 1) {
      const asset = await this.api.createAsset(request);
      if (Date.parse(asset.contentUrlExpiry) > Date.now()) {
        await this.api.uploadAsset(asset.contentUrl, bytes, file.contentType);
        return asset.id;
      }
    }
    throw new RetryableError('egain create asset: the signed upload URL was expired on arrival');
  }

  /** Checks every draft against the permission table, then sends them in one request. */
  private async deliver(drafts: Draft[], ctx: DeliveryContext): Promise<SendResult> {
    const sender = this.senderType(ctx);
    const forbidden = drafts.find((d) => !maySend(sender, d.type));
    if (forbidden) return dropped('sender-not-permitted', `a ${sender} app may not send ${forbidden.type} (eGain permission table)`);
    const nativeId = ctx.conversation.nativeId();
    if (!nativeId && sender !== 'customer') return dropped('no-native-conversation', 'it must start on eGain');
    const conversation = nativeId ? { id: nativeId } : this.startBlock(ctx, drafts);
    const messages: WireMessage[] = drafts.map((d) => ({
      type: { value: d.type },
      ...(d.content ? { content: d.content } : {}),
      sender: { type: sender, ...(d.participant ? { participant: d.participant } : {}) },
      conversation: d.customer ? withCustomer(conversation, d.customer) : conversation,
    }));
    const reply = await this.api.sendMessages({
      metadata: { attributes: [{ name: 'chatbridgeConversationId', value: ctx.conversation.id }] },
      messages: { message: messages },
    });
    if (!nativeId) {
      // UNKNOWN: we expect the 202 reply to name the conversation the Hub opened (wire.ts SendResponse).
      if (!reply.conversationId) throw new PermanentError('egain send message: the reply names no conversation id');
      await ctx.conversation.link(reply.conversationId);
    }
    // Every part of a split text has its id, and each is linked, so none comes back as an echo.
    const ids = reply.ids.filter((id): id is string => id !== undefined);
    return ids.length > 0 ? { status: 'sent', nativeMessageIds: ids } : { status: 'sent' };
  }

  /** The conversation block a customer app sends to open a conversation (seed: "start conversation"). */
  private startBlock(ctx: DeliveryContext, drafts: Draft[]): WireConversation {
    const account = this.config.account;
    if (!account) throw new PermanentError('egain: account.address and account.entryPointId are needed to start conversations');
    const customerId = drafts.find((d) => d.customer?.id)?.customer?.id ?? ctx.conversation.attr('egain.customerId') ?? ctx.conversation.id;
    return {
      account: { address: account.address, channel: { type: this.config.channel.type } },
      customer: { contacts: { contact: [{ type: account.contactType, address: customerId }] } },
      entryPoint: { id: account.entryPointId },
    };
  }
}

/** Adds a canonical profile to a conversation block, keeping the contacts already there. */
function withCustomer(conversation: WireConversation, c: CustomerProfile): WireConversation {
  const contact = [
    ...(conversation.customer?.contacts?.contact ?? []),
    ...(c.email ? [{ type: 'email', address: c.email }] : []),
    ...(c.phone ? [{ type: 'phone', address: c.phone }] : []),
  ];
  const customer = {
    ...conversation.customer,
    ...(c.firstName ? { firstName: c.firstName } : {}),
    ...(c.lastName ? { lastName: c.lastName } : {}),
    ...(c.language ? { language: c.language } : {}),
    ...(contact.length > 0 ? { contacts: { contact } } : {}),
  };
  return { ...conversation, customer };
}
