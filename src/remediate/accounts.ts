import { IAMClient } from '@aws-sdk/client-iam';
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  STSClient,
  type AssumeRoleCommandOutput,
} from '@aws-sdk/client-sts';
import { UserInputError } from '../errors.js';
import { createIamGateway, errorName, type IamGateway } from './iam-gateway.js';

export const DEFAULT_REMEDIATE_ROLE = 'RoleshiftRemediate';

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
  /** The caller's own credentials for its account, AssumeRole into `roleName` for any other. */
  gatewayFor(accountId: string): Promise<IamGateway>;
}

/**
 * One IAM gateway per account, created on first use. Writing through a dedicated role in each
 * member account keeps the scan's read-only role read-only.
 */
export function createAccountAccess(options: AccountAccessOptions): AccountAccess {
  const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const base = {
    region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  };
  const sts = new STSClient(base);
  const gateways = new Map<string, Promise<IamGateway>>();
  let caller: Promise<string> | undefined;

  const callerAccountId = (): Promise<string> => {
    caller ??= sts.send(new GetCallerIdentityCommand({})).then((identity) => {
      if (!identity.Account) throw new Error('GetCallerIdentity returned no account');
      return identity.Account;
    });
    return caller;
  };

  const open = async (accountId: string): Promise<IamGateway> => {
    const own = await callerAccountId();
    let client: IAMClient;
    if (accountId === own) {
      client = new IAMClient(base);
    } else {
      const roleArn = `arn:aws:iam::${accountId}:role/${options.roleName}`;
      let assumed: AssumeRoleCommandOutput;
      try {
        assumed = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'roleshift-remediate' }));
      } catch (error) {
        throw new UserInputError(
          `cannot assume ${roleArn} (${errorName(error)}): deploy deploy/remediate-role.yaml in account ${accountId} or pass --role-name`,
        );
      }
      const credentials = assumed.Credentials;
      if (!credentials?.AccessKeyId || !credentials.SecretAccessKey)
        throw new Error(`AssumeRole ${roleArn} returned no credentials`);
      client = new IAMClient({
        ...base,
        credentials: {
          accessKeyId: credentials.AccessKeyId,
          secretAccessKey: credentials.SecretAccessKey,
          ...(credentials.SessionToken ? { sessionToken: credentials.SessionToken } : {}),
          ...(credentials.Expiration ? { expiration: credentials.Expiration } : {}),
        },
      });
    }
    options.instrument?.(client, accountId);
    return createIamGateway(client, accountId);
  };

  return {
    callerAccountId,
    gatewayFor(accountId) {
      let gateway = gateways.get(accountId);
      if (!gateway) {
        gateway = open(accountId);
        gateways.set(accountId, gateway);
      }
      return gateway;
    },
  };
}
