import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { DEFAULT_CONFIG } from '../config.js';
import { UserInputError } from '../errors.js';
import type { Account } from '../model/snapshot.js';
import { staleReportWarning } from './build-account.js';

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

interface MiddlewareClient {
  middlewareStack: {
    add(
      middleware: (
        next: (args: unknown) => Promise<unknown>,
        context: { commandName?: string },
      ) => (args: unknown) => Promise<unknown>,
      options: { step: 'initialize'; name: string },
    ): void;
  };
}

/**
 * Counts every command sent through `client` as `service:Operation`. It sits in the initialize
 * step, so one logical call counts once however many times the retry strategy re-sends it.
 */
export function countApiCalls(client: unknown, service: string, counter: ApiCallCounter): void {
  (client as MiddlewareClient).middlewareStack.add(
    (next, context) => async (args) => {
      counter.add(`${service}:${(context.commandName ?? 'Unknown').replace(/Command$/, '')}`);
      return next(args);
    },
    { step: 'initialize', name: 'roleshiftApiCallCounter' },
  );
}

/** The clients one account's scan needs, and the counter they report their calls to. */
export interface AccountClients {
  iam: IAMClient;
  sts: STSClient;
  region: string;
  counter: ApiCallCounter;
}

export interface ClientSettings {
  region: string;
  /** Default: the SDK's own resolution (environment, profile, SSO, container, instance role). */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  profile?: string;
  /** Explicit endpoint (tests); otherwise the SDK honours `AWS_ENDPOINT_URL` from the environment. */
  endpoint?: string;
  maxAttempts?: number;
}

/**
 * Builds the clients for one account. Adaptive retry slows down on throttling instead of failing
 * a large account's GAAD paging; the endpoint comes from `AWS_ENDPOINT_URL` when set, which the
 * SDK reads itself.
 */
export function createAccountClients(settings: ClientSettings): AccountClients {
  const counter = new ApiCallCounter();
  const common = {
    region: settings.region,
    retryMode: 'adaptive',
    maxAttempts: settings.maxAttempts ?? 8,
    ...(settings.credentials === undefined ? {} : { credentials: settings.credentials }),
    ...(settings.profile === undefined ? {} : { profile: settings.profile }),
    ...(settings.endpoint === undefined ? {} : { endpoint: settings.endpoint }),
  } as const;
  const iam = new IAMClient(common);
  const sts = new STSClient(common);
  countApiCalls(iam, 'iam', counter);
  countApiCalls(sts, 'sts', counter);
  return { iam, sts, region: settings.region, counter };
}

/**
 * The SDK default credential chain (or `profile`), resolved once up front: credentials that
 * cannot be found at all are the user's to fix (exit 2), not a gap in every account.
 */
export async function resolveScanCredentials(profile: string | undefined): Promise<AwsCredentialIdentityProvider> {
  const credentials = fromNodeProviderChain(profile === undefined ? {} : { profile });
  try {
    await credentials();
  } catch (error) {
    throw new UserInputError(
      `no AWS credentials${profile === undefined ? '' : ` for profile ${profile}`} (${(error as Error).message.split('\n')[0]}): set AWS_PROFILE, pass --profile, or run \`aws sso login\``,
    );
  }
  return credentials;
}

/** One warning per account whose cached credential report is older than the configured limit. */
export function staleReportWarnings(accounts: readonly Account[], now: Date): string[] {
  return accounts
    .map((account) => staleReportWarning(account, now, DEFAULT_CONFIG.thresholds.credentialReportMaxAgeHours))
    .filter((warning): warning is string => warning !== null);
}
