import { z } from 'zod';
import type { RichContentInput, RichOption } from '../../src/model/rich.js';
import { Click, LpQuickReplies, type StructuredElement as Element } from './wire.js';

/**
 * LivePerson rich content <-> canonical rich content: quick replies on a ContentEvent and structured
 * content in a RichContentEvent (their shapes, and what is UNKNOWN about them, in wire.ts).
 */

const isUrl = (value: unknown): value is string => typeof value === 'string' && z.string().url().safeParse(value).success;
const nonEmpty = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

/** A button as an option: a publishText answers, a link opens a page. */
function optionOf(title: string, click: unknown): RichOption {
  const actions = Click.safeParse(click).data?.actions ?? [];
  const publish = actions.find((a) => a.type === 'publishText' && nonEmpty(a.text))?.text;
  const link = actions.find((a) => a.type === 'link' && isUrl(a.uri))?.uri;
  return { title, ...(publish && publish !== title ? { value: publish } : {}), ...(link ? { url: link } : {}) };
}

/** Quick replies of a ContentEvent, or undefined when it has none we can read. */
export function quickRepliesOf(message: string, raw: unknown): RichContentInput | undefined {
  const parsed = LpQuickReplies.safeParse(raw);
  if (!parsed.success) return undefined;
  return { type: 'quickReplies', prompt: message, options: parsed.data.replies.map((r) => optionOf(r.title, r.click)) };
}

interface Flat {
  texts: string[];
  images: { url: string; caption?: string }[];
  buttons: RichOption[];
}

function flatten(node: unknown, into: Flat): void {
  if (!node || typeof node !== 'object') return;
  const e = node as Element;
  if (e.type === 'text' && nonEmpty(e.text)) into.texts.push(e.text);
  if (e.type === 'image' && isUrl(e.url)) into.images.push({ url: e.url, ...(nonEmpty(e.caption) ? { caption: e.caption } : {}) });
  if (e.type === 'button' && nonEmpty(e.title)) into.buttons.push(optionOf(e.title, e.click));
  if (Array.isArray(e.elements)) for (const child of e.elements) flatten(child, into);
}

/** One card of a carousel as one option of a list. */
function cardOption(node: unknown): RichOption | undefined {
  const flat: Flat = { texts: [], images: [], buttons: [] };
  flatten(node, flat);
  const title = flat.texts[0] ?? flat.buttons[0]?.title ?? flat.images[0]?.caption;
  if (!title) return undefined;
  const first = flat.buttons[0];
  return {
    title,
    ...(flat.texts.length > 1 ? { subtitle: flat.texts.slice(1).join(' ') } : {}),
    ...(flat.images[0] ? { imageUrl: flat.images[0].url } : {}),
    ...(first?.url ? { url: first.url } : first?.value ? { value: first.value } : {}),
  };
}

/**
 * A structured-content tree as canonical rich content: a carousel is a list of its cards; a tree with
 * an image or a link is a card; one with answering buttons is a list picker. Undefined when nothing in
 * it is readable; text alone comes back as `{ text }` (a plain message).
 */
export function structuredContentOf(content: unknown): RichContentInput | { text: string } | undefined {
  const root = content as Element | undefined;
  if (root?.type === 'carousel' && Array.isArray(root.elements)) {
    const options = root.elements.map(cardOption).filter((o): o is RichOption => o !== undefined);
    return options.length > 0 ? { type: 'listPicker', title: options.map((o) => o.title).join(', '), options } : undefined;
  }
  const flat: Flat = { texts: [], images: [], buttons: [] };
  flatten(content, flat);
  const [first, ...rest] = flat.texts;
  const subtitle = rest.length > 0 ? { subtitle: rest.join('\n') } : {};
  const link = flat.buttons.find((b) => b.url)?.url;
  if (flat.images.length > 0 || link) {
    const title = first ?? flat.images[0]?.caption ?? flat.buttons[0]?.title ?? 'Link';
    return { type: 'card', title, ...subtitle, ...(flat.images[0] ? { imageUrl: flat.images[0].url } : {}), ...(link ? { url: link } : {}), buttons: flat.buttons };
  }
  if (flat.buttons.length > 0) return { type: 'listPicker', title: first ?? 'Choose', ...subtitle, options: flat.buttons };
  return first ? { text: flat.texts.join('\n') } : undefined;
}

function button(option: RichOption): Record<string, unknown> {
  const action = option.url ? { type: 'link', name: option.title, uri: option.url } : { type: 'publishText', text: option.value ?? option.title };
  return { type: 'button', title: option.title, click: { actions: [action] } };
}

const text = (value: string) => ({ type: 'text', text: value });

/** Canonical rich content as the event LivePerson publishes: quick replies on a text, the rest as structured content. */
export function publishedRich(rich: RichContentInput, fallback: string): Record<string, unknown> {
  switch (rich.type) {
    case 'quickReplies':
      return {
        type: 'ContentEvent',
        contentType: 'text/plain',
        message: rich.prompt.trim() !== '' ? rich.prompt : fallback,
        quickReplies: { type: 'quickReplies', itemsPerRow: 8, replies: rich.options.map(button) },
      };
    case 'listPicker':
      return {
        type: 'RichContentEvent',
        content: { type: 'vertical', elements: [text(rich.title), ...(rich.subtitle ? [text(rich.subtitle)] : []), ...rich.options.map(button)] },
      };
    case 'card':
      return {
        type: 'RichContentEvent',
        content: {
          type: 'vertical',
          elements: [
            ...(rich.imageUrl ? [{ type: 'image', url: rich.imageUrl, ...(rich.url ? { click: { actions: [{ type: 'link', uri: rich.url }] } } : {}) }] : []),
            text(rich.title),
            ...(rich.subtitle ? [text(rich.subtitle)] : []),
            ...(rich.url ? [button({ title: 'Open', url: rich.url })] : []),
            ...(rich.buttons ?? []).map(button),
          ],
        },
      };
  }
}
