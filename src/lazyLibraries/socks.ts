/** The SOCKS proxy support, bundled apart as dist/kube/socks.js (see clientNodeShims/socksProxyAgent.ts). */
export { SocksProxyAgent } from 'socks-proxy-agent';
export { SocksClient } from 'socks';
