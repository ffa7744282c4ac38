import axios, { type AxiosInstance } from 'axios';
import { type RightNowSimulator, startRightNowSimulator } from '../../../adapters/rightnow/simulator/index.js';

/** The simulator must refuse what the real chat server refuses, with the documented codes. */
describe('rightnow simulator strictness', () => {
  let sim: RightNowSimulator;
  let http: AxiosInstance;
  let sessionId: string;
  let engagementId: string;
  const basic = `Basic ${Buffer.from('api-user:api-password').toString('base64')}`;
  const connect = { authorization: basic, 'osvc-crest-application-context': 'tests' };
  const agent = (op: string) => `/engagement/api/agent/acme_site__tst/v1/${op}?pool=297:1`;
  const headers = () => ({ 'x-aid': '12', 'x-jsessionid': sessionId });
  const post = (op: string, body: unknown, h: Record<string, string> = headers()) => http.post(agent(op), body, { headers: h });
  const message = (over: Record<string, unknown> = {}) => ({
    body: 'hi', destinationId: Number(engagementId), destinationType: 'ENGAGEMENT', messageType: 'TEXT', sequenceNumber: 10, ...over,
  });

  beforeEach(async () => {
    sim = await startRightNowSimulator({ pollHoldMs: 100 });
    http = axios.create({ baseURL: sim.url, validateStatus: () => true });
    const token = (await http.post('/services/rest/crossChannelServices/latest/agentTokens', {}, { headers: connect })).data.sessionToken as string;
    const created = await http.post(agent('createAutomatedAgentSession'), { logonOverride: true }, { headers: { authorization: `Bearer ${token}` } });
    sessionId = created.data.sessionId;
    await post('requestAssignment', { assignmentRequested: true, idleSessionCount: 0, maxSessionCount: 5, sequenceNumber: 1 });
    engagementId = sim.customerStartsChat({ firstName: 'Ada' });
    await post('assignmentAcknowledgement', { action: 'ACCEPT', actionType: 'AUTO', assignmentType: 'LEAD', engagementId: Number(engagementId), sequenceNumber: 2 });
  });

  afterEach(() => sim.close());

  it('when Connect REST is called without the application context or with a wrong password, then it refuses', async () => {
    const url = '/services/rest/crossChannelServices/latest/serviceSettings/1';
    expect((await http.get(url, { headers: { authorization: basic } })).status).toBe(400);
    expect((await http.get(url, { headers: { ...connect, authorization: 'Basic eDp5' } })).status).toBe(401);
    expect((await http.get(url, { headers: connect })).data).toMatchObject({ domain: sim.url, pool: '297:1', siteName: 'acme_site__tst' });
  });

  it('when a session is created without a valid JWT, then ACCESS_DENIED', async () => {
    const res = await http.post(agent('createAutomatedAgentSession'), {}, { headers: { authorization: 'Bearer forged' } });
    expect(res.status).toBe(403);
    expect(res.data.exceptionCode).toBe('ACCESS_DENIED');
  });

  it.each([
    ['no X-JSESSIONID', (): Record<string, string> => ({ 'x-aid': '12' })],
    ['a wrong X-AID', (): Record<string, string> => ({ 'x-aid': '13', 'x-jsessionid': sessionId })],
    ['a stale X-JSESSIONID', (): Record<string, string> => ({ 'x-aid': '12', 'x-jsessionid': 'node0stale' })],
  ])('when postMessage comes with %s, then 403 ACCESS_DENIED', async (_what, h) => {
    const res = await post('postMessage', message(), h());
    expect(res.status).toBe(403);
    expect(res.data.exceptionCode).toBe('ACCESS_DENIED');
    expect(sim.posts).toHaveLength(0);
  });

  it('when the sequence number does not increase, then INVALID_FIELD names it', async () => {
    expect((await post('postMessage', message({ sequenceNumber: 10 }))).status).toBe(200);
    const again = await post('postMessage', message({ sequenceNumber: 10 }));
    expect(again.status).toBe(400);
    expect(again.data).toMatchObject({ exceptionCode: 'INVALID_FIELD', message: expect.stringContaining('sequenceNumber') });
    expect((await post('postMessage', message({ sequenceNumber: 11 }))).status).toBe(200);
  });

  it.each([
    ['a wrong destinationType', { destinationType: 'AGENT' }],
    ['a wrong messageType', { messageType: 'HTML' }],
    ['an unknown engagement', { destinationId: 99999 }],
    ['an undocumented field', { colour: 'blue' }],
    ['no sequence number', { sequenceNumber: undefined }],
  ])('when postMessage has %s, then 400 INVALID_FIELD and nothing is recorded', async (_what, over) => {
    const res = await post('postMessage', message(over));
    expect(res.status).toBe(400);
    expect(res.data.exceptionCode).toBe('INVALID_FIELD');
    expect(sim.posts).toHaveLength(0);
  });

  it('when the pool is missing, then the request is refused', async () => {
    const res = await http.post(`/engagement/api/agent/acme_site__tst/v1/postMessage`, message(), { headers: headers() });
    expect(res.status).toBe(400);
  });

  it('when an exception is injected, then it is answered in a 200 chatSystemError or with its status', async () => {
    sim.failNext('postMessage', 'UNDEFINED_CONDITION');
    sim.failNext('postMessage', 'CONFLICT', { inBody: false });
    const inBody = await post('postMessage', message());
    const asStatus = await post('postMessage', message({ sequenceNumber: 11 }));
    expect(inBody.status).toBe(200);
    expect(inBody.data.chatSystemError).toMatchObject({ errorCondition: 'UNDEFINED_CONDITION' });
    expect(asStatus.status).toBe(409);
    expect(asStatus.data.exceptionCode).toBe('CONFLICT');
  });

  it('when getMessages has nothing, then it holds the request and answers one ChatGetTimeout', async () => {
    await post('getMessages', {}); // drains the offer
    let answered = false;
    const pending = post('getMessages', {}).then((res) => {
      answered = true;
      return res;
    });
    await new Promise((r) => setTimeout(r, 30));
    expect(answered).toBe(false);
    expect((await pending).data.getResponseTypes).toEqual([{ ChatGetTimeout: {} }]);
  });

  it('when the end user speaks during a long poll, then the poll answers at once with the message', async () => {
    await post('getMessages', {});
    const pending = post('getMessages', {});
    setTimeout(() => sim.customerSays(engagementId, 'hello', { messageId: 'u-1' }), 10);
    const res = await pending;
    expect(res.data.getResponseTypes).toEqual([
      { ChatPostMessage: expect.objectContaining({ engagementId: Number(engagementId), body: 'hello', messageId: 'u-1', senderType: 'END_USER' }) },
    ]);
  });

  it('when an engagement is released before it is concluded, or twice, then INVALID_FIELD, then CONFLICT', async () => {
    const engagement = { engagementId: Number(engagementId) };
    expect((await post('releaseChat', { ...engagement, sequenceNumber: 3 })).data.exceptionCode).toBe('INVALID_FIELD');
    expect((await post('concludeChat', { ...engagement, sequenceNumber: 4 })).status).toBe(200);
    expect((await post('releaseChat', { ...engagement, sequenceNumber: 5 })).status).toBe(200);
    const again = await post('releaseChat', { ...engagement, sequenceNumber: 6 });
    expect([again.status, again.data.exceptionCode]).toEqual([409, 'CONFLICT']);
    expect(sim.released).toEqual([Number(engagementId)]);
  });

  it('when the session holds maxSessionCount unreleased engagements, then nothing more is offered until one is released', async () => {
    await post('requestAssignment', { assignmentRequested: true, idleSessionCount: 0, maxSessionCount: 1, sequenceNumber: 3 });
    const waiting = sim.customerStartsChat({ firstName: 'Bo' });
    sim.customerLeaves(engagementId);
    expect(sim.engagementState(waiting)).toBe('queued');
    await post('concludeChat', { engagementId: Number(engagementId), sequenceNumber: 4 });
    expect(sim.engagementState(waiting)).toBe('queued');
    await post('releaseChat', { engagementId: Number(engagementId), sequenceNumber: 5 });
    expect(sim.engagementState(waiting)).toBe('offered');
  });

  it('when the agent logs on again with logonOverride, then the engagement channel sequence starts again', async () => {
    sim.customerSays(engagementId, 'one');
    sim.customerSays(engagementId, 'two');
    await post('getMessages', {});
    const token = (await http.post('/services/rest/crossChannelServices/latest/agentTokens', {}, { headers: connect })).data.sessionToken as string;
    sessionId = (await http.post(agent('createAutomatedAgentSession'), { logonOverride: true, sequenceNumber: 20 }, { headers: { authorization: `Bearer ${token}` } })).data.sessionId;
    sim.customerSays(engagementId, 'three');
    await post('getMessages', {});
    const sequences = sim.emitted.filter((m) => m.type === 'ChatPostMessage').map((m) => m.body.sequenceNumber);
    expect(sequences).toEqual([2, 3, 1]);
  });

  it('when a second getMessages arrives while one is held, then it is refused', async () => {
    await post('getMessages', {});
    const first = post('getMessages', {});
    const second = await post('getMessages', {});
    expect(second.status).toBe(400);
    await first;
  });
});
