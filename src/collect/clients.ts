import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { DEFAULT_CONFIG } from '../config.js';
import { UserInputError } from '../errors.js';
import type { Account } from '../model/snapshot.js';
import { ApiCallCounter, createAwsClient, type AwsClientSettings } from '../aws/clients.js';
import { staleReportWarnings as staleReportsOlderThanLimit } from './build-account.js';

/** The clients one account's scan needs, and the counter they report their calls to. */
export interface AccountClients {
  iam: IAMClient;
  sts: STSClient;
  region: string;
  counter: ApiCallCounter;
  /** Frees the clients' sockets. */
  destroy(): void;
}

/** Builds the clients for one account, each counting its calls into one counter. */
export function createAccountClients(settings: Omit<AwsClientSettings, 'counter'>): AccountClients {
  const counter = new ApiCallCounter();
  const iam = createAwsClient(IAMClient, 'iam', { ...settings, counter });
  const sts = createAwsClient(STSClient, 'sts', { ...settings, counter });
  return {
    iam,
    sts,
    region: settings.region,
    counter,
    destroy() {
      iam.destroy();
      sts.destroy();
    },
  };
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

/** The warnings for cached credential reports older than the configured limit. */
export function staleReportWarnings(accounts: readonly Account[], now: Date): string[] {
  return staleReportsOlderThanLimit(accounts, now, DEFAULT_CONFIG.thresholds.credentialReportMaxAgeHours);
}
