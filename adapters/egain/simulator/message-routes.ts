import { randomUUID } from 'node:crypto';
import express, { type Router } from 'express';
import { hubAllows } from './vendor-permissions.js';
import { type SimDirection, SimSendBody, type SimMessage } from './vendor-schemas.js';
import { authedOf, requireScope } from './auth-routes.js';
import { INTERACTION_SCOPE, reject, type SimConversation, type SimulatorState, zodDetails } from './state.js';

/** Restrictions that apply to what `senderType` sends: inbound = from the customer (seed). */
export function restrictionsFor(state: SimulatorState, channelType: string, senderType: string): SimDirection | undefined {
  const r = state.channelByType(channelType)?.restrictions;
  return senderType === 'customer' ? r?.inbound : r?.outbound;
}

/** Why the Hub would refuse one message, or undefined. */
function problemWith(state: SimulatorState, m: SimMessage, conversation: SimConversation): string | undefined {
  const type = m.type.value;
  if (!hubAllows(m.sender.type, type)) return `a ${m.sender.type} client application may not send ${type}`;
  const r = restrictionsFor(state, conversation.channelType, m.sender.type);
  const text = m.content?.text;
  const refs = m.content?.attachments?.attachment ?? [];
  if (type === 'text' && !text && refs.length === 0) return 'a text message needs content.text or attachments';
  // The docs say "characters" without a unit; the fake Hub counts UTF-16 code units (Java's
  // String.length()), the strictest reading, so the bridge is never lenient by accident.
  if (text !== undefined && r?.maxTextLength !== undefined && text.length > r.maxTextLength) {
    return `text is ${text.length} UTF-16 code units, the channel allows ${r.maxTextLength}`;
  }
  if (type.startsWith('typing.') && r?.features && !r.features.includes('typing_events')) return 'the channel has no typing events';
  const rich = type.startsWith('richMessage.') ? type.slice('richMessage.'.length) : undefined;
  if (rich && r?.features && !r.features.includes('richText')) return 'the channel has no richText feature';
  if (rich && r?.richMessageTypes && !r.richMessageTypes.includes(rich)) return `the channel does not take ${rich} rich messages`;
  const body = m.content?.richMessage;
  if ((rich === 'quickreply' || rich === 'listpicker') && !body?.options) return `a ${rich} needs content.richMessage.options`;
  if (rich === 'richlink' && !body?.url) return 'a richlink needs content.richMessage.url';
  if (!rich && body) return 'content.richMessage belongs to richMessage.* types only';
  for (const ref of refs) {
    const asset = state.assets.get(ref.id);
    if (!asset || !asset.bytes) return `asset ${ref.id} does not exist or was never uploaded`;
  }
  return undefined;
}

/** Opens a conversation for a customer app's first message, as in the seed's "start conversation" sample. */
function startConversation(state: SimulatorState, m: SimMessage): SimConversation | string {
  if (m.sender.type !== 'customer') return 'only a customer client application can start a conversation';
  const c = m.conversation;
  const address = c?.customer?.contacts?.contact[0]?.address;
  if (!c?.account || !c.entryPoint || !address) {
    return 'starting a conversation needs conversation.account, conversation.customer.contacts and conversation.entryPoint';
  }
  if (!state.channelByType(c.account.channel.type)) return `unknown channel type ${c.account.channel.type}`;
  return state.openConversation(c.account.channel.type, address);
}

export function messageRouter(state: SimulatorState): Router {
  const router = express.Router();
  router.post('/conversations/messages', requireScope(state, INTERACTION_SCOPE), (req, res) => {
    const { client } = authedOf(res);
    const parsed = SimSendBody.safeParse(req.body);
    if (!parsed.success) return reject(state, req, res, 400, 'malformed send message body', zodDetails(parsed.error));
    const list = parsed.data.messages.message;
    if (list.some((m) => m.sender.type !== client.type)) {
      return reject(state, req, res, 403, `the client application is registered as ${client.type}`);
    }
    const ids = new Set(list.map((m) => m.conversation?.id));
    if (ids.size !== 1) return reject(state, req, res, 400, 'all messages of one request belong to one conversation');
    const [id] = ids;
    let conversation: SimConversation | string | undefined = id ? state.conversations.get(id) : startConversation(state, list[0]!);
    if (conversation === undefined) conversation = `unknown conversation ${id}`;
    if (typeof conversation === 'string') return reject(state, req, res, 400, conversation);
    for (const [i, m] of list.entries()) {
      const problem = problemWith(state, m, conversation);
      if (problem) return reject(state, req, res, 400, problem, [{ key: `messages.message[${i}]`, value: problem }]);
    }
    const accepted = list.map((m) => ({ ...m, id: randomUUID() }));
    for (const message of accepted) {
      state.messages.push({ clientId: client.clientId, conversationId: conversation.id, message, metadata: parsed.data.metadata });
      if (message.type.value === 'queue.transfer' || message.type.value === 'escalation.transfer') conversation.transferredBy = message.type.value;
    }
    // The 202 body is collapsed in the seed: per-message ids and the conversation id are a guess.
    res.status(202).json({ messages: { message: accepted.map((m) => ({ id: m.id, conversation: { id: conversation.id } })) } });
  });
  return router;
}
