import { egainPlatform } from '../adapters/egain/index.js';
import { livepersonPlatform } from '../adapters/liveperson/index.js';
import { rightnowPlatform } from '../adapters/rightnow/index.js';
import { PlatformRegistry } from './platform/registry.js';

/**
 * The composition root: the one file of the core that knows the vendors. Adding a platform is one
 * folder under adapters/ and one line here.
 */
export function createRegistry(): PlatformRegistry {
  return new PlatformRegistry().register(egainPlatform).register(livepersonPlatform).register(rightnowPlatform);
}
