import { withAuthRefresh } from '../auth/auth-refresh.js';
import { PermanentError } from '../errors.js';
import type { Attachment, ConversationEvent } from '../model/events.js';
import type { Logger } from '../observability/logger.js';
import type { Connector } from '../ports/adapter.js';
import type { FileLinks } from './file-links.js';

/**
 * Readies a message's files for the target at the moment of delivery. A file whose origin platform can
 * resolve it (`resolveFile`) gets a fresh signed `url` (the one the vendor handed out when the event
 * arrived may have expired in the queue or during retries), its details as the origin describes them now,
 * and a lasting bridge `link` for text. The origin is asked here, after the webhook was answered, never
 * during normalize.
 */
export async function withFreshFiles(
  event: ConversationEvent,
  origin: Connector | undefined,
  links: FileLinks,
  logger: Logger,
): Promise<ConversationEvent> {
  if (event.kind !== 'message' || !origin?.resolveFile) return event;
  if (!event.attachments.some((a) => a.nativeId !== undefined)) return event;
  const resolve = origin.resolveFile.bind(origin);
  const attachments: Attachment[] = [];
  for (const attachment of event.attachments) {
    const nativeId = attachment.nativeId;
    if (nativeId === undefined) {
      attachments.push(attachment);
      continue;
    }
    try {
      const file = await withAuthRefresh(origin, () => resolve(nativeId));
      const link = links.link(event.tenant, { platform: event.origin.platform, nativeId });
      attachments.push({ ...attachment, name: file.name, contentType: file.contentType, size: file.size, url: file.url, link });
    } catch (err) {
      // Retrying cannot bring back a file the origin no longer has or refuses: the message still goes, and
      // the file is named as not downloadable. Outages and timeouts retry the delivery.
      if (!(err instanceof PermanentError)) throw err;
      logger.warn('file not resolvable at its origin: sent as not downloadable', { origin: event.origin.platform, error: err.message });
      attachments.push({ ...attachment, url: undefined, link: undefined });
    }
  }
  return { ...event, attachments };
}
