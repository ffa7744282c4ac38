import { existsSync, readFileSync, statSync } from 'node:fs';
import { requestSay } from '../../src/sandbox/control.js';
import { type RunningSandbox, runSandbox } from './running-sandbox.js';

describe('chatbridge sandbox say', () => {
  let running: RunningSandbox;

  beforeAll(async () => {
    running = await runSandbox();
  });

  afterAll(async () => {
    await running.stop();
  });

  test('when nobody has spoken yet, then an agent is told to wait for a customer', async () => {
    await expect(requestSay(running.stateFile, { tenant: 'demo', as: 'agent', text: 'anyone there?' })).rejects.toThrow(
      'no conversation has reached an agent yet: say something as the customer first',
    );
  });

  test('when a customer says hello and the agent answers, then each text crosses to the other simulator', async () => {
    const hello = await requestSay(running.stateFile, { tenant: 'demo', as: 'customer', text: 'Hello from RightNow' });
    expect(hello.said).toMatchObject({ platform: 'rightnow', role: 'customer' });
    expect(hello.delivered).toBe(true);
    const agentSide = hello.expected;
    expect(['egain', 'liveperson']).toContain(agentSide.platform);
    expect(running.sandbox.simulator(agentSide.platform)!.received!(agentSide.conversation!)).toContain('Hello from RightNow');

    const reply = await requestSay(running.stateFile, { tenant: 'demo', as: 'agent', text: 'Hi, how can I help?' });
    expect(reply.said).toEqual({ platform: agentSide.platform, role: 'agent', conversation: agentSide.conversation });
    expect(reply.conversationId).toBe(hello.conversationId);
    expect(reply.delivered).toBe(true);
    expect(reply.expected).toEqual({ platform: 'rightnow', role: 'customer', conversation: hello.said.conversation });
    expect(running.sandbox.simulator('rightnow')!.received!(hello.said.conversation)).toContain('Hi, how can I help?');

    // The customer's next words go to the same conversation, not a new chat.
    const again = await requestSay(running.stateFile, { tenant: 'demo', as: 'customer', text: 'My order is late' });
    expect(again.said.conversation).toBe(hello.said.conversation);
    expect(again.delivered).toBe(true);
    expect(running.sandbox.simulator(agentSide.platform)!.received!(agentSide.conversation!)).toEqual(['Hello from RightNow', 'My order is late']);
  });

  test('when the tenant is not the sandbox tenant, then the sandbox says which it has', async () => {
    await expect(requestSay(running.stateFile, { tenant: 'acme', as: 'customer', text: 'hi' })).rejects.toThrow('the sandbox has no tenant acme (it has demo)');
  });

  test('when the control endpoint is called without the token from the state file, then it refuses', async () => {
    const { controlUrl } = JSON.parse(readFileSync(running.stateFile, 'utf8')) as { controlUrl: string };
    const res = await fetch(`${controlUrl}/say`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer wrong-token-0123456789' },
      body: JSON.stringify({ tenant: 'demo', as: 'customer', text: 'hi' }),
    });
    expect(res.status).toBe(401);
    expect(statSync(running.stateFile).mode & 0o077).toBe(0);
  });

  test('when no sandbox runs in the folder, then the advice is to start one', async () => {
    await expect(requestSay('/nonexistent/.sandbox.json', { tenant: 'demo', as: 'customer', text: 'hi' })).rejects.toThrow('start one with `npm start`');
    expect(existsSync(running.stateFile)).toBe(true);
  });
});
