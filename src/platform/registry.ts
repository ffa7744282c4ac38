import type { PlatformFactory } from './adapter.js';

/** Platform name -> factory. Filled by the composition root; the core only looks things up. */
export class PlatformRegistry {
  private readonly factories = new Map<string, PlatformFactory<unknown>>();

  register<C>(factory: PlatformFactory<C>): this {
    if (this.factories.has(factory.platform)) throw new Error(`platform ${factory.platform} registered twice`);
    this.factories.set(factory.platform, factory as PlatformFactory<unknown>);
    return this;
  }

  get(platform: string): PlatformFactory<unknown> | undefined {
    return this.factories.get(platform);
  }

  names(): string[] {
    return [...this.factories.keys()];
  }
}
