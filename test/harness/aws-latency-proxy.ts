import { listenOnLoopback } from './loopback.js';
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';

/**
 * A loopback proxy in front of one or more moto_servers that answers the way AWS does where moto
 * cannot: every call waits `latencyMs` (AWS is tens to hundreds of milliseconds away, moto on
 * 127.0.0.1 is not), and the IAM credential report takes `reportDelayMs` to generate
 * (GenerateCredentialReport answers STARTED, then INPROGRESS; GetCredentialReport fails with
 * `ReportNotPresent` before generation was asked for and `ReportInProgress` while it runs; moto
 * finishes at once). It also counts every call per account, independently of what the client
 * under test says it made.
 *
 * Accounts can be spread over several moto processes (`shards`; moto serves one request at a
 * time per process): a call goes to its account's shard with `x-moto-account-id` set. The account
 * is the request's `x-moto-account-id`, else the account whose role issued the request's access
 * key (learned from AssumeRole answers passing through), else `defaultAccountId`.
 */
export interface AwsLatencyProxyOptions {
  shards: readonly string[];
  latencyMs?: number;
  reportDelayMs?: number;
  /** moto's own account (123456789012): the caller of requests signed with static keys. */
  defaultAccountId?: string;
  /** Milliseconds; injectable so tests need not read the real clock twice. */
  clock?: () => number;
}

export interface AwsLatencyProxy {
  endpoint: string;
  /** Calls per account, per `service:Operation`. */
  readonly calls: ReadonlyMap<string, ReadonlyMap<string, number>>;
  shardOf(accountId: string): string;
  close(): Promise<void>;
}

const IAM_NAMESPACE = 'https://iam.amazonaws.com/doc/2010-05-08/';

function iamError(code: string, message: string): string {
  return `<ErrorResponse xmlns="${IAM_NAMESPACE}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>latency-proxy</RequestId></ErrorResponse>`;
}

function generateAnswer(state: 'STARTED' | 'INPROGRESS' | 'COMPLETE'): string {
  return `<GenerateCredentialReportResponse xmlns="${IAM_NAMESPACE}"><GenerateCredentialReportResult><State>${state}</State></GenerateCredentialReportResult><ResponseMetadata><RequestId>latency-proxy</RequestId></ResponseMetadata></GenerateCredentialReportResponse>`;
}

/** `Credential=AKID/20260101/us-east-1/iam/aws4_request` of a SigV4 Authorization header. */
function credentialScope(headers: IncomingMessage['headers']): { accessKeyId: string; service: string } | null {
  const match = /Credential=([^/,\s]+)\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(String(headers.authorization ?? ''));
  return match ? { accessKeyId: match[1] as string, service: match[2] as string } : null;
}

/** The operation: `Action=` of a query-protocol body, or the `X-Amz-Target` of a JSON one. */
function operationOf(headers: IncomingMessage['headers'], body: string): string {
  const target = headers['x-amz-target'];
  if (typeof target === 'string') return target.slice(target.lastIndexOf('.') + 1);
  return new URLSearchParams(body).get('Action') ?? 'Unknown';
}

function hashOf(text: string): number {
  let hash = 0;
  for (const char of text) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) >>> 0;
  return hash;
}

