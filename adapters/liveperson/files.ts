import { PermanentError } from '../../src/errors.js';
import { vendorCall, type VendorHttp } from '../../src/vendor-http/vendor-client.js';
import type { Attachment } from '../../src/model/events.js';
import type { LivePersonApi } from './api.js';
import type { ConsumerIdentity } from './credentials.js';
import { hostedFile, uploadUrlRequest } from './wire-requests.js';
import { HOSTED_FILE_MAX_BYTES, HOSTED_FILE_TYPES, PLATFORM } from './wire.js';

/** LivePerson's preview must stay under 30 KB once base64-encoded in a data URL. */
const PREVIEW_MAX_BYTES = 20 * 1024;

export function isHostable(a: Attachment): boolean {
  return a.url !== undefined && a.contentType.toLowerCase() in HOSTED_FILE_TYPES && a.size <= HOSTED_FILE_MAX_BYTES;
}

/**
 * Shares one image as a LivePerson hosted file: fetch the bytes from the origin's signed URL, ask for an
 * upload URL, PUT the bytes to swift, then publish the `hosted/file` ContentEvent. Returns its sequence.
 */
export async function sendHostedFile(
  http: VendorHttp,
  api: LivePersonApi,
  consumer: ConsumerIdentity,
  dialogId: string,
  attachment: Attachment,
): Promise<unknown> {
  const fileType = HOSTED_FILE_TYPES[attachment.contentType.toLowerCase()] ?? 'PNG';
  const download = await vendorCall<ArrayBuffer>(
    http,
    { method: 'GET', url: attachment.url ?? '', responseType: 'arraybuffer', maxContentLength: HOSTED_FILE_MAX_BYTES },
    { vendor: PLATFORM, operation: 'attachment download', authStatuses: [] },
  );
  const bytes = Buffer.from(download.data);
  const upload = await api.send(consumer, uploadUrlRequest(bytes.length, fileType));
  const relativePath = upload.relativePath;
  const query = upload.queryParams as Record<string, unknown> | undefined;
  if (typeof relativePath !== 'string' || !query || typeof query.temp_url_sig !== 'string') {
    throw new PermanentError(`${PLATFORM} GenerateURLForUploadFile: no upload URL in the reply`);
  }
  await api.upload(relativePath, { temp_url_sig: query.temp_url_sig, temp_url_expires: String(query.temp_url_expires) }, bytes);
  const preview =
    bytes.length <= PREVIEW_MAX_BYTES ? `data:${attachment.contentType};base64,${bytes.toString('base64')}` : undefined;
  const published = await api.send(consumer, hostedFile(dialogId, { caption: attachment.name, relativePath, fileType, preview }));
  return published.sequence;
}
