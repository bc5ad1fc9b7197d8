import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';

export interface ConnectProxy {
  readonly server: Server;
  readonly url: string;
  /** How many tunnels it has opened so far. */
  tunnels(): number;
}

/** A CONNECT proxy on loopback that counts the tunnels it opened. */
export function startConnectProxy(): Promise<ConnectProxy> {
  let tunnels = 0;
  const server = createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req, socket, head) => {
    tunnels++;
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, tunnels: () => tunnels })));
}
