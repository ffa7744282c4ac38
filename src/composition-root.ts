import { egainAdapter } from '../adapters/egain/index.js';
import { livepersonAdapter } from '../adapters/liveperson/index.js';
import { rightnowAdapter } from '../adapters/rightnow/index.js';
import { AdapterRegistry } from './ports/registry.js';

/**
 * The composition root: the one file of the core that knows the vendors. Adding a platform is one
 * folder under adapters/ and one line here.
 */
export function createRegistry(): AdapterRegistry {
  return new AdapterRegistry().register(egainAdapter).register(livepersonAdapter).register(rightnowAdapter);
}
