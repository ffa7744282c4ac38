import { type DirectionRestrictions, type L10nProperties, MAX_ASSET_SIZE, REFUSAL_TEXTS } from './wire.js';

/**
 * A channel's restrictions applied before we send: pure functions, shared by the adapter and usable by
 * the core (the localized refusal text is meant to be posted back to the sender's side).
 */

export function hasFeature(r: DirectionRestrictions | undefined, feature: 'typing_events' | 'attachments' | 'richText'): boolean {
  // A channel that lists no features restricts none (eGain's own channels omit the list).
  return r?.features === undefined || r.features.includes(feature);
}

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

export type RefusalCode = keyof typeof REFUSAL_TEXTS;
export interface AttachmentRefusal {
  /** The `msg_hub_*` property whose text tells the sender; also the metric label. */
  code: RefusalCode;
  /** `{0}` of the text: the extension or the size limit. */
  argument: string;
}

/**
 * Why the channel refuses this attachment, or undefined when it may be sent. Each reason has its own
 * text: attachments off on the channel is an unsupported content type (addressed to whoever sent the
 * file, `noticeTo`), an extension the policy blocks or does not allow, a file over `maxSize`.
 */
export function checkAttachment(
  r: DirectionRestrictions | undefined,
  file: { name: string; size: number },
  noticeTo: 'customer' | 'agent',
): AttachmentRefusal | undefined {
  const policy = r?.attachmentPolicy;
  const ext = extensionOf(file.name);
  if (!hasFeature(r, 'attachments') || policy?.enabled === false) {
    return { code: noticeTo === 'customer' ? 'msg_hub_invalid_content_type_to_customer' : 'msg_hub_invalid_content_type_to_agent', argument: ext };
  }
  const listed = (policy?.extensions ?? []).map((e) => e.toLowerCase().replace(/^\./, '')).includes(ext);
  if ((policy?.type === 'allow' && !listed) || (policy?.type === 'block' && listed)) {
    return { code: 'msg_hub_blocked_file_extension', argument: ext || file.name };
  }
  const limit = Math.min(policy?.maxSize ?? MAX_ASSET_SIZE, MAX_ASSET_SIZE);
  if (file.size > limit) return { code: 'msg_hub_attachment_size_exceeds_limit', argument: formatSize(limit) };
  return undefined;
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round((bytes / 1024) * 10) / 10} KB`;
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
}

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
 * sender's language (exact tag, then same primary language), else en-US, else eGain's sample text;
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
    REFUSAL_TEXTS[refusal.code];
  return template.split('{0}').join(refusal.argument);
}
