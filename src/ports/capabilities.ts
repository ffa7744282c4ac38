/**
 * The catalogue of optional capabilities a platform adapter may declare (`Adapter.capabilities`).
 * The core checks a capability here, by name, before it relies on the port method that implements it,
 * so it never needs to know which vendor can do what. docs/adapters.md lists them for adapter authors.
 */
export const CAPABILITIES = {
  /**
   * As a route's customer side, the platform can leave a conversation to the vendor's own agents and let
   * the bridge step out (`Connector.handToNativeAgents`). Needed to name the customer platform
   * among its route's agents (the native share) and for `POST /admin/conversations/:id/hand-back`.
   */
  handToNativeAgents: 'leaves a conversation to the vendor’s own agents (native share, hand-back)',
} as const;

export type AdapterCapability = keyof typeof CAPABILITIES;

export function hasCapability(factory: { readonly capabilities?: readonly AdapterCapability[] } | undefined, capability: AdapterCapability): boolean {
  return factory?.capabilities?.includes(capability) ?? false;
}
