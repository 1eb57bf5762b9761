/**
 * The one way roleshift builds an AWS client, for the scan (collect, activity) and for remediation
 * alike: adaptive retry, failures that name their call, calls counted when asked. An edge module:
 * only the layers that talk to AWS import it.
 */
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { isThrottlingError, tagCall } from './errors.js';

/** Counts calls per API, e.g. `iam:GetAccountAuthorizationDetails`. One counter per account. */
export class ApiCallCounter {
  private readonly counts = new Map<string, number>();

  add(api: string): void {
    this.counts.set(api, (this.counts.get(api) ?? 0) + 1);
  }

  /** Adds another counter's totals (an org scan sums its accounts). */
  merge(calls: Record<string, number>): void {
    for (const [api, count] of Object.entries(calls)) this.counts.set(api, (this.counts.get(api) ?? 0) + count);
  }

  toRecord(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
}

type Handler = (args: { request?: unknown }) => Promise<{ response?: unknown; output?: unknown }>;
type Middleware = (next: Handler, context: { commandName?: string }) => Handler;

/** The part of every SDK v3 client the factory uses. */
interface MiddlewareClient {
  middlewareStack: {
    add(
      middleware: Middleware,
      options: { step: 'initialize' | 'finalizeRequest' | 'deserialize'; name: string; priority?: 'low' },
    ): void;
  };
}

function apiName(service: string, context: { commandName?: string }): string {
  return `${service}:${(context.commandName ?? 'Unknown').replace(/Command$/, '')}`;
}

/**
 * Counts every command sent through `client` as `service:Operation`. It sits in the initialize
 * step, so one logical call counts once however many times the retry strategy re-sends it.
 */
export function countApiCalls(client: unknown, service: string, counter: ApiCallCounter): void {
  (client as MiddlewareClient).middlewareStack.add(
    (next, context) => async (args) => {
      counter.add(apiName(service, context));
      return next(args);
    },
    { step: 'initialize', name: 'roleshiftApiCallCounter' },
  );
}

interface StreamingResponse {
  statusCode?: number;
  body?: unknown;
}

/** Reads a failed answer's body once, so the error can show it (`--debug`) after the SDK parsed it. */
async function keepErrorBody(response: StreamingResponse): Promise<void> {
  const body = response.body;
  if (
    (response.statusCode ?? 200) < 300 ||
    body === null ||
    typeof body !== 'object' ||
    !(Symbol.asyncIterator in body)
  )
    return;
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Buffer | string>) chunks.push(Buffer.from(chunk));
  response.body = Buffer.concat(chunks);
}

/**
 * The middleware every roleshift client carries: failed calls name themselves (call, account,
 * region: aws-errors.ts turns that into the line a user reads), throttled attempts are reported
 * as they happen (inside the retry loop, so each attempt counts), and an error answer's raw body
 * is kept for `--debug`.
 */
function instrumentClient(client: unknown, service: string, settings: AwsClientSettings): void {
  const stack = (client as MiddlewareClient).middlewareStack;
  stack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        tagCall(error, {
          api: apiName(service, context),
          accountId: settings.accountId?.() ?? null,
          region: settings.region,
        });
        throw error;
      }
    },
    { step: 'initialize', name: 'roleshiftNameTheCall' },
  );
  stack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        if (isThrottlingError(error)) settings.onThrottle?.(apiName(service, context));
        throw error;
      }
    },
    { step: 'finalizeRequest', name: 'roleshiftThrottleObserver', priority: 'low' },
  );
  stack.add(
    (next) => async (args) => {
      const result = await next(args);
      await keepErrorBody((result.response ?? {}) as StreamingResponse);
      return result;
    },
    { step: 'deserialize', name: 'roleshiftKeepErrorBody', priority: 'low' },
  );
  if (settings.counter) countApiCalls(client, service, settings.counter);
}

export interface AwsClientSettings {
  region: string;
  /** Default: the SDK's own resolution (environment, profile, SSO, container, instance role). */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  profile?: string;
  /** Explicit endpoint (tests); otherwise the SDK honours `AWS_ENDPOINT_URL` from the environment. */
  endpoint?: string;
  maxAttempts?: number;
  /** The account the calls land in, named when one fails (read then: a scan learns it late). */
  accountId?: () => string | null;
  counter?: ApiCallCounter;
  /** Each throttled attempt, as it happens: callers that share a limit slow down on it. */
  onThrottle?: (api: string) => void;
}

/** Settings that name their credentials: what a reader outside the SDK (a SigV4 client) signs with. */
export type CredentialedClientSettings = AwsClientSettings & Required<Pick<AwsClientSettings, 'credentials'>>;

/** What every SDK v3 client constructor accepts of the settings. */
interface CommonClientConfig {
  region: string;
  retryMode: string;
  maxAttempts: number;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  profile?: string;
  endpoint?: string;
}

/**
 * The one way roleshift builds an AWS client, for the scan and for remediation alike: adaptive
 * retry (it slows down on throttling instead of failing; each client has its own rate, so one
 * client per account follows IAM's per-account limits and one shared STS or Organizations
 * client the caller's), failures that name their call, and calls counted when asked.
 */
export function createAwsClient<C>(
  Client: new (config: CommonClientConfig) => C,
  service: string,
  settings: AwsClientSettings,
): C {
  const client = new Client({
    region: settings.region,
    retryMode: 'adaptive',
    maxAttempts: settings.maxAttempts ?? 8,
    ...(settings.credentials === undefined ? {} : { credentials: settings.credentials }),
    ...(settings.profile === undefined ? {} : { profile: settings.profile }),
    ...(settings.endpoint === undefined ? {} : { endpoint: settings.endpoint }),
  });
  instrumentClient(client, service, settings);
  return client;
}
