import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

const gzipped = promisify(gzip);

export interface ServeOptions {
  /** 0 picks a free port. */
  port: number;
  /** Called on every page request, so a new scan shows without a restart. */
  render: () => Promise<string>;
  /** Reported to the caller; never sent to the browser. */
  onError?: (error: unknown) => void;
  /** Tests pass a fixed one; otherwise 32 random bytes. */
  token?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  close: () => Promise<void>;
}

/** Loopback only: the report lists every IAM user of the estate. */
export const SERVE_HOST = '127.0.0.1';

const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
} as const;

function sameToken(given: string | null, expected: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function send(
  response: ServerResponse,
  status: number,
  body: string | Buffer,
  type = 'text/plain; charset=utf-8',
  extra: Record<string, string> = {},
): void {
  response.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': type,
    'content-length': String(Buffer.byteLength(body)),
    ...extra,
  });
  response.end(body);
}

/** Whether the client takes a gzipped body (`gzip` listed, not with q=0). */
function acceptsGzip(request: IncomingMessage): boolean {
  return (request.headers['accept-encoding'] ?? '')
    .split(',')
    .map((entry) => entry.trim().split(';'))
    .some(([coding, ...params]) => coding === 'gzip' && !params.some((p) => /^\s*q=0(\.0*)?\s*$/.test(p)));
}

/**
 * The page's bytes, plain and gzipped, kept while `render` answers with the same page: at
 * 100,000 users the page is 150 MB, and encoding it anew would cost every reload seconds.
 */
function pageBodies(): (html: string, gzip: boolean) => Promise<Buffer> {
  let last: { html: string; plain: Buffer; gzip?: Promise<Buffer> } | undefined;
  return async (html, gzip) => {
    if (last?.html !== html) last = { html, plain: Buffer.from(html) };
    if (!gzip) return last.plain;
    // The fastest level: most of the page is repeated names and ids, which even level 1 packs well.
    last.gzip ??= gzipped(last.plain, { level: 1 });
    return last.gzip;
  };
}

/**
 * A read-only server for the report. Only GET/HEAD of `/` with the right token; anything else is
 * 404 (unknown path), 403 (missing or wrong token) or 405 (another method). The Host header must
 * name the loopback address, which keeps DNS-rebinding pages from reading the report.
 */
export async function serveReport(options: ServeOptions): Promise<RunningServer> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  let port = options.port;
  const bodyOf = pageBodies();
  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', `http://${SERVE_HOST}`);
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      send(response, 405, 'read-only: GET only\n', undefined, { allow: 'GET, HEAD' });
      return;
    }
    if (url.pathname !== '/') {
      send(response, 404, 'not found\n');
      return;
    }
    const host = request.headers.host ?? '';
    if (host !== `${SERVE_HOST}:${port}` && host !== `localhost:${port}`) {
      send(response, 403, 'forbidden host\n');
      return;
    }
    if (!sameToken(url.searchParams.get('token'), token)) {
      send(response, 403, 'forbidden: open the URL with the token that roleshift serve printed\n');
      return;
    }
    try {
      const html = await options.render();
      const gzip = request.method !== 'HEAD' && acceptsGzip(request);
      const body = request.method === 'HEAD' ? '' : await bodyOf(html, gzip);
      const encoding: Record<string, string> = gzip ? { 'content-encoding': 'gzip' } : {};
      send(response, 200, body, 'text/html; charset=utf-8', { vary: 'accept-encoding', ...encoding });
    } catch (error) {
      options.onError?.(error);
      send(response, 500, `the report could not be built: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  };
  const server = createServer((request, response) => {
    void handle(request, response);
  });
  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port, SERVE_HOST, () => resolvePromise());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://${SERVE_HOST}:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolvePromise) => {
        server.closeAllConnections();
        server.close(() => resolvePromise());
      }),
  };
}
