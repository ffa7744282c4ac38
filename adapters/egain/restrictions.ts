import type { DirectionRestrictions, L10nProperties } from './wire.js';
import { MAX_ASSET_SIZE } from './wire.js';

/**
 * A channel's restrictions applied before we send: pure functions, shared by the adapter and usable by
 * the core (the localized refusal text is meant to be posted back to the sender's side).
 */

/** Splits text into parts no longer than `max`, preferring whitespace; never drops a character. */
export function splitText(text: string, max: number | undefined): string[] {
  if (max === undefined || text.length <= max) return [text];
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max);
    const space = window.search(/\s\S*$/);
    // A break inside the last tenth would leave tiny parts; cut hard instead.
    const cut = space > max * 0.1 ? space + 1 : max;
    parts.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  if (rest.length > 0) parts.push(rest);
  return parts;
}

export function hasFeature(r: DirectionRestrictions | undefined, feature: 'typing_events' | 'attachments' | 'richText'): boolean {
  // A channel that lists no features restricts none (eGain's own channels omit the list).
  return r?.features === undefined || r.features.includes(feature);
}

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

export type AttachmentRefusal =
  | { code: 'msg_hub_blocked_file_extension'; argument: string }
  | { code: 'msg_hub_attachment_size_exceeds_limit'; argument: string };

/** Why the channel refuses this attachment, or undefined when it may be sent. */
export function checkAttachment(
  r: DirectionRestrictions | undefined,
  file: { name: string; size: number },
): AttachmentRefusal | undefined {
  const policy = r?.attachmentPolicy;
  const ext = extensionOf(file.name);
  if (!hasFeature(r, 'attachments') || policy?.enabled === false) {
    return { code: 'msg_hub_blocked_file_extension', argument: ext || file.name };
  }
  const listed = (policy?.extensions ?? []).map((e) => e.toLowerCase().replace(/^\./, '')).includes(ext);
  if (policy?.type === 'allow' && !listed) return { code: 'msg_hub_blocked_file_extension', argument: ext || file.name };
  if (policy?.type === 'block' && listed) return { code: 'msg_hub_blocked_file_extension', argument: ext };
  const limit = Math.min(policy?.maxSize ?? MAX_ASSET_SIZE, MAX_ASSET_SIZE);
  if (file.size > limit) return { code: 'msg_hub_attachment_size_exceeds_limit', argument: formatSize(limit) };
  return undefined;
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round((bytes / 1024) * 10) / 10} KB`;
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
}

/** eGain's own English texts (seed), used when the channel defines none in any language we can pick. */
const BUILT_IN: Record<AttachmentRefusal['code'], string> = {
  msg_hub_blocked_file_extension: "Attachment file type '{0}' is not allowed.",
  msg_hub_attachment_size_exceeds_limit: 'File could not be sent. It exceeded the maximum limit of {0}',
};

function lookup(l10n: readonly L10nProperties[], language: string, name: string): string | undefined {
  const wanted = language.toLowerCase();
  const exact = l10n.find((l) => l.language.toLowerCase() === wanted);
  const primary = wanted.split('-')[0];
  const sameBase = l10n.find((l) => l.language.toLowerCase().split('-')[0] === primary);
  for (const set of [exact, sameBase]) {
    const value = set?.properties.find((p) => p.name === name)?.value;
    if (value !== undefined) return value;
  }
  return undefined;
}

/**
 * The text to show the sender of a refused attachment: the channel's `l10nProperties` entry in the
 * sender's language (exact tag, then same primary language), else en-US, else eGain's default text;
 * `{0}` is the blocked extension or the size limit.
 */
export function attachmentRefusalNotice(
  l10n: readonly L10nProperties[] | undefined,
  refusal: AttachmentRefusal,
  language: string | undefined,
): string {
  const sets = l10n ?? [];
  const template =
    (language ? lookup(sets, language, refusal.code) : undefined) ??
    lookup(sets, 'en-US', refusal.code) ??
    BUILT_IN[refusal.code];
  return template.split('{0}').join(refusal.argument);
}
