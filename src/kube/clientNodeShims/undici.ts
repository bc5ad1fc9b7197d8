/**
 * Stands in for undici in the kube bundle (`--alias:undici=…` in package.json). client-node's KubeConfig
 * imports undici only for its fetch-based API clients, which this extension never builds: requests go
 * through node:https with `applyToHTTPSOptions`. Leaving undici out halves the bundle's load time.
 * Should client-node ever call it on our path, this fails loudly instead of half-working.
 */
class NotBundled {
  constructor() {
    throw new Error('undici is not bundled with kube-sa-tokens: client-node tried to build a fetch dispatcher.');
  }
}

export const Agent = NotBundled;
export const ProxyAgent = NotBundled;

/** The generated API clients' fetch (also never used here). */
export function fetch(): never {
  return new NotBundled() as never;
}
