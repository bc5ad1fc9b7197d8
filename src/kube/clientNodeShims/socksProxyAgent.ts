/**
 * Stands in for socks-proxy-agent in the kube bundle (`--alias:socks-proxy-agent=…` in package.json).
 * client-node's KubeConfig imports it eagerly, yet only a kubeconfig whose proxy-url is socks5:// needs
 * it, and it drags in socks, ip-address and smart-buffer, about a third of the bundle's load time on
 * first cluster contact. The real agent is a separate bundle (`dist/kube/socks.js`, from
 * src/lazyLibraries/socks.ts), required the first time a SOCKS proxy is used.
 */
import type * as Socks from '../../lazyLibraries/socks';

export function socksLibrary(): typeof Socks {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./socks.js') as typeof Socks;
}

export class SocksProxyAgent {
  constructor(...args: ConstructorParameters<typeof Socks.SocksProxyAgent>) {
    // A constructor may return another object: callers get the real agent.
    return new (socksLibrary().SocksProxyAgent)(...args);
  }
}
