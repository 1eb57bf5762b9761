import { forwardRequest, listenOnLoopback } from './loopback.js';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/**
 * An HTTP proxy on 127.0.0.1 in front of moto that fails a share of requests the way AWS does
 * under load: a `Throttling` 400, a 500, or a connection dropped without an answer. moto has no
 * fault injection of its own (MOTO.md). The fault choice is a seeded PRNG so a failing run can be
 * replayed with the same seed.
 */
export interface FaultProxyOptions {
  target: string;
  /** Share of requests that fail, 0..1. */
  faultRate: number;
  seed?: number;
  /** Only requests whose body or target matches can fail (e.g. only IAM calls). */
  shouldFault?: (request: { body: string; headers: IncomingMessage['headers'] }) => boolean;
  /** Which faults to inject (default all three, chosen at random). */
  kinds?: ReadonlyArray<'throttle' | 'server' | 'drop'>;
}

export interface FaultProxy {
  endpoint: string;
  stats: { requests: number; throttled: number; serverErrors: number; dropped: number };
  close(): Promise<void>;
}

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const THROTTLING_XML =
  '<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>';
const SERVER_ERROR_XML =
  '<ErrorResponse><Error><Type>Receiver</Type><Code>ServiceUnavailable</Code><Message>Service is unavailable</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>';

function isJsonProtocol(headers: IncomingMessage['headers']): boolean {
  return String(headers['content-type'] ?? '').includes('json');
}

function answerFault(response: ServerResponse, headers: IncomingMessage['headers'], kind: 'throttle' | 'server'): void {
  if (isJsonProtocol(headers)) {
    const type = kind === 'throttle' ? 'ThrottlingException' : 'ServiceUnavailableException';
    response.writeHead(kind === 'throttle' ? 400 : 500, {
      'content-type': 'application/x-amz-json-1.1',
      'x-amzn-errortype': type,
    });
    response.end(JSON.stringify({ __type: type, message: 'injected by fault proxy' }));
    return;
  }
  response.writeHead(kind === 'throttle' ? 400 : 500, { 'content-type': 'text/xml' });
  response.end(kind === 'throttle' ? THROTTLING_XML : SERVER_ERROR_XML);
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const random = mulberry32(options.seed ?? 1);
  const target = new URL(options.target);
  const stats = { requests: 0, throttled: 0, serverErrors: 0, dropped: 0 };
  const server: Server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      stats.requests += 1;
      const body = Buffer.concat(chunks);
      const eligible = options.shouldFault?.({ body: body.toString('utf8'), headers: incoming.headers }) ?? true;
      const roll = random();
      if (eligible && roll < options.faultRate) {
        const kinds = options.kinds ?? ['throttle', 'server', 'drop'];
        const which = kinds[Math.floor((roll / options.faultRate) * kinds.length)];
        if (which === 'throttle') {
          stats.throttled += 1;
          answerFault(response, incoming.headers, 'throttle');
        } else if (which === 'server') {
          stats.serverErrors += 1;
          answerFault(response, incoming.headers, 'server');
        } else {
          stats.dropped += 1;
          incoming.socket.destroy();
        }
        return;
      }
      forwardRequest(incoming, body, response, target);
    });
  });
  const listening = await listenOnLoopback(server);
  return {
    ...listening,
    stats,
  };
}
