/**
 * Stands in for socks in the kube bundle (`--alias:socks=…`): client-node's fetch dispatcher uses
 * SocksClient, which this extension never builds (see undici.ts); the real one is loaded with the
 * SOCKS agent (socksProxyAgent.ts) should it ever be called.
 */
import type { SocksClient as RealSocksClient } from 'socks';
import { socksLibrary } from './socksProxyAgent';

export const SocksClient = {
  createConnection(...args: Parameters<typeof RealSocksClient.createConnection>) {
    return socksLibrary().SocksClient.createConnection(...args);
  },
};
