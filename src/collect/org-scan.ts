import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { Account, Gap } from '../model/snapshot.js';
import type { IdentityCenterInstance, Organization, RolesAnywhere } from '../model/organization.js';
import { errorCodeOf as awsErrorCodeOf } from '../errors.js';
import type { AccountCollection } from './account.js';
import { ApiCallCounter, countApiCalls } from './clients.js';
import { readIdentityCenter } from './identity-center.js';
import { readOrganization } from './organization.js';
import { runBounded } from './pool.js';
import { createRolesAnywhereApi, readRolesAnywhere, RolesAnywhereHttpError } from './roles-anywhere.js';
import { selectAccounts, type AccountFilters } from './select-accounts.js';

type Credentials = AwsCredentialIdentity | AwsCredentialIdentityProvider;

/**
 * Where finished accounts are kept so an interrupted scan can resume without collecting them
 * again. The store implements it; a plain in-memory map does for tests.
 */
export interface OrgCheckpoint {
  finished(accountId: string): Promise<AccountCollection | undefined>;
  save(accountId: string, result: AccountCollection): Promise<void>;
}

export interface OrgProgress {
  total: number;
  done: number;
  failed: number;
  resumed: number;
  accountId: string;
}

export interface OrgScanOptions {
  credentials: Credentials;
  region: string;
  roleName: string;
  externalId?: string;
  filters: AccountFilters;
  concurrency: number;
  /** Regions to read Roles Anywhere in; empty: none. */
  rolesAnywhereRegions: string[];
  /** Collects one account given credentials for it; supplied by the single-account collector. */
  collectAccount: (credentials: Credentials, accountId: string) => Promise<AccountCollection>;
  checkpoint?: OrgCheckpoint;
  onProgress?: (progress: OrgProgress) => void;
  /** Client settings shared by every client (adaptive retry, endpoint from env). */
  clientConfig?: { maxAttempts?: number; retryMode?: string };
}

export interface OrgScanResult {
  organization: Organization | undefined;
  accounts: Account[];
  gaps: Gap[];
  apiCalls: Record<string, number>;
  warnings: string[];
  identityCenterInstance: IdentityCenterInstance | undefined;
  rolesAnywhere: RolesAnywhere[];
}

/** AWS error code of anything the SDK or our narrow Roles Anywhere client threw. */
export function errorCodeOf(error: unknown): string {
  return error instanceof RolesAnywhereHttpError ? error.code : awsErrorCodeOf(error);
}

export function gapFrom(error: unknown, accountId: string | null, region: string | null, api: string): Gap {
  const message = error instanceof Error ? error.message : String(error);
  return { accountId, region, api, errorCode: errorCodeOf(error), message: message.split('\n')[0] ?? message };
}

/** `roleshift-<caller>`: the caller's user or session name, cut to what STS accepts. */
export function sessionNameFor(callerArn: string): string {
  const last = callerArn.split('/').pop() ?? 'scanner';
  return `roleshift-${last}`.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
}

/**
 * Scans every selected account of an Organization: lists accounts and SCPs, assumes the audit
 * role in each account (bounded concurrency), and reads Identity Center and Roles Anywhere.
 * A failure in one account or API becomes a gap; it never aborts the others.
 */
