import { request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Passes one request, its body already read, on to `target` and its answer back unchanged. */
export function forwardRequest(incoming: IncomingMessage, body: Buffer, outgoing: ServerResponse, target: URL): void {
  const upstream = httpRequest(
    {
      host: target.hostname,
      port: target.port,
      method: incoming.method,
      path: incoming.url,
      headers: incoming.headers,
      // A fresh upstream connection per request: Node 20's global agent keeps sockets alive, and one
      // the server closed while idle fails the next request with "socket hang up".
      agent: false,
    },
    (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    },
  );
  upstream.on('error', () => incoming.socket.destroy());
  upstream.end(body);
}

/** Listens on a free 127.0.0.1 port; `close` drops the open connections so the tests never wait on them. */
export async function listenOnLoopback(server: Server): Promise<{ endpoint: string; close: () => Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
