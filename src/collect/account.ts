import {
  GenerateCredentialReportCommand,
  GetAccountPasswordPolicyCommand,
  GetAccountSummaryCommand,
  GetCredentialReportCommand,
  GetOpenIDConnectProviderCommand,
  ListAccountAliasesCommand,
  ListOpenIDConnectProvidersCommand,
  ListSAMLProvidersCommand,
  paginateGetAccountAuthorizationDetails,
  paginateListServerCertificates,
  paginateListVirtualMFADevices,
  type GetAccountAuthorizationDetailsCommandOutput,
  type ServerCertificateMetadata,
  type VirtualMFADevice,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { Account, Gap, OidcProvider } from '../model/snapshot.js';
import { gapOf, hasErrorCode } from '../aws/errors.js';
import { advisorPrincipals, collectAccessAdvisor, type AccessAdvisorOptions } from './access-advisor.js';
import { buildAccount, type AccountSources } from './build-account.js';
import type { AccountClients } from './clients.js';
import { parseCredentialReportDocument, type CredentialReport } from './credential-report.js';
import { compare, normalizeGaad, type Gaad } from './gaad.js';
import {
  normalizeAccountAliases,
  normalizeAccountSummary,
  normalizeOidcProvider,
  normalizeOidcProviderList,
  oidcProviderFromArn,
  normalizeSamlProviders,
  normalizeVirtualMfaDevices,
} from './iam-lists.js';
import { normalizePasswordPolicy, normalizeServerCertificates } from './iam-settings.js';

export interface CollectAccountOptions {
  now: () => Date;
  /** Known from the Organization; else read with STS GetCallerIdentity. */
  accountId?: string;
  log?: (line: string) => void;
  /** Injectable so tests do not wait for real time. */
  sleep?: (ms: number) => Promise<void>;
  /** First wait, and upper bound of all waits, while AWS generates the credential report. */
  reportPollMs?: number;
  reportMaxWaitMs?: number;
  /** GAAD page size (AWS allows up to 1000). */
  gaadPageSize?: number;
  /** Generation already asked for (`requestCredentialReport`): the org scan asks ahead of collecting. */
  reportRequest?: Promise<ReportRequest>;
  /** `scan --access-advisor`: one access advisor job per principal of the scope; absent: not read. */
  accessAdvisor?: AccessAdvisorOptions;
}

export interface AccountCollection {
  /**
   * Null when GetAccountAuthorizationDetails could not be read (or the account id is unknown):
   * the users of that account are unknown, and an empty account would read as clean. The gaps
   * say why.
   */
  account: Account | null;
  gaps: Gap[];
  apiCalls: Record<string, number>;
  warnings: string[];
}

/** How asking AWS to generate the credential report went; the failure becomes a gap when collected. */
export type ReportRequest = { ok: true; state: string } | { ok: false; error: unknown };

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

type Attempt = <T>(api: string, global: boolean, call: () => Promise<T>) => Promise<T | null>;

/** Runs calls for one account; a failed call becomes a gap (its account filled in at the end) and `null`. */
function gapRecorder(region: string): { gaps: Gap[]; attempt: Attempt } {
  const gaps: Gap[] = [];
  const attempt: Attempt = async (api, global, call) => {
    try {
      return await call();
    } catch (error) {
      gaps.push(gapOf(error, { accountId: null, region: global ? null : region, api }));
      return null;
    }
  };
  return { gaps, attempt };
}

/**
 * Asks AWS to (re)generate the account's credential report and returns at once: generation runs
 * on AWS's side while the rest of the account is read. It only refreshes AWS's cached report.
 */
export async function requestCredentialReport(clients: AccountClients): Promise<ReportRequest> {
  try {
    const answer = await clients.iam.send(new GenerateCredentialReportCommand({}));
    return { ok: true, state: answer.State ?? 'COMPLETE' };
  } catch (error) {
    return { ok: false, error };
  }
}

/**
 * Reads one account with account-level calls only (no per-user call, so a 5,000-user account
 * costs the same dozen calls as a small one). The credential report is asked for first and
 * everything else is read, concurrently, while AWS generates it. Every failed call becomes a Gap
 * and the rest goes on; the caller decides what a gap means for the exit code.
 */
export async function collectAccount(
  clients: AccountClients,
  options: CollectAccountOptions,
): Promise<AccountCollection> {
  const { gaps, attempt } = gapRecorder(clients.region);
  const reportRequest = options.reportRequest ?? requestCredentialReport(clients);
  const log = options.log ?? (() => undefined);
  const identity =
    options.accountId ??
    attempt('sts:GetCallerIdentity', false, async () => {
      const answer = await clients.sts.send(new GetCallerIdentityCommand({}));
      return answer.Account ?? null;
    });
  log(`${options.accountId ?? 'the account'}: reading authorization details and account lists`);
  const [knownId, gaad, lists] = await Promise.all([
    identity,
    attempt('iam:GetAccountAuthorizationDetails', true, () => readGaad(clients, options.gaadPageSize ?? 1000)),
    readAccountLists(clients, attempt),
  ]);
  const accountId = knownId ?? accountIdFromGaad(gaad);
  log(`${accountId ?? 'the account'}: reading the credential report`);
  const [credentialReport, advisor] = await Promise.all([
    awaitCredentialReport(clients, await reportRequest, options, gaps, attempt),
    readAccessAdvisor(clients, gaad, options, log),
  ]);
  gaps.push(...(advisor?.gaps ?? []));
  for (const gap of gaps) gap.accountId ??= accountId;
  gaps.sort((a, b) => compare(a.api, b.api));
  const apiCalls = clients.counter.toRecord();
  if (gaad === null || accountId === null) {
    const where = accountId ?? 'the account';
    const what = gaad === null ? 'the authorization details could not be read' : 'the account id could not be read';
    return {
      account: null,
      gaps,
      apiCalls,
      warnings: [`${where}: ${what}, so its users are unknown: the account is left out (see the gaps)`],
    };
  }
  const built = buildAccount({ accountId, gaad, credentialReport, ...lists });
  const account = advisor === null ? built.account : { ...built.account, accessAdvisor: advisor.advisor };
  return { account, gaps, apiCalls, warnings: built.warnings };
}

/** Access advisor when asked for and the principals are known; its gaps join the account's. */
async function readAccessAdvisor(
  clients: AccountClients,
  gaad: Gaad | null,
  options: CollectAccountOptions,
  log: (line: string) => void,
): Promise<Awaited<ReturnType<typeof collectAccessAdvisor>> | null> {
  if (options.accessAdvisor === undefined || gaad === null) return null;
  const principals = advisorPrincipals(gaad, options.accessAdvisor.scope);
  log(`${options.accountId ?? 'the account'}: reading IAM access advisor for ${principals.length} principal(s)`);
  return collectAccessAdvisor(clients.iam, principals, {
    ...options.accessAdvisor,
    ...(options.sleep === undefined ? {} : { sleep: options.sleep }),
  });
}

function accountIdFromGaad(gaad: Gaad | null): string | null {
  const arn = gaad?.roles[0]?.arn ?? gaad?.users[0]?.arn ?? '';
  return /^arn:aws[\w-]*:iam::(\d{12}):/.exec(arn)?.[1] ?? null;
}

/** Every page of GetAccountAuthorizationDetails through the SDK's paginator. */
async function readGaad(clients: AccountClients, pageSize: number): Promise<Gaad> {
  const pages: GetAccountAuthorizationDetailsCommandOutput[] = [];
  const seen = new Set<string>();
  for await (const page of paginateGetAccountAuthorizationDetails(
    { client: clients.iam, pageSize },
    { MaxItems: pageSize },
  )) {
    pages.push(page);
    const marker = page.IsTruncated ? page.Marker : undefined;
    // A paginator that sees the same token again would ask for the same page forever.
    if (marker !== undefined && seen.has(marker))
      throw new Error(`the same Marker came back twice after ${pages.length} pages`);
    if (marker !== undefined) seen.add(marker);
  }
  return normalizeGaad(pages, 'iam:GetAccountAuthorizationDetails');
}

/** What the collector reads beside the account details and the credential report. */
type AccountLists = Omit<AccountSources, 'accountId' | 'gaad' | 'credentialReport'>;

/** The small account-wide lists, read concurrently; each that fails is a gap and null. */
async function readAccountLists(clients: AccountClients, attempt: Attempt): Promise<AccountLists> {
  const { iam } = clients;
  const settings = readAccountSettings(clients, attempt);
  const [virtualMfaDevices, accountSummary, aliases, oidcProviders, samlProviders] = await Promise.all([
    attempt('iam:ListVirtualMFADevices', true, async () => {
      const devices: VirtualMFADevice[] = [];
      for await (const page of paginateListVirtualMFADevices({ client: iam }, { AssignmentStatus: 'Any' }))
        devices.push(...(page.VirtualMFADevices ?? []));
      return normalizeVirtualMfaDevices({ VirtualMFADevices: devices }, 'iam:ListVirtualMFADevices');
    }),
    attempt('iam:GetAccountSummary', true, async () =>
      normalizeAccountSummary(await iam.send(new GetAccountSummaryCommand({})), 'iam:GetAccountSummary'),
    ),
    attempt('iam:ListAccountAliases', true, async () =>
      normalizeAccountAliases(await iam.send(new ListAccountAliasesCommand({})), 'iam:ListAccountAliases'),
    ),
    readOidcProviders(clients, attempt),
    attempt('iam:ListSAMLProviders', true, async () =>
      normalizeSamlProviders(await iam.send(new ListSAMLProvidersCommand({})), 'iam:ListSAMLProviders'),
    ),
  ]);
  return { virtualMfaDevices, accountSummary, aliases, oidcProviders, samlProviders, ...(await settings) };
}

/** No password policy is an answer (IAM's defaults apply), so NoSuchEntity is never a gap. */
const NO_PASSWORD_POLICY = { PasswordPolicy: null };

/** The password policy and the server certificates, read concurrently; each that fails is a gap and null. */
async function readAccountSettings(
  clients: AccountClients,
  attempt: Attempt,
): Promise<Pick<AccountLists, 'passwordPolicy' | 'serverCertificates'>> {
  const { iam } = clients;
  const [passwordPolicy, serverCertificates] = await Promise.all([
    attempt('iam:GetAccountPasswordPolicy', true, async () => {
      const answer = await iam.send(new GetAccountPasswordPolicyCommand({})).catch((error: unknown) => {
        if (hasErrorCode(error, 'NoSuchEntity', 'NoSuchEntityException')) return NO_PASSWORD_POLICY;
        throw error;
      });
      return normalizePasswordPolicy(answer, 'iam:GetAccountPasswordPolicy');
    }),
    attempt('iam:ListServerCertificates', true, async () => {
      const certificates: ServerCertificateMetadata[] = [];
      for await (const page of paginateListServerCertificates({ client: iam }, {}))
        certificates.push(...(page.ServerCertificateMetadataList ?? []));
      return normalizeServerCertificates({ ServerCertificateMetadataList: certificates }, 'iam:ListServerCertificates');
    }),
  ]);
  return { passwordPolicy, serverCertificates };
}

async function readOidcProviders(clients: AccountClients, attempt: Attempt): Promise<OidcProvider[] | null> {
  const { iam } = clients;
  const arns = await attempt('iam:ListOpenIDConnectProviders', true, async () =>
    normalizeOidcProviderList(
      await iam.send(new ListOpenIDConnectProvidersCommand({})),
      'iam:ListOpenIDConnectProviders',
    ),
  );
  if (arns === null) return null;
  const providers: OidcProvider[] = [];
  for (const arn of arns) {
    const accountId = /^arn:aws[\w-]*:iam::(\d{12}):/.exec(arn)?.[1] ?? '';
    const provider = await attempt('iam:GetOpenIDConnectProvider', true, async () =>
      normalizeOidcProvider(
        await iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn })),
        arn,
        accountId,
        'iam:GetOpenIDConnectProvider',
      ),
    );
    // A provider we could list but not read still exists: keep what its ARN says.
    providers.push(provider ?? oidcProviderFromArn(arn));
  }
  return providers;
}

