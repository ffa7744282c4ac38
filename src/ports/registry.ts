import type { Adapter } from './adapter.js';

/** Platform name -> factory. Filled by the composition root; the core only looks things up. */
export class AdapterRegistry {
  private readonly factories = new Map<string, Adapter<unknown>>();

  register<C>(factory: Adapter<C>): this {
    if (this.factories.has(factory.platform)) throw new Error(`platform ${factory.platform} registered twice`);
    this.factories.set(factory.platform, factory as Adapter<unknown>);
    return this;
  }

  get(platform: string): Adapter<unknown> | undefined {
    return this.factories.get(platform);
  }

  names(): string[] {
    return [...this.factories.keys()];
  }
}
