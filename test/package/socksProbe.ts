/**
 * Run as a child process by vsix.test.ts: `node socksProbe.js <dist/kube/index.js> <dir>`. Points a
 * kubeconfig's proxy-url at a SOCKS5 listener of its own, sends one request through the given kube
 * bundle, and prints what the listener saw: the SOCKS version of the greeting and the CONNECT target.
 * The listener answers the greeting and then closes, so the request itself fails; only the tunnel's
 * set-up matters here (it proves the separately bundled SOCKS agent is found and speaks SOCKS5).
 */
import { writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import type * as Kube from '../../src/kube/index';

async function main(): Promise<void> {
  const [kubePath, dir] = process.argv.slice(2) as [string, string];
  const seen: { version?: number; connectPort?: number } = {};
  const listener = createServer((socket) => {
    let stage: 'greeting' | 'connect' = 'greeting';
    socket.on('data', (data) => {
      if (stage === 'greeting') {
        seen.version = data[0];
        stage = 'connect';
        socket.write(Buffer.from([5, 0])); // no authentication
      } else {
        seen.connectPort = data.readUInt16BE(data.length - 2);
        socket.destroy();
      }
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const port = (listener.address() as AddressInfo).port;
  const kubeconfig = join(dir, 'socks.kubeconfig');
  writeFileSync(kubeconfig, `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: 'https://127.0.0.1:9', proxy-url: 'socks5://127.0.0.1:${port}', insecure-skip-tls-verify: true}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const kube = require(kubePath) as typeof Kube;
  const client = kube.createClusterClient(kube.loadKubeconfig({ paths: kubeconfig }));
  let failure = '';
  try {
    await client.listNamespaces();
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
  } finally {
    client.dispose();
    listener.close();
  }
  process.stdout.write(JSON.stringify({ ...seen, failure }));
}

void main();
