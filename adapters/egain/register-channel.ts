import { withAuthRefresh } from '../../src/auth/auth-refresh.js';
import type { AdapterCommand } from '../../src/ports/adapter.js';
import { EgainApi } from './api.js';
import type { EgainConfig } from './config.js';
import type { ChannelBody } from './wire.js';

/** The channel body from the tenant's `channel` block (seed: POST/PUT /channels). */
export function channelBody(config: EgainConfig): ChannelBody {
  const c = config.channel;
  return {
    type: c.type,
    displayName: c.displayName,
    icon: c.icon,
    ...(c.description ? { description: c.description } : {}),
    active: true,
    restrictions: c.restrictions,
    ...(c.l10nProperties ? { l10nProperties: c.l10nProperties } : {}),
  };
}

/**
 * Creates the tenant's custom channel, or updates it when it exists: by the configured id, else by
 * its unique `type` among the tenant's channels. Prints the channel id.
 */
export async function registerChannel(config: EgainConfig, api = new EgainApi(config)): Promise<{ id: string; created: boolean }> {
  const body = channelBody(config);
  const id = config.channel.id ?? (await withAuthRefresh(api, () => api.listChannels())).find((ch) => ch.type === body.type)?.id;
  if (id) {
    await withAuthRefresh(api, () => api.updateChannel(id, body));
    return { id, created: false };
  }
  return { id: await withAuthRefresh(api, () => api.createChannel(body)), created: true };
}

export const registerChannelCommand: AdapterCommand<EgainConfig> = {
  name: 'register-channel',
  description: "Create or update the tenant's eGain custom channel and print its id",
  async run({ tenantId, config, logger, print }) {
    const result = await registerChannel(config);
    logger.info('egain channel registered', { tenant: tenantId, channelId: result.id, created: result.created });
    print(result.id);
  },
};
