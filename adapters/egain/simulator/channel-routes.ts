import express, { type Request, type Router } from 'express';
import { SimChannelBody } from './vendor-schemas.js';
import { requireScope } from './auth-routes.js';
import { MANAGE_SCOPE, READ_SCOPE, reject, type SimulatorState, zodDetails } from './state.js';

/** The Channel API (seed: create 201 `{id}`, list `{channel: [...]}`, get, update 204). */
export function channelRouter(state: SimulatorState): Router {
  const router = express.Router();

  router.post('/channels', requireScope(state, MANAGE_SCOPE), (req, res) => {
    const parsed = SimChannelBody.safeParse(req.body);
    if (!parsed.success) return reject(state, req, res, 400, 'malformed channel', zodDetails(parsed.error));
    // UNKNOWN status for a duplicate type; `type` is documented as unique.
    if (state.channelByType(parsed.data.type)) return reject(state, req, res, 400, `channel type ${parsed.data.type} exists`);
    res.status(201).json({ id: state.addChannel(parsed.data).id });
  });

  router.get('/channels', requireScope(state, MANAGE_SCOPE, READ_SCOPE), (_req, res) => {
    res.json({ paginationInfo: { count: state.channels.size }, channel: [...state.channels.values()] });
  });

  router.get('/channels/:id', requireScope(state, MANAGE_SCOPE, READ_SCOPE), (req: Request<{ id: string }>, res) => {
    const channel = state.channels.get(req.params.id);
    if (!channel) return reject(state, req, res, 404, 'no such channel');
    res.json(channel);
  });

  router.put('/channels/:id', requireScope(state, MANAGE_SCOPE), (req: Request<{ id: string }>, res) => {
    const channel = state.channels.get(req.params.id);
    if (!channel) return reject(state, req, res, 404, 'no such channel');
    const parsed = SimChannelBody.safeParse(req.body);
    if (!parsed.success) return reject(state, req, res, 400, 'malformed channel', zodDetails(parsed.error));
    const other = state.channelByType(parsed.data.type);
    if (other && other.id !== channel.id) return reject(state, req, res, 400, `channel type ${parsed.data.type} exists`);
    state.channels.set(channel.id, { ...parsed.data, id: channel.id, created: channel.created, modified: new Date(state.now()).toISOString() });
    res.status(204).end();
  });
  return router;
}
