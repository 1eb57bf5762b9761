import { IAMClient } from '@aws-sdk/client-iam';
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  STSClient,
  type AssumeRoleCommandOutput,
} from '@aws-sdk/client-sts';
import { createAwsClient, type AwsClientSettings, type CredentialedClientSettings } from '../aws/clients.js';
import { describeAwsFailure } from '../aws/errors.js';
import { UserInputError } from '../errors.js';
import type { CallerIdentity } from './guards.js';
import { createIamGateway, type IamGateway } from './iam-gateway.js';

export const DEFAULT_REMEDIATE_ROLE = 'RoleshiftRemediate';

/** Where the permissions remediation needs are listed, for the advice a failed call gives. */
export const REMEDIATE_PERMISSIONS = 'deploy/remediate-role.yaml lists what remediation calls';

/**
 * A failed remediation call as one line: the call, account, region, HTTP status and what to do;
 * with `debug`, the raw answer after it.
 */
export function describeRemediationFailure(error: unknown, debug = false): string {
  return describeAwsFailure(error, { permissions: REMEDIATE_PERMISSIONS, debug });
}

export interface AccountAccessOptions {
  /** Role assumed in every account other than the caller's own. */
  roleName: string;
  region?: string;
  /** Tests point these at moto; in production the SDK's default chain and endpoints apply. */
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Lets a test record every IAM call (SDK middleware) in the order it was sent. */
  instrument?: (client: IAMClient, accountId: string) => void;
}

export interface AccountAccess {
  callerAccountId(): Promise<string>;
  /** Who roleshift runs as, for the guards that keep it from switching itself off. */
  callerIdentity(): Promise<CallerIdentity>;
  /** The caller's own credentials for its account, AssumeRole into `roleName` for any other. */
  gatewayFor(accountId: string): Promise<IamGateway>;
  /** The client settings (region, credentials) the gateway of `accountId` uses, for the readiness reads. */
  settingsFor(accountId: string): Promise<CredentialedClientSettings>;
}

/**
 * One IAM gateway per account, created on first use. Writing through a dedicated role in each
 * member account keeps the scan's read-only role read-only. The clients are the scan's (adaptive
 * retry, failures that name their call): a throttled write waits and retries instead of failing
 * one user of a batch.
 */
export function createAccountAccess(options: AccountAccessOptions): AccountAccess {
  const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const base: AwsClientSettings = {
    region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  };
  let callerAccount: string | null = null;
  const sts = createAwsClient(STSClient, 'sts', { ...base, accountId: () => callerAccount });
  let caller: Promise<CallerIdentity> | undefined;

  const callerIdentity = (): Promise<CallerIdentity> => {
    caller ??= (async () => {
      const identity = await sts.send(new GetCallerIdentityCommand({}));
      if (!identity.Account || !identity.Arn) throw new Error('GetCallerIdentity returned no account');
      callerAccount = identity.Account;
      // The key the SDK signs with: the one credential remediation must never switch off.
      const credentials = await sts.config.credentials();
      return { accountId: identity.Account, arn: identity.Arn, accessKeyId: credentials.accessKeyId ?? null };
    })();
    return caller;
  };
  const callerAccountId = async (): Promise<string> => (await callerIdentity()).accountId;

  /** The caller's own credentials for its account; AssumeRole into `roleName` for any other. */
  const assumeInto = async (accountId: string): Promise<CredentialedClientSettings> => {
    const named = { ...base, accountId: () => accountId };
    // The caller's own account: the credentials STS resolved, so every reader signs with the same key.
    if (accountId === (await callerAccountId())) return { ...named, credentials: sts.config.credentials };
    const roleArn = `arn:aws:iam::${accountId}:role/${options.roleName}`;
    let assumed: AssumeRoleCommandOutput;
    try {
      assumed = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'roleshift-remediate' }));
    } catch (error) {
      throw new UserInputError(
        `cannot assume ${roleArn}: ${describeRemediationFailure(error)}; deploy deploy/remediate-role.yaml in account ${accountId} or pass --role-name`,
      );
    }
    const credentials = assumed.Credentials;
    if (!credentials?.AccessKeyId || !credentials.SecretAccessKey)
      throw new Error(`AssumeRole ${roleArn} returned no credentials`);
    return {
      ...named,
      credentials: {
        accessKeyId: credentials.AccessKeyId,
        secretAccessKey: credentials.SecretAccessKey,
        ...(credentials.SessionToken ? { sessionToken: credentials.SessionToken } : {}),
        ...(credentials.Expiration ? { expiration: credentials.Expiration } : {}),
      },
    };
  };
  const settingsOf = onceEach(assumeInto);

  const open = async (accountId: string): Promise<IamGateway> => {
    const client = createAwsClient(IAMClient, 'iam', await settingsOf(accountId));
    options.instrument?.(client, accountId);
    return createIamGateway(client, accountId);
  };

  return { callerAccountId, callerIdentity, settingsFor: settingsOf, gatewayFor: onceEach(open) };
}

/** `make` called once per key; every later call gets the first call's promise. */
export function onceEach<T>(make: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const made = new Map<string, Promise<T>>();
  return (key) => {
    let value = made.get(key);
    if (!value) {
      value = make(key);
      made.set(key, value);
    }
    return value;
  };
}