const REPORT_IN_PROGRESS = ['ReportInProgress', 'CredentialReportNotReadyException'];
const REPORT_ABSENT = [
  'ReportNotPresent',
  'CredentialReportNotPresentException',
  'ReportExpired',
  'CredentialReportExpiredException',
];

/**
 * Reads the report, waiting (bounded, backing off) while AWS still generates it. A generation
 * request that failed (denied) is a gap, and the report is still read: one generated earlier may
 * be there. A report that is absent although generation was asked for is asked for again once.
 */
async function awaitCredentialReport(
  clients: AccountClients,
  request: ReportRequest,
  options: CollectAccountOptions,
  gaps: Gap[],
  attempt: Attempt,
): Promise<CredentialReport | null> {
  const sleep = options.sleep ?? wait;
  const maxWaitMs = options.reportMaxWaitMs ?? 120_000;
  if (!request.ok)
    gaps.push(gapOf(request.error, { accountId: null, region: null, api: 'iam:GenerateCredentialReport' }));
  let askedAgain = !request.ok;
  // AWS usually finishes within seconds: look soon, then back off so a slow report costs few calls.
  for (let waited = 0, pollMs = options.reportPollMs ?? 500; ; waited += pollMs, pollMs = Math.min(pollMs * 2, 4_000)) {
    let pending: unknown;
    const report = await attempt('iam:GetCredentialReport', true, async () => {
      try {
        return await readReport(clients);
      } catch (error) {
        if (hasErrorCode(error, ...REPORT_IN_PROGRESS) || (hasErrorCode(error, ...REPORT_ABSENT) && !askedAgain)) {
          pending = error;
          return null;
        }
        throw error;
      }
    });
    if (pending === undefined) return report;
    if (hasErrorCode(pending, ...REPORT_ABSENT)) {
      askedAgain = true;
      const again = await requestCredentialReport(clients);
      if (!again.ok)
        gaps.push(gapOf(again.error, { accountId: null, region: null, api: 'iam:GenerateCredentialReport' }));
    }
    if (waited >= maxWaitMs) {
      gaps.push({
        accountId: null,
        region: null,
        api: 'iam:GetCredentialReport',
        errorCode: 'ReportNotReady',
        message: `the credential report was still being generated after ${Math.round(waited / 1000)} s; run the scan again later`,
      });
      return null;
    }
    await sleep(pollMs);
  }
}

async function readReport(clients: AccountClients): Promise<CredentialReport> {
  const answer = await clients.iam.send(new GetCredentialReportCommand({}));
  return parseCredentialReportDocument(
    { Content: answer.Content, GeneratedTime: answer.GeneratedTime },
    'iam:GetCredentialReport',
  );
}
