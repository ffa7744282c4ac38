import type { Attachment } from './events.js';

/**
 * How an attachment a target cannot carry as a file still reaches the person there: a line with its
 * name and address (the lasting bridge link when there is one: a vendor's signed URL expires long before
 * anyone reads the transcript), or a mark that it was sent but cannot be fetched (a file hosted by the
 * sender's vendor with no public address). Silently leaving the file out would hide that it was sent.
 */
export function attachmentLine(attachment: Attachment): string {
  return `${attachment.name}: ${attachment.link ?? attachment.url ?? '(not downloadable)'}`;
}
