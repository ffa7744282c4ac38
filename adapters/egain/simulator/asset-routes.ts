import express, { type Request, type Router } from 'express';
import { ASSET_SIZE_LIMIT, SimAssetRequest } from './vendor-schemas.js';
import { authedOf, requireScope } from './auth-routes.js';
import { restrictionsFor } from './message-routes.js';
import { INTERACTION_SCOPE, reject, type SimAsset, type SimulatorState, zodDetails } from './state.js';

/** Why the channel's attachment policy refuses this file for this sender, or undefined. */
function policyProblem(state: SimulatorState, channelType: string, senderType: string, name: string, size: number): string | undefined {
  const r = restrictionsFor(state, channelType, senderType);
  const policy = r?.attachmentPolicy;
  if ((r?.features && !r.features.includes('attachments')) || policy?.enabled === false) return 'attachments are disabled on this channel';
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  const listed = (policy?.extensions ?? []).map((e) => e.toLowerCase()).includes(ext);
  if ((policy?.type === 'allow' && !listed) || (policy?.type === 'block' && listed)) return `file extension '${ext}' is not allowed`;
  if (policy?.maxSize !== undefined && size > policy.maxSize) return `size ${size} exceeds the channel limit ${policy.maxSize}`;
  return undefined;
}

/**
 * The Asset API and the signed storage URLs the simulator serves itself: `POST /assets` checks the
 * channel's attachment policy and hands out an upload URL valid for `ttl.uploadMs`; the upload must carry
 * exactly the declared size before expiry; each `GET /assets/{id}` hands out a new download URL that
 * stops working `ttl.downloadMs` later (its `contentUrlExpiry`), on the Hub's clock.
 */
export function assetRouter(state: SimulatorState, baseUrl: () => string, ttl: () => { uploadMs: number; downloadMs: number }): Router {
  const router = express.Router();
  const describe = (a: SimAsset) => {
    const download = state.signDownload(a.id, ttl().downloadMs);
    return {
      id: a.id,
      name: a.name,
      contentType: a.contentType ?? 'application/octet-stream',
      size: a.size,
      contentUrl: `${baseUrl()}/storage/download?signature=${download.signature}`,
      contentUrlExpiry: new Date(download.expiresAt).toISOString(),
    };
  };

  router.post('/assets', requireScope(state, INTERACTION_SCOPE), express.json({ limit: '64kb' }), (req, res) => {
    const { client } = authedOf(res);
    const parsed = SimAssetRequest.safeParse(req.body);
    if (!parsed.success) return reject(state, req, res, 400, 'malformed asset request', zodDetails(parsed.error));
    const { channel, sender, name, size } = parsed.data;
    if (sender.type !== client.type) return reject(state, req, res, 403, `the client application is registered as ${client.type}`);
    if (!state.channelByType(channel.type)) return reject(state, req, res, 400, `unknown channel type ${channel.type}`);
    const problem = policyProblem(state, channel.type, sender.type, name, size);
    if (problem) return reject(state, req, res, 400, problem, [{ key: 'name', value: problem }]);
    const asset = state.newAsset({ name, size, channelType: channel.type, senderType: sender.type, uploadExpiresAt: state.now() + ttl().uploadMs });
    res.status(201).json({
      id: asset.id,
      contentUrl: `${baseUrl()}/storage/upload?signature=${asset.uploadSignature}`,
      contentUrlExpiry: new Date(asset.uploadExpiresAt).toISOString(),
    });
  });

  router.get('/assets/:id', requireScope(state, INTERACTION_SCOPE), (req: Request<{ id: string }>, res) => {
    const asset = state.assets.get(req.params.id);
    if (!asset?.bytes) return reject(state, req, res, 404, 'no such asset');
    res.json(describe(asset));
  });

  router.delete('/assets/:id', requireScope(state, INTERACTION_SCOPE), (req: Request<{ id: string }>, res) => {
    const asset = state.assets.get(req.params.id);
    if (!asset) return reject(state, req, res, 404, 'no such asset');
    const used = state.messages.some((m) => m.message.content?.attachments?.attachment.some((a) => a.id === asset.id));
    if (used) return reject(state, req, res, 400, 'an asset used in a message cannot be deleted');
    state.assets.delete(asset.id);
    res.status(204).end();
  });

  router.post('/storage/upload', express.raw({ type: () => true, limit: ASSET_SIZE_LIMIT + 1024 }), (req, res) => {
    const signature = String(req.query.signature ?? '');
    const asset = [...state.assets.values()].find((a) => a.uploadSignature === signature);
    if (!asset) return reject(state, req, res, 403, 'invalid signature');
    if (asset.uploadExpiresAt <= state.now()) return reject(state, req, res, 403, 'signed URL expired');
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (body.length !== asset.size) return reject(state, req, res, 400, `uploaded ${body.length} bytes, declared ${asset.size}`);
    asset.bytes = body;
    asset.contentType = req.headers['content-type'] ?? 'application/octet-stream';
    res.status(201).end();
  });

  router.get('/storage/download', (req, res) => {
    const download = state.downloads.get(String(req.query.signature ?? ''));
    const asset = download && state.assets.get(download.assetId);
    if (!download || !asset?.bytes) return reject(state, req, res, 403, 'invalid signature');
    if (download.expiresAt <= state.now()) return reject(state, req, res, 403, 'signed URL expired');
    res.type(asset.contentType ?? 'application/octet-stream').send(asset.bytes);
  });
  return router;
}
