import { forwardRequest, listenOnLoopback } from '../harness/loopback.js';
import { createServer, type Server } from 'node:http';

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
      forwardRequest(incoming, body, response, upstreamUrl);
    });
  });
  const listening = await listenOnLoopback(server);
  return {
    ...listening,
  };
}