export async function scanOrganization(options: OrgScanOptions): Promise<OrgScanResult> {
  const counter = new ApiCallCounter();
  const count = (api: string) => counter.add(api);
  const clientBase = { region: options.region, credentials: options.credentials, ...options.clientConfig };
  const gaps: Gap[] = [];
  const warnings: string[] = [];

  const sts = new STSClient(clientBase);
  count('sts:GetCallerIdentity');
  const caller = await sts.send(new GetCallerIdentityCommand({}));
  const callerAccount = caller.Account ?? '';
  const sessionName = sessionNameFor(caller.Arn ?? 'scanner');

  const orgClient = new OrganizationsClient(clientBase);
  countApiCalls(orgClient, 'organizations', counter);
  let organization: Organization | undefined;
  try {
    organization = await readOrganization(orgClient);
  } catch (error) {
    gaps.push(gapFrom(error, callerAccount, null, 'organizations:ListAccounts'));
  }
  if (organization && organization.accounts.length === 0) {
    // From a member account moto (and some proxies) answer an empty list instead of AccessDenied.
    gaps.push({
      accountId: callerAccount,
      region: null,
      api: 'organizations:ListAccounts',
      errorCode: 'EmptyOrganization',
      message: 'the organization listed no accounts: run from the management account or a delegated administrator',
    });
  }

  const selection = organization ? selectAccounts(organization.accounts, options.filters) : { selected: [], gaps: [] };
  gaps.push(...selection.gaps);

  const progress: OrgProgress = { total: selection.selected.length, done: 0, failed: 0, resumed: 0, accountId: '' };
  const accounts: Account[] = [];

  const credentialsFor = async (accountId: string): Promise<Credentials> => {
    if (accountId === callerAccount) return options.credentials;
    count('sts:AssumeRole');
    const assumed = await sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${accountId}:role/${options.roleName}`,
        RoleSessionName: sessionName,
        ...(options.externalId ? { ExternalId: options.externalId } : {}),
        DurationSeconds: 3600,
      }),
    );
    const issued = assumed.Credentials;
    if (!issued?.AccessKeyId || !issued.SecretAccessKey) throw new Error('AssumeRole returned no credentials');
    return {
      accessKeyId: issued.AccessKeyId,
      secretAccessKey: issued.SecretAccessKey,
      ...(issued.SessionToken ? { sessionToken: issued.SessionToken } : {}),
      ...(issued.Expiration ? { expiration: issued.Expiration } : {}),
    };
  };

  const accountCredentials = new Map<string, Credentials>();
  await runBounded(
    selection.selected,
    options.concurrency,
    async (orgAccount) => {
      const accountId = orgAccount.accountId;
      const saved = await options.checkpoint?.finished(accountId);
      if (saved) {
        progress.resumed += 1;
        return saved;
      }
      let credentials: Credentials;
      try {
        credentials = await credentialsFor(accountId);
      } catch (error) {
        const result: AccountCollection = {
          account: null,
          gaps: [gapFrom(error, accountId, null, 'sts:AssumeRole')],
          apiCalls: {},
          warnings: [],
        };
        await options.checkpoint?.save(accountId, result);
        return result;
      }
      accountCredentials.set(accountId, credentials);
      const result = await options.collectAccount(credentials, accountId);
      await options.checkpoint?.save(accountId, result);
      return result;
    },
    (orgAccount, outcome) => {
      progress.done += 1;
      progress.accountId = orgAccount.accountId;
      if (!outcome.ok || outcome.value.account === null) progress.failed += 1;
      options.onProgress?.({ ...progress });
    },
  ).then((settled) => {
    for (const entry of settled) {
      if (entry.ok) {
        if (entry.value.account) accounts.push(entry.value.account);
        gaps.push(...entry.value.gaps);
        counter.merge(entry.value.apiCalls);
        warnings.push(...entry.value.warnings);
      } else {
        gaps.push(gapFrom(entry.error, entry.item.accountId, null, 'collectAccount'));
      }
    }
  });

  let identityCenterInstance: IdentityCenterInstance | undefined;
  const ssoAdmin = new SSOAdminClient(clientBase);
  const identityStore = new IdentitystoreClient(clientBase);
  countApiCalls(ssoAdmin, 'sso', counter);
  countApiCalls(identityStore, 'identitystore', counter);
  try {
    identityCenterInstance = (await readIdentityCenter(ssoAdmin, identityStore, options.region)) ?? undefined;
  } catch (error) {
    gaps.push(gapFrom(error, callerAccount, options.region, 'sso:ListInstances'));
  }

  const rolesAnywhere: RolesAnywhere[] = [];
  const reachable = [...accountCredentials.entries()].sort(([a], [b]) => a.localeCompare(b));
  if (
    !reachable.some(([id]) => id === callerAccount) &&
    selection.selected.some((a) => a.accountId === callerAccount)
  ) {
    reachable.push([callerAccount, options.credentials]);
  }
  for (const [accountId, credentials] of reachable) {
    for (const region of options.rolesAnywhereRegions) {
      try {
        const api = createRolesAnywhereApi({ region, credentials, onCall: count });
        rolesAnywhere.push(await readRolesAnywhere(api, accountId, region));
      } catch (error) {
        gaps.push(gapFrom(error, accountId, region, 'rolesanywhere:ListTrustAnchors'));
      }
    }
  }

  accounts.sort((a, b) => a.accountId.localeCompare(b.accountId));
  return {
    organization,
    accounts,
    gaps: sortGaps(gaps),
    apiCalls: counter.toRecord(),
    warnings,
    identityCenterInstance,
    rolesAnywhere,
  };
}

export function sortGaps(gaps: Gap[]): Gap[] {
  const key = (gap: Gap) => `${gap.accountId ?? ''}|${gap.region ?? ''}|${gap.api}|${gap.errorCode}`;
  return [...gaps].sort((a, b) => key(a).localeCompare(key(b)));
}
