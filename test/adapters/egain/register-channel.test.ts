import { egainAdapter } from '../../../adapters/egain/index.js';
import { registerChannel } from '../../../adapters/egain/register-channel.js';
import { INTERACTION_SCOPE, startEgainSimulator, type EgainSimulator } from '../../../adapters/egain/simulator/index.js';
import { PermanentError } from '../../../src/errors.js';
import { createLogger } from '../../../src/observability/logger.js';
import { CHANNEL, egainConfig } from './harness.js';

describe('chatbridge egain register-channel', () => {
  let sim: EgainSimulator;
  beforeEach(async () => {
    sim = await startEgainSimulator();
  });
  afterEach(() => sim.close());

  const run = async (config: ReturnType<typeof egainConfig>) => {
    const lines: string[] = [];
    const command = egainAdapter.commands!.find((c) => c.name === 'register-channel')!;
    await command.run({ tenantId: 't1', config, logger: createLogger({ silent: true }), print: (l) => lines.push(l) });
    return lines;
  };

  it('when the channel does not exist, then it is created from the config and its id printed; the second run updates it', async () => {
    const created = await run(egainConfig(sim));
    expect(sim.channels).toHaveLength(1);
    const [channel] = sim.channels;
    expect(created).toEqual([channel!.id]);
    expect(channel).toMatchObject({ type: CHANNEL.type, displayName: 'chatbridge', icon: CHANNEL.icon, restrictions: CHANNEL.restrictions, l10nProperties: CHANNEL.l10nProperties });

    const changed = egainConfig(sim, { channel: { ...CHANNEL, displayName: 'Bridge v2', restrictions: { inbound: { maxTextLength: 99 } } } });
    const updated = await run(changed);
    expect(updated).toEqual([channel!.id]);
    expect(sim.channels).toHaveLength(1);
    expect(sim.channels[0]).toMatchObject({ id: channel!.id, displayName: 'Bridge v2', restrictions: { inbound: { maxTextLength: 99 } } });
  });

  it('when the config names the channel id, then that channel is updated without listing', async () => {
    const { id } = await registerChannel(egainConfig(sim));
    const again = await registerChannel(egainConfig(sim, { channel: { ...CHANNEL, id, displayName: 'Renamed' } }));
    expect(again).toEqual({ id, created: false });
    expect(sim.channels[0]!.displayName).toBe('Renamed');
  });

  it('when the client app lacks the manage scope, then the command fails and no channel exists', async () => {
    await sim.close();
    sim = await startEgainSimulator({ clients: [{ clientId: 'bridge', clientSecret: 'bridge-secret', type: 'custom_agent', scopes: [INTERACTION_SCOPE] }] });
    await expect(registerChannel(egainConfig(sim))).rejects.toBeInstanceOf(PermanentError);
    expect(sim.channels).toHaveLength(0);
  });
});
