import type { RichContent, RichContentInput, RichOption } from '../../src/model/rich.js';
import { choiceText, richMessageBody } from '../../src/model/rich-text.js';
import { hasFeature } from './restrictions.js';
import type { DirectionRestrictions, WireRichMessage } from './wire.js';

/**
 * eGain `richMessage.*` <-> canonical rich content. The body shape is UNKNOWN (wire.ts: WireRichMessage):
 * we write one shape and read every plausible one.
 */

/** The eGain types we map; the others (template, timepicker, form, payment, app, authentication) go as their text. */
const TYPE_OF: Record<RichContent['type'], string> = { quickReplies: 'quickreply', listPicker: 'listpicker', card: 'richlink' };

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
const url = (v: unknown): string | undefined => {
  const s = str(v);
  return s && /^https?:\/\/\S+$/.test(s) ? s : undefined;
};
const first = (o: Loose, keys: string[], read: (v: unknown) => string | undefined = str) =>
  keys.map((k) => read(o[k])).find((v) => v !== undefined);

/** A list bare or wrapped (`{option: [...]}`, `{item: [...]}`), under any of its plausible names. */
function listOf(o: Loose): unknown[] {
  for (const key of ['options', 'items', 'replies', 'choices', 'buttons']) {
    const v = o[key];
    if (Array.isArray(v)) return v;
    if (isObject(v)) for (const inner of ['option', 'item', 'reply', 'choice', 'button']) if (Array.isArray(v[inner])) return v[inner] as unknown[];
  }
  return [];
}

function optionOf(raw: unknown): RichOption | undefined {
  if (typeof raw === 'string') return str(raw) ? { title: raw } : undefined;
  if (!isObject(raw)) return undefined;
  const title = first(raw, ['title', 'label', 'text', 'name']);
  if (!title) return undefined;
  const image = isObject(raw.image) ? url(raw.image.url) : url(raw.image);
  const value = first(raw, ['value', 'payload', 'postback', 'id']);
  const subtitle = first(raw, ['subtitle', 'description']);
  const link = first(raw, ['url', 'link', 'href'], url);
  const imageUrl = url(raw.imageUrl) ?? image;
  return { title, ...(value && value !== title ? { value } : {}), ...(subtitle ? { subtitle } : {}), ...(imageUrl ? { imageUrl } : {}), ...(link ? { url: link } : {}) };
}

/** Where the structure sits: `content.richMessage`, `content.<subtype>`, or `content` itself. */
function bodyOf(content: Loose, subtype: string): Loose {
  if (isObject(content.richMessage)) return content.richMessage;
  if (isObject(content[subtype])) return content[subtype] as Loose;
  return content;
}

/**
 * An agent's or bot's rich message as a canonical message body (the content and its readable text),
 * or undefined when its structure cannot be read (the caller falls back to `content.text`).
 */
export function readRichMessage(subtype: string, content: Loose | undefined): { text: string; rich: RichContentInput } | undefined {
  if (!content) return undefined;
  const body = bodyOf(content, subtype);
  const options = listOf(body).map(optionOf).filter((o): o is RichOption => o !== undefined);
  const heading = first(body, ['title', 'text', 'prompt', 'header']) ?? str(content.text);
  const subtitle = first(body, ['subtitle', 'description']);
  if (subtype === 'quickreply' && options.length > 0) return richMessageBody({ type: 'quickReplies', prompt: heading ?? '', options });
  if (subtype === 'listpicker' && options.length > 0) {
    const multiple = body.multipleSelection === true || body.multiSelect === true;
    return richMessageBody({ type: 'listPicker', title: heading ?? 'Choose', ...(subtitle ? { subtitle } : {}), multipleSelection: multiple, options });
  }
  if (subtype === 'richlink') {
    const link = first(body, ['url', 'link', 'href'], url);
    const imageUrl = url(body.imageUrl) ?? (isObject(body.image) ? url(body.image.url) : url(body.image));
    const title = heading ?? link;
    if (title) return richMessageBody({ type: 'card', title, ...(subtitle ? { subtitle } : {}), ...(link ? { url: link } : {}), ...(imageUrl ? { imageUrl } : {}), buttons: options });
  }
  return undefined;
}

/** A customer's answer relayed as a `richMessage.*`: the chosen options as text, or undefined. */
export function readChoice(content: Loose | undefined): string | undefined {
  if (!content) return undefined;
  const body = isObject(content.richMessage) ? content.richMessage : content;
  for (const key of ['selected', 'selection', 'response', 'reply']) {
    const v = body[key];
    const picked = (Array.isArray(v) ? v : [v]).map(optionOf).filter((o): o is RichOption => o !== undefined);
    if (picked.length > 0) return picked.map(choiceText).join(', ');
  }
  const marked = listOf(body).filter((o) => isObject(o) && o.selected === true).map(optionOf).filter((o): o is RichOption => o !== undefined);
  return marked.length > 0 ? marked.map(choiceText).join(', ') : str(content.text);
}

/** Why the channel cannot show this rich content (the text fallback goes instead), or undefined. */
export function richRefusal(rich: RichContent, r: DirectionRestrictions | undefined, maxText: number | undefined): string | undefined {
  const subtype = TYPE_OF[rich.type];
  if (!hasFeature(r, 'richText')) return 'the channel has no richText feature';
  if (r?.richMessageTypes && !r.richMessageTypes.includes(subtype)) return `the channel takes no ${subtype} rich messages`;
  // A richlink holds a link and an image, not buttons that answer: those would be lost.
  if (rich.type === 'card' && rich.buttons.some((b) => b.url === undefined || b.url !== rich.url)) return 'a card with buttons has no richlink form';
  if (maxText !== undefined && headingOf(rich).length > maxText) return 'the heading is longer than the channel takes';
  return undefined;
}

function headingOf(rich: RichContent): string {
  return rich.type === 'quickReplies' ? rich.prompt : rich.title;
}

/**
 * The message we send for rich content the channel takes: `richMessage.<subtype>` (shape: wire.ts), with
 * the whole readable text in `content.text` when it fits the channel, else the heading.
 */
export function richDraft(rich: RichContent, fallback: string, maxText: number | undefined): { type: string; content: { text: string; richMessage: WireRichMessage } } {
  const options = (list: RichOption[]) => (list.length > 0 ? { options: { option: list } } : {});
  const heading = headingOf(rich);
  const body: WireRichMessage =
    rich.type === 'card'
      ? { title: rich.title, ...(rich.subtitle ? { subtitle: rich.subtitle } : {}), ...(rich.url ? { url: rich.url } : {}), ...(rich.imageUrl ? { imageUrl: rich.imageUrl } : {}) }
      : rich.type === 'listPicker'
        ? { title: rich.title, ...(rich.subtitle ? { subtitle: rich.subtitle } : {}), multipleSelection: rich.multipleSelection, ...options(rich.options) }
        : { ...(heading ? { title: heading } : {}), ...options(rich.options) };
  const text = maxText === undefined || fallback.length <= maxText ? fallback : heading;
  return { type: `richMessage.${TYPE_OF[rich.type]}`, content: { text, richMessage: body } };
}
