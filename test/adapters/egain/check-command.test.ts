import { egainAdapter } from '../../../adapters/egain/index.js';
import { registerChannel } from '../../../adapters/egain/register-channel.js';
import { INTERACTION_SCOPE, MANAGE_SCOPE, READ_SCOPE, startEgainSimulator, type EgainSimulator } from '../../../adapters/egain/simulator/index.js';
import { createLogger } from '../../../src/observability/logger.js';
import { CHANNEL, egainConfig } from './harness.js';

describe('chatbridge egain check', () => {
  let sim: EgainSimulator;
  afterEach(() => sim.close());

  const check = async (config: ReturnType<typeof egainConfig>) => {
    const lines: string[] = [];
    const command = egainAdapter.commands!.find((c) => c.name === 'check')!;
    const passed = await command.run({ tenantId: 'acme', config, logger: createLogger({ silent: true }), print: (l) => lines.push(l) });
    return { passed, lines, text: lines.join('\n') };
  };

  it('when the app, scopes and registered channel are right, then every step is OK, with the callback to register and no secret', async () => {
    sim = await startEgainSimulator();
    const { id } = await registerChannel(egainConfig(sim));
    const { passed, lines, text } = await check(egainConfig(sim, { channel: { ...CHANNEL, id } }));
    expect(passed).toBe(true);
    expect(lines[0]).toBe(`OK    token for messages and assets: granted ${INTERACTION_SCOPE}`);
    expect(lines[1]).toBe(`OK    token for channels: granted ${MANAGE_SCOPE} (for register-channel)`);
    expect(lines[2]).toBe(`OK    channel: channel ${id} (${CHANNEL.type}) matches the egain.channel block`);
    expect(lines[3]).toMatch(/^OK {4}callback: register https:\/\/<bridge public address>\/webhooks\/acme\/egain .*Basic authentication as user /);
    expect(lines.at(-1)).toBe('all checks passed');
    expect(text).not.toMatch(/bridge-secret|eyJ/);
  });

  it('when the channel on eGain differs from the block, then the channel step names what differs and says to register it', async () => {
    sim = await startEgainSimulator();
    await registerChannel(egainConfig(sim));
    const { passed, lines } = await check(egainConfig(sim, { channel: { ...CHANNEL, displayName: 'Renamed', restrictions: { inbound: { maxTextLength: 99 } } } }));
    expect(passed).toBe(false);
    expect(lines[2]).toMatch(/^FAIL {2}channel: channel \S+ differs from the egain.channel block in: displayName, restrictions$/);
    expect(lines[3]).toBe('      what to do: run chatbridge egain register-channel --tenant acme, then pin the id it prints as egain.channel.id');
    expect(lines[4]).toBe('SKIP  callback: needs "channel"');
  });

  it('when the app lacks the channel scope, then that step fails naming the scope to grant', async () => {
    sim = await startEgainSimulator({ clients: [{ clientId: 'bridge', clientSecret: 'bridge-secret', type: 'customer', scopes: [INTERACTION_SCOPE] }] });
    const { passed, lines } = await check(egainConfig(sim));
    expect(passed).toBe(false);
    expect(lines[0]).toMatch(/^OK {4}token for messages and assets/);
    expect(lines[1]).toMatch(/^FAIL {2}token for channels: egain token answered 400/);
    expect(lines[2]).toBe(`      what to do: give the client application the scope ${MANAGE_SCOPE} (register-channel), or set the tenant-prefixed name your eGain region uses`);
  });

  it('when eGain is the customer side (no account block), then the channels are read with the read scope', async () => {
    sim = await startEgainSimulator({ clients: [{ clientId: 'bridge', clientSecret: 'bridge-secret', type: 'custom_agent', scopes: [INTERACTION_SCOPE, READ_SCOPE] }] });
    const config = egainConfig(sim);
    const { passed, lines } = await check({ ...config, account: undefined });
    expect(passed).toBe(true);
    expect(lines[1]).toBe(`OK    token for channels: granted ${READ_SCOPE} (for reading the customers' channel restrictions)`);
    expect(lines[2]).toMatch(/^OK {4}channel: \d+ channel\(s\) readable/);
  });

  it('when the client secret is wrong, then the first step fails with what to check, and nothing else is tried', async () => {
    sim = await startEgainSimulator();
    const { passed, lines, text } = await check(egainConfig(sim, { clientSecret: 'not-it-0000' }));
    expect(passed).toBe(false);
    expect(lines[0]).toMatch(/^FAIL {2}token for messages and assets: egain token answered 4\d\d/);
    expect(lines.filter((l) => l.startsWith('SKIP'))).toHaveLength(3);
    expect(text).not.toContain('not-it-0000');
  });
});
