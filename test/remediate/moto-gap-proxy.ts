import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * moto 5.2.1 answers ListServiceSpecificCredentials with an HTTP 500 (not implemented, see
 * MOTO.md). This proxy sits in front of moto and answers that one call with AWS's empty reply,
 * so the remediation's complete read of a user can run against moto; every other request is
 * forwarded untouched. Users in these tests therefore never have service-specific credentials;
 * their deletion is covered by the plan and gateway unit tests.
 */
const EMPTY_SERVICE_CREDENTIALS =
  '<ListServiceSpecificCredentialsResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">' +
  '<ListServiceSpecificCredentialsResult><ServiceSpecificCredentials/><IsTruncated>false</IsTruncated></ListServiceSpecificCredentialsResult>' +
  '<ResponseMetadata><RequestId>moto-gap-proxy</RequestId></ResponseMetadata></ListServiceSpecificCredentialsResponse>';

export interface GapProxy {
  endpoint: string;
  close(): Promise<void>;
}

export async function startGapProxy(target: string): Promise<GapProxy> {
  const upstreamUrl = new URL(target);
  const server: Server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      if (/(^|&)Action=ListServiceSpecificCredentials(&|$)/.test(body.toString('utf8'))) {
        response.writeHead(200, { 'content-type': 'text/xml' });
        response.end(EMPTY_SERVICE_CREDENTIALS);
        return;
      }
      const upstream = httpRequest(
        {
          host: upstreamUrl.hostname,
          port: upstreamUrl.port,
          method: incoming.method,
          path: incoming.url,
          headers: incoming.headers,
          // A fresh upstream connection per request: Node 20's global agent keeps sockets alive, and one
          // the server closed while idle fails the next request with "socket hang up".
          agent: false,
        },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
        },
      );
      upstream.on('error', () => incoming.socket.destroy());
      upstream.end(body);
    });
  });
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
