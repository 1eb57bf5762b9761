import type { IAMClient } from '@aws-sdk/client-iam';
import type { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import type { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { AssumeRoleCommand, GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { UserInputError } from '../errors.js';
import type {
  IdentityCenterInstance,
  OrgAccount,
  Organization,
  RolesAnywhere,
  RootAccess,
} from '../model/organization.js';
import { AwsManagedPolicyPool } from '../model/managed-policies.js';
import type { Account, Gap, ManagedPolicy } from '../model/snapshot.js';
import type { AccountCollection } from './account.js';
import type { ApiCallCounter } from '../aws/clients.js';
import { describeAwsFailure, gapOf } from '../aws/errors.js';
import { readIdentityCenter } from './identity-center.js';
import { readOrganization } from './organization.js';
import { readRootAccess } from './root-access-features.js';
import { runPool, type ConcurrencyLimit } from '../pool.js';
import { selectAccounts, type AccountFilters } from './select-accounts.js';

export type Credentials = AwsCredentialIdentity | AwsCredentialIdentityProvider;

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

/** The caller's clients: AWS limits STS and Organizations per caller, so one of each serves the scan. */
export interface OrgScanClients {
  sts: STSClient;
  organizations: OrganizationsClient;
  ssoAdmin: SSOAdminClient;
  identityStore: IdentitystoreClient;
  /** The caller's own IAM: organization-wide IAM settings are read once, in the management account. */
  iam: IAMClient;
}

/** One account, opened with its credentials: its clients exist and its credential report is being generated. */
export interface OpenedAccount {
  collect(): Promise<AccountCollection>;
  close(): void;
}

export interface OrgScanOptions {
  clients: OrgScanClients;
  /** The caller's own credentials: its own account is read with them, not through the role. */
  credentials: Credentials;
  region: string;
  roleName: string;
  externalId?: string;
  filters: AccountFilters;
  /** Accounts collected at once; an `AdaptiveLimit` follows the caller's throttling. */
  limit: ConcurrencyLimit & { completed?(): void };
  /** Regions to read Roles Anywhere in; empty: none. */
  rolesAnywhereRegions: string[];
  /** Builds one account's clients from its credentials and asks for its credential report. */
  openAccount(credentials: Credentials, accountId: string): Promise<OpenedAccount>;
  readRolesAnywhere(credentials: Credentials, accountId: string, region: string): Promise<RolesAnywhere>;
  /** Where the caller's clients count their calls; the accounts' calls are added to it. */
  counter: ApiCallCounter;
  checkpoint?: OrgCheckpoint;
  onProgress?: (progress: OrgProgress) => void;
  /** Memory back-pressure: asked before an account starts while others are in flight. */
  canStart?: () => boolean;
}

export interface OrgScanResult {
  organization: Organization | undefined;
  rootAccess: RootAccess | undefined;
  accounts: Account[];
  gaps: Gap[];
  apiCalls: Record<string, number>;
  warnings: string[];
  identityCenterInstance: IdentityCenterInstance | undefined;
  rolesAnywhere: RolesAnywhere[];
  /** AWS managed policies, once for the whole scan; the accounts keep only their own. */
  awsManagedPolicies: ManagedPolicy[];
}

/** `roleshift-<caller>`: the caller's user or session name, cut to what STS accepts. */
export function sessionNameFor(callerArn: string): string {
  const last = callerArn.split('/').pop() ?? 'scanner';
  return `roleshift-${last}`.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
}

async function identifyCaller(sts: STSClient): Promise<{ accountId: string; sessionName: string }> {
  try {
    const caller = await sts.send(new GetCallerIdentityCommand({}));
    return { accountId: caller.Account ?? '', sessionName: sessionNameFor(caller.Arn ?? 'scanner') };
  } catch (error) {
    throw new UserInputError(`cannot tell who is scanning: ${describeAwsFailure(error)}`);
  }
}

/**
 * The Organization, or organization-level gaps: without the list of accounts every count is a
 * floor, so the scan is kept but never becomes a trend point (model/completeness.ts).
 */
async function listOrganization(
  client: OrganizationsClient,
  callerAccount: string,
): Promise<{ organization: Organization | undefined; gaps: Gap[] }> {
  let organization: Organization;
  try {
    organization = await readOrganization(client);
  } catch (error) {
    const gap = gapOf(error, { accountId: callerAccount, region: null, api: 'organizations:ListAccounts' });
    return { organization: undefined, gaps: [{ ...gap, scope: 'organization' }] };
  }
  if (organization.accounts.length > 0) return { organization, gaps: [] };
  // From a member account moto (and some proxies) answer an empty list instead of AccessDenied.
  const empty: Gap = {
    accountId: callerAccount,
    region: null,
    api: 'organizations:ListAccounts',
    errorCode: 'EmptyOrganization',
    message: 'the organization listed no accounts: run from the management account or a delegated administrator',
    scope: 'organization',
  };
  return { organization, gaps: [empty] };
}

/**
 * The organization's centralised root access, or the gap that says it is unknown (then the
 * snapshot keeps no `rootAccess` and the check gives no verdict).
 */
async function readRootAccessOf(
  iam: IAMClient,
  organization: Organization | undefined,
  callerAccount: string,
): Promise<{ rootAccess?: RootAccess; gaps: Gap[] }> {
  if (organization === undefined) return { gaps: [] };
  try {
    return { rootAccess: await readRootAccess(iam, organization), gaps: [] };
  } catch (error) {
    return { gaps: [gapOf(error, { accountId: callerAccount, region: null, api: 'iam:ListOrganizationsFeatures' })] };
  }
}

/** What an account's turn starts from, prepared ahead of it so its credential report is already generating. */
type Prepared =
  | { kind: 'done'; result: AccountCollection; resumed: boolean }
  | { kind: 'opened'; opened: OpenedAccount };

interface AccountScan {
  options: OrgScanOptions;
  caller: { accountId: string; sessionName: string };
  /** Credentials per account reached, for what is read after the accounts (Roles Anywhere). */
  reached: Map<string, Credentials>;
  /** Each account's AWS managed policies move here as it finishes, so memory holds them once. */
  shared: AwsManagedPolicyPool;
}

function sharePolicies(scan: AccountScan, result: AccountCollection): AccountCollection {
  return result.account === null ? result : { ...result, account: scan.shared.take(result.account) };
}

function failedAccount(error: unknown, accountId: string, api: string): AccountCollection {
  return { account: null, gaps: [gapOf(error, { accountId, region: null, api })], apiCalls: {}, warnings: [] };
}

async function assumeAuditRole(scan: AccountScan, accountId: string): Promise<Credentials> {
  const { options, caller } = scan;
  if (accountId === caller.accountId) return options.credentials;
  const assumed = await options.clients.sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${accountId}:role/${options.roleName}`,
      RoleSessionName: caller.sessionName,
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
}

/** Never rejects: an account that cannot be prepared is a finished result with its gap. */
async function prepareAccount(scan: AccountScan, accountId: string): Promise<Prepared> {
  const saved = await scan.options.checkpoint?.finished(accountId);
  if (saved) return { kind: 'done', result: saved, resumed: true };
  let credentials: Credentials;
  try {
    credentials = await assumeAuditRole(scan, accountId);
  } catch (error) {
    return { kind: 'done', result: failedAccount(error, accountId, 'sts:AssumeRole'), resumed: false };
  }
  scan.reached.set(accountId, credentials);
  try {
    return { kind: 'opened', opened: await scan.options.openAccount(credentials, accountId) };
  } catch (error) {
    return { kind: 'done', result: failedAccount(error, accountId, 'collectAccount'), resumed: false };
  }
}

/**
 * Commits each finished account while the next ones are collected (a collection slot never waits
 * for the store), and counts an account as done only once it is committed, so what the progress
 * line calls done is what a resume will not collect again.
 */
class CheckpointWriter {
  private readonly writes: Array<Promise<void>> = [];
  private waiting = 0;
  private failure: { error: unknown } | undefined;
  private readonly progress: OrgProgress;

  constructor(
    private readonly options: OrgScanOptions,
    total: number,
  ) {
    this.progress = { total, done: 0, failed: 0, resumed: 0, accountId: '' };
  }

  /** Accounts collected but not yet committed. */
  get backlog(): number {
    return this.waiting;
  }

  record(accountId: string, result: AccountCollection, resumed: boolean): void {
    if (resumed || this.options.checkpoint === undefined) {
      this.report(accountId, result, resumed);
      return;
    }
    this.waiting += 1;
    this.writes.push(
      this.options.checkpoint.save(accountId, result).then(
        () => {
          this.waiting -= 1;
          this.report(accountId, result, false);
        },
        (error: unknown) => {
          this.waiting -= 1;
          this.failure ??= { error };
        },
      ),
    );
  }

  /** Waits for every commit; a store that cannot be written fails the scan (nothing would resume). */
  async flush(): Promise<void> {
    await Promise.all(this.writes);
    if (this.failure !== undefined) throw this.failure.error;
  }

  private report(accountId: string, result: AccountCollection, resumed: boolean): void {
    this.progress.done += 1;
    this.progress.accountId = accountId;
    if (resumed) this.progress.resumed += 1;
    if (result.account === null) this.progress.failed += 1;
    this.options.onProgress?.({ ...this.progress });
  }
}

/** One account's turn: its prepared start (or the saved result of an earlier run), then its collection. */
async function collectOne(scan: AccountScan, ready: Prepared, accountId: string, writer: CheckpointWriter) {
  let result: AccountCollection;
  if (ready.kind === 'done') result = ready.result;
  else {
    try {
      result = await ready.opened.collect();
    } catch (error) {
      result = failedAccount(error, accountId, 'collectAccount');
    } finally {
      ready.opened.close();
    }
  }
  writer.record(accountId, result, ready.kind === 'done' && ready.resumed);
  return sharePolicies(scan, result);
}

/**
 * Collects every selected account, as many at once as the limit allows. Each account's turn also
 * prepares the accounts after it (assumes the role, asks for the credential report), as many as
 * are in flight, so AWS generates their reports while earlier accounts are read.
 */
async function collectAccounts(scan: AccountScan, selected: readonly OrgAccount[]): Promise<AccountCollection[]> {
  const { options } = scan;
  const prepared = new Map<number, Promise<Prepared>>();
  const prepare = (index: number): Promise<Prepared> | undefined => {
    const account = selected[index];
    if (account === undefined) return undefined;
    let promise = prepared.get(index);
    if (promise === undefined) {
      promise = prepareAccount(scan, account.accountId);
      prepared.set(index, promise);
    }
    return promise;
  };
  const writer = new CheckpointWriter(options, selected.length);
  const settled = await runPool(
    selected,
    options.limit,
    async (account, index) => {
      for (let ahead = index + 1; ahead <= index + options.limit.current; ahead += 1) void prepare(ahead);
      const ready = (await prepare(index)) as Prepared;
      prepared.delete(index);
      return collectOne(scan, ready, account.accountId, writer);
    },
    {
      onSettled: () => options.limit.completed?.(),
      // Collected accounts wait in memory for their commit: no more than a round of them.
      canStart: () => writer.backlog < options.limit.current && (options.canStart?.() ?? true),
    },
  );
  await writer.flush();
  return settled.map((entry) =>
    entry.ok ? entry.value : failedAccount(entry.error, entry.item.accountId, 'collectAccount'),
  );
}

async function readIdentityCenterOf(scan: AccountScan): Promise<{ instance?: IdentityCenterInstance; gaps: Gap[] }> {
  const { clients, region } = scan.options;
  try {
    const instance = await readIdentityCenter(clients.ssoAdmin, clients.identityStore, region);
    return instance === null ? { gaps: [] } : { instance, gaps: [] };
  } catch (error) {
    return { gaps: [gapOf(error, { accountId: scan.caller.accountId, region, api: 'sso:ListInstances' })] };
  }
}

async function readRolesAnywhereOf(
  scan: AccountScan,
  selected: readonly OrgAccount[],
): Promise<{ rolesAnywhere: RolesAnywhere[]; gaps: Gap[] }> {
  const { options, caller, reached } = scan;
  if (!reached.has(caller.accountId) && selected.some((account) => account.accountId === caller.accountId))
    reached.set(caller.accountId, options.credentials);
  const rolesAnywhere: RolesAnywhere[] = [];
  const gaps: Gap[] = [];
  for (const [accountId, credentials] of [...reached.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    for (const region of options.rolesAnywhereRegions) {
      try {
        rolesAnywhere.push(await options.readRolesAnywhere(credentials, accountId, region));
      } catch (error) {
        gaps.push(gapOf(error, { accountId, region, api: 'rolesanywhere:ListTrustAnchors' }));
      }
    }
  }
  return { rolesAnywhere, gaps };
}

/**
 * Scans every selected account of an Organization: lists accounts and SCPs, assumes the audit
 * role in each account (as many at once as the limit allows), and reads Identity Center and
 * Roles Anywhere. A failure in one account or API becomes a gap; it never aborts the others.
 */
export async function scanOrganization(options: OrgScanOptions): Promise<OrgScanResult> {
  const caller = await identifyCaller(options.clients.sts);
  const listing = await listOrganization(options.clients.organizations, caller.accountId);
  // Read while the accounts are collected (it never rejects): one call, never on the critical path.
  const rootAccessRead = readRootAccessOf(options.clients.iam, listing.organization, caller.accountId);
  const selection = listing.organization
    ? selectAccounts(listing.organization.accounts, options.filters)
    : { selected: [], gaps: [] };
  const scan: AccountScan = { options, caller, reached: new Map(), shared: new AwsManagedPolicyPool() };
  const collected = await collectAccounts(scan, selection.selected);
  const identityCenter = await readIdentityCenterOf(scan);
  const rolesAnywhere = await readRolesAnywhereOf(scan, selection.selected);
  const rootAccess = await rootAccessRead;

  const accounts: Account[] = [];
  const gaps = [...listing.gaps, ...rootAccess.gaps, ...selection.gaps, ...identityCenter.gaps, ...rolesAnywhere.gaps];
  const warnings: string[] = [];
  for (const result of collected) {
    if (result.account) accounts.push(result.account);
    gaps.push(...result.gaps);
    options.counter.merge(result.apiCalls);
    warnings.push(...result.warnings);
  }
  accounts.sort((a, b) => a.accountId.localeCompare(b.accountId));
  return {
    organization: listing.organization,
    rootAccess: rootAccess.rootAccess,
    accounts,
    gaps: sortGaps(gaps),
    apiCalls: options.counter.toRecord(),
    warnings,
    identityCenterInstance: identityCenter.instance,
    rolesAnywhere: rolesAnywhere.rolesAnywhere,
    awsManagedPolicies: scan.shared.policies(),
  };
}

export function sortGaps(gaps: Gap[]): Gap[] {
  const key = (gap: Gap) => `${gap.accountId ?? ''}|${gap.region ?? ''}|${gap.api}|${gap.errorCode}`;
  return [...gaps].sort((a, b) => key(a).localeCompare(key(b)));
}
