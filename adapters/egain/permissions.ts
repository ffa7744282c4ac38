import type { ClientType } from './wire.js';

/**
 * The seed's table "which client app can send which type of message", as data. Columns in the
 * seed's order: customer, egain_agent, custom_agent, egain_bot, custom_bot. Types the sender may not
 * send are dropped before they reach the Hub (the simulator checks its own copy of the table).
 */
const COLUMNS: readonly ClientType[] = ['customer', 'egain_agent', 'custom_agent', 'egain_bot', 'custom_bot'];

const TABLE: Record<string, string> = {
  text: 'YYYYY',
  'typing.start': 'YYYYY',
  'typing.end': 'YYYYY',
  'escalation.transfer': 'NYYYY',
  pagePush: 'NYYYY',
  'conversation.state': 'NYYNN',
  'agent.join': 'NYYNN',
  'agent.available': 'NYYNN',
  'agent.unavailable': 'NYYNN',
  'agent.transfer': 'NYYNN',
  'queue.transfer': 'NYYNN',
  'richMessage.listpicker': 'NYYYY',
  'richMessage.quickreply': 'NYYYY',
  'richMessage.template': 'NYYYY',
  'richMessage.timepicker': 'NYYYY',
  'richMessage.richlink': 'NYYYY',
  'richMessage.form': 'NYYYY',
  'richMessage.payment': 'NYYYY',
  'richMessage.app': 'NYYYY',
  'richMessage.authentication': 'NYYYY',
  'authentication.success': 'YNNNN',
  'authentication.failure': 'YNNNN',
  'customer.info': 'YYYYY',
  'customer.active': 'YNNNN',
  'customer.inactive': 'YNNNN',
  error: 'YYYYY',
  'delete.soft': 'YNNNN',
  'delete.permanent': 'YNNNN',
  undo: 'YNNNN',
  'conversation.end': 'YYYYY',
};

/** True when the seed's table lets a client app of `sender` type send `type`. */
export function maySend(sender: ClientType, type: string): boolean {
  const row = Object.hasOwn(TABLE, type) ? TABLE[type] : undefined;
  return row?.[COLUMNS.indexOf(sender)] === 'Y';
}
