import express, { type Router } from 'express';
import { withAuthRefresh } from '../auth/auth-refresh.js';
import type { Bridge } from '../bridge.js';
import { DeliveryError, InboundError } from '../errors.js';
import { sendError } from './errors.js';

/** What the file link route uses of the bridge: the tenants, the link keys and the connectors holding the files. */
export type FileLinkRoute = Pick<Bridge, 'tenant' | 'fileLinks' | 'connector' | 'metrics' | 'logger'>;

/**
 * `GET /files/:tenant/:token`: a bridge file link (src/files/file-links.ts) clicked. The token is checked
 * against the tenant in the path, the platform that holds the file is asked for a fresh signed URL, and
 * the answer is a 302 to it. A redirect rather than a proxy: the bytes go straight from the vendor's
 * storage to the reader (no size limit or load here), the signed URL authorizes that one file for a short
 * while and carries none of our credentials, and the bearer token used to ask for it never leaves.
 */
export function filesRouter(bridge: FileLinkRoute): Router {
  const router = express.Router();
  router.get('/files/:tenant/:token', async (req, res) => {
    const tenant = String(req.params.tenant);
    // No caching, no referrer: the answer is a short-lived URL, and the token must not travel further.
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Referrer-Policy', 'no-referrer');
    if (!bridge.tenant(tenant)) return sendError(res, 404, 'not_found', 'no such tenant');
    const refuse = (status: number, code: string, message: string) => {
      bridge.metrics.fileLinkRequests.inc({ tenant, outcome: code });
      sendError(res, status, code, message);
    };
    try {
      const ref = bridge.fileLinks.read(tenant, String(req.params.token));
      const connector = bridge.connector(tenant, ref.platform);
      if (!connector?.resolveFile) return refuse(404, 'file_not_found', 'the platform that holds this file is not configured');
      const resolve = connector.resolveFile.bind(connector);
      const file = await withAuthRefresh(connector, () => resolve(ref.nativeId));
      if (!/^https?:\/\//i.test(file.url)) throw new DeliveryError(`${ref.platform} gave a download address that is not http(s)`, false);
      bridge.metrics.fileLinkRequests.inc({ tenant, outcome: 'redirected' });
      return res.redirect(302, file.url);
    } catch (err) {
      if (err instanceof InboundError) return refuse(err.status, err.code, err.message);
      const status = err instanceof DeliveryError ? err.status : undefined;
      if (status === 404 || status === 410) return refuse(404, 'file_not_found', 'the file is no longer available');
      // The token stays out of the log: it opens the file until it expires.
      bridge.logger.warn('file link: the platform holding the file gave no download address', {
        tenant,
        error: err instanceof Error ? err.message : String(err),
      });
      return refuse(502, 'file_unavailable', 'the file cannot be fetched right now; try again later');
    }
  });
  return router;
}