interface Forwarded {
  status: number;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

export async function startAwsLatencyProxy(options: AwsLatencyProxyOptions): Promise<AwsLatencyProxy> {
  const latencyMs = options.latencyMs ?? 0;
  const reportDelayMs = options.reportDelayMs ?? 0;
  const defaultAccount = options.defaultAccountId ?? '123456789012';
  const clock = options.clock ?? (() => performance.now());
  const calls = new Map<string, Map<string, number>>();
  const accountOfKey = new Map<string, string>();
  const reportStartedAt = new Map<string, number>();
  const shardOf = (accountId: string): string => options.shards[hashOf(accountId) % options.shards.length] as string;

  const count = (accountId: string, api: string): void => {
    const perAccount = calls.get(accountId) ?? new Map<string, number>();
    perAccount.set(api, (perAccount.get(api) ?? 0) + 1);
    calls.set(accountId, perAccount);
  };

  const forward = (incoming: IncomingMessage, body: Buffer, accountId: string): Promise<Forwarded> => {
    const target = new URL(shardOf(accountId));
    return new Promise((resolve, reject) => {
      const upstream = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: incoming.method,
          path: incoming.url,
          headers: { ...incoming.headers, host: target.host, 'x-moto-account-id': accountId },
          // A fresh upstream connection per request: Node 20's global agent keeps sockets alive, and one
          // the server closed while idle fails the next request with "socket hang up".
          agent: false,
        },
        (answer) => {
          const chunks: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => chunks.push(chunk));
          answer.on('end', () => {
            resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: Buffer.concat(chunks) });
          });
          answer.on('error', reject);
        },
      );
      upstream.on('error', reject);
      upstream.end(body);
    });
  };

  /** AWS's credential report lifecycle, per account, over moto's report that is ready at once. */
  const answerReport = async (
    operation: string,
    accountId: string,
    incoming: IncomingMessage,
    body: Buffer,
  ): Promise<Forwarded | null> => {
    if (reportDelayMs <= 0 || (operation !== 'GenerateCredentialReport' && operation !== 'GetCredentialReport'))
      return null;
    const xml = (status: number, text: string): Forwarded => ({
      status,
      headers: { 'content-type': 'text/xml' },
      body: Buffer.from(text),
    });
    const started = reportStartedAt.get(accountId);
    const ready = started !== undefined && clock() - started >= reportDelayMs;
    if (operation === 'GetCredentialReport') {
      if (started === undefined) return xml(410, iamError('ReportNotPresent', 'Credential report not present'));
      return ready ? null : xml(404, iamError('ReportInProgress', 'Credential report is being generated'));
    }
    if (started === undefined) {
      reportStartedAt.set(accountId, clock());
      await forward(incoming, body, accountId);
      return xml(200, generateAnswer('STARTED'));
    }
    return xml(200, generateAnswer(ready ? 'COMPLETE' : 'INPROGRESS'));
  };

  /** Remembers which account the credentials an AssumeRole answer carries belong to. */
  const learnAssumedKey = (operation: string, body: string, answer: Forwarded): void => {
    if (operation !== 'AssumeRole' || answer.status !== 200) return;
    const roleAccount = /^arn:aws[\w-]*:iam::(\d{12}):/.exec(new URLSearchParams(body).get('RoleArn') ?? '')?.[1];
    const key = /<AccessKeyId>([^<]+)<\/AccessKeyId>/.exec(answer.body.toString('utf8'))?.[1];
    if (roleAccount && key) accountOfKey.set(key, roleAccount);
  };

  const handle = async (incoming: IncomingMessage, response: ServerResponse, body: Buffer): Promise<void> => {
    const text = body.toString('utf8');
    const scope = credentialScope(incoming.headers);
    const operation = operationOf(incoming.headers, text);
    const header = incoming.headers['x-moto-account-id'];
    const accountId =
      (typeof header === 'string' ? header : undefined) ??
      (scope ? accountOfKey.get(scope.accessKeyId) : undefined) ??
      defaultAccount;
    count(accountId, `${scope?.service ?? 'unknown'}:${operation}`);
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    const answer =
      (await answerReport(operation, accountId, incoming, body)) ?? (await forward(incoming, body, accountId));
    learnAssumedKey(operation, text, answer);
    const headers = { ...answer.headers };
    delete headers['transfer-encoding'];
    headers['content-length'] = String(answer.body.length);
    response.writeHead(answer.status, headers);
    response.end(answer.body);
  };

  const server: Server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      handle(incoming, response, Buffer.concat(chunks)).catch(() => incoming.socket.destroy());
    });
  });
  const listening = await listenOnLoopback(server);
  return {
    ...listening,
    calls,
    shardOf,
  };
}
