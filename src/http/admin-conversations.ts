import express, { type Router } from 'express';
import type { AdminFacade } from '../bridge-admin.js';
import { requireAdmin } from './admin.js';
import { sendError } from './errors.js';

/** The `tenant` a request names (query or form) to narrow the search for a conversation, if it names one. */
function tenantParam(given: unknown): string | undefined {
  return typeof given === 'string' ? given : undefined;
}

/**
 * GET: one conversation as the bridge knows it, the native id on each platform, its attributes and its
 * transcript (oldest event first). POST hand-off `{agent}`: move its agent side to another agent
 * platform of its route (the new side is told what came before). POST hand-back: give it back to the
 * customer platform's own agents (src/routing/hand-back.ts).
 */
export function adminConversationsRouter(admin: AdminFacade): Router {
  const router = express.Router();
  router.use('/admin/conversations', requireAdmin(admin.config.server.adminToken));

  router.get('/admin/conversations/:id', async (req, res) => {
    const id = String(req.params.id);
    const record = await admin.conversation(id, tenantParam(req.query.tenant));
    if (!record) return sendError(res, 404, 'not_found', 'no conversation with that id');
    const transcript = await admin.transcript(record.tenant, id);
    res.json({ conversation: record, transcript: { count: transcript.length, events: transcript } });
  });

  router.post('/admin/conversations/:id/hand-off', express.json({ limit: '4kb' }), async (req, res) => {
    const id = String(req.params.id);
    const agent = (req.body as { agent?: unknown } | undefined)?.agent;
    if (typeof agent !== 'string') return sendError(res, 400, 'bad_request', 'the body must name the new agent platform: {"agent": "<platform>"}');
    const tenant = (await admin.conversation(id, tenantParam(req.query.tenant)))?.tenant;
    const result = tenant ? await admin.handOff(tenant, id, agent) : { status: 'not-found' as const };
    if (result.status === 'not-found') return sendError(res, 404, 'not_found', 'no conversation with that id');
    if (result.status === 'refused') return sendError(res, 409, 'refused', result.problem);
    admin.logger.info('conversation handed off', { tenant, conversationId: id, from: result.from, to: result.to });
    res.status(202).json({ conversationId: id, from: result.from, to: result.to });
  });
  router.post('/admin/conversations/:id/hand-back', async (req, res) => {
    const id = String(req.params.id);
    const outcome = await handBackAnswer(admin, id, req.query.tenant);
    res.status(outcome.status).json(outcome.body);
  });
  return router;
}

/**
 * Hand-back as an HTTP answer (the JSON API and the status page's button share it): 202 when done,
 * 404 unknown, 409 ended or already native, 422 the customer platform cannot, 502 the vendor failed.
 */
export async function handBackAnswer(admin: AdminFacade, id: string, only: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const tenant = (await admin.conversation(id, tenantParam(only)))?.tenant;
  const fail = (status: number, error: string, message: string) => ({ status, body: { error, message } });
  if (!tenant) return fail(404, 'not_found', 'no conversation with that id');
  let result;
  try {
    result = await admin.handBack(tenant, id);
  } catch (err) {
    admin.logger.warn('hand-back failed', { tenant, conversationId: id, error: (err as Error).message });
    return fail(502, 'hand_back_failed', `the customer platform did not take the conversation back: ${(err as Error).message}`);
  }
  if (result.status === 'not-found') return fail(404, 'not_found', 'no conversation with that id');
  if (result.status === 'conflict') return fail(409, 'conflict', result.problem);
  if (result.status === 'unsupported') return fail(422, 'unsupported', result.problem);
  admin.logger.info('conversation handed back to the customer platform\'s own agents', { tenant, conversationId: id, customer: result.customer, agent: result.agent });
  return { status: 202, body: { conversationId: id, handedBackTo: result.customer, ended: result.agent, summary: result.summary } };
}
