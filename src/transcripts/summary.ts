import type { ConversationEvent, EventOfKind } from '../model/events.js';

/** Longest quote of one message in a summary: enough to know what was asked, short enough to scan. */
const QUOTE_MAX = 200;

const ROLE_LABEL: Record<ConversationEvent['sender']['role'], string> = {
  customer: 'Customer',
  agent: 'Agent',
  bot: 'Bot',
  system: 'System',
};

function quote(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= QUOTE_MAX ? flat : `${flat.slice(0, QUOTE_MAX - 1)}…`;
}

function line(m: EventOfKind<'message'>): string {
  const who = m.sender.name ? `${ROLE_LABEL[m.sender.role]} (${m.sender.name})` : ROLE_LABEL[m.sender.role];
  const files = m.attachments.map((a) => `[file: ${a.name}]`);
  return `${who}: ${[quote(m.text), ...files].filter((p) => p !== '').join(' ')}`;
}

/**
 * What a new agent side is told when a conversation is handed to it (a transfer or a route change):
 * the last `maxMessages` customer and agent messages, one line each, so the customer need not repeat
 * themselves. Undefined when there is nothing to tell. Earlier summaries and notices are left out.
 */
export function handOffSummary(transcript: readonly ConversationEvent[], maxMessages: number): string | undefined {
  if (maxMessages <= 0) return undefined;
  const messages = transcript.filter(
    (e): e is EventOfKind<'message'> => e.kind === 'message' && e.sender.role !== 'system' && (e.text.trim() !== '' || e.attachments.length > 0),
  );
  const recent = messages.slice(-maxMessages);
  if (recent.length === 0) return undefined;
  const started = transcript.find((e): e is EventOfKind<'conversation.started'> => e.kind === 'conversation.started');
  const subject = started?.subject ? ` about "${quote(started.subject)}"` : '';
  const header = `Conversation so far${subject} (last ${recent.length} of ${messages.length} messages):`;
  return [header, ...recent.map(line)].join('\n');
}
