import type { SimClientType } from './vendor-schemas.js';

/**
 * The Send message page's table "which client app can send which type of message", copied for the
 * fake Hub on its own (not shared with the adapter): for each type, the client application types
 * marked Y.
 */
const ANY: readonly SimClientType[] = ['customer', 'egain_agent', 'custom_agent', 'egain_bot', 'custom_bot'];
const CUSTOMER_ONLY: readonly SimClientType[] = ['customer'];
const AGENTS: readonly SimClientType[] = ['egain_agent', 'custom_agent'];
const AGENTS_AND_BOTS: readonly SimClientType[] = ['egain_agent', 'custom_agent', 'egain_bot', 'custom_bot'];

const RICH = ['listpicker', 'quickreply', 'template', 'timepicker', 'richlink', 'form', 'payment', 'app', 'authentication'];

const ALLOWED: ReadonlyMap<string, readonly SimClientType[]> = new Map([
  ...['text', 'typing.start', 'typing.end', 'customer.info', 'error', 'conversation.end'].map((t) => [t, ANY] as const),
  ...['escalation.transfer', 'pagePush', ...RICH.map((r) => `richMessage.${r}`)].map((t) => [t, AGENTS_AND_BOTS] as const),
  ...['conversation.state', 'agent.join', 'agent.available', 'agent.unavailable', 'agent.transfer', 'queue.transfer'].map((t) => [t, AGENTS] as const),
  ...['authentication.success', 'authentication.failure', 'customer.active', 'customer.inactive', 'delete.soft', 'delete.permanent', 'undo'].map(
    (t) => [t, CUSTOMER_ONLY] as const,
  ),
]);

/** True when the table lets a `sender` app send `type`; a type the table does not list is refused. */
export function hubAllows(sender: SimClientType, type: string): boolean {
  return ALLOWED.get(type)?.includes(sender) ?? false;
}
