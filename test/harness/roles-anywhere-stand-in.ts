import { listenOnLoopback } from './loopback.js';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

/**
 * moto has no IAM Roles Anywhere. This stand-in on 127.0.0.1 answers ListTrustAnchors and
 * ListProfiles with the documented JSON shapes and records each request, so the real client can
 * be exercised over HTTP (signing, paging, errors).
 */
export interface RolesAnywhereSeen {
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
}

export interface RolesAnywhereStandIn {
  endpoint: string;
  seen: RolesAnywhereSeen[];
  close(): Promise<void>;
}

export type RolesAnywhereAnswer = (seen: RolesAnywhereSeen) => {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
};

export const ONE_ANCHOR_ONE_PROFILE: RolesAnywhereAnswer = ({ path }) =>
  path === '/trustanchors'
    ? {
        status: 200,
        body: {
          trustAnchors: [
            {
              trustAnchorArn: 'arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/onprem',
              name: 'onprem-ca',
              enabled: true,
              source: { sourceType: 'CERTIFICATE_BUNDLE' },
            },
          ],
        },
      }
    : {
        status: 200,
        body: {
          profiles: [
            {
              profileArn: 'arn:aws:rolesanywhere:us-east-1:123456789012:profile/backup',
              name: 'backup',
              enabled: true,
              roleArns: [],
            },
          ],
        },
      };

export async function startRolesAnywhereStandIn(answer: RolesAnywhereAnswer): Promise<RolesAnywhereStandIn> {
  const seen: RolesAnywhereSeen[] = [];
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://stand-in');
    const entry = { path: url.pathname, query: url.searchParams, headers: request.headers };
    seen.push(entry);
    const reply = answer(entry);
    response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
    response.end(JSON.stringify(reply.body));
  });
  const listening = await listenOnLoopback(server);
  return { ...listening, seen };
}
