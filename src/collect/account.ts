import {
  GenerateCredentialReportCommand,
  GetAccountAuthorizationDetailsCommand,
  GetAccountSummaryCommand,
  GetCredentialReportCommand,
  GetOpenIDConnectProviderCommand,
  ListAccountAliasesCommand,
  ListOpenIDConnectProvidersCommand,
  ListSAMLProvidersCommand,
  ListVirtualMFADevicesCommand,
  type GetAccountAuthorizationDetailsCommandOutput,
  type VirtualMFADevice,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { errorCodeOf } from '../errors.js';
import type { Account, Gap, OidcProvider } from '../model/snapshot.js';
import { UNKNOWN } from '../model/when.js';
import { buildAccount } from './build-account.js';
import type { AccountClients } from './clients.js';
import { parseCredentialReportDocument, type CredentialReport } from './credential-report.js';
import { compare, normalizeGaad } from './gaad.js';
import {
  normalizeAccountAliases,
  normalizeAccountSummary,
  normalizeOidcProvider,
  normalizeOidcProviderList,
  normalizeSamlProviders,
  normalizeVirtualMfaDevices,
} from './iam-lists.js';

export type { AccountClients } from './clients.js';

export interface CollectAccountOptions {
  now: () => Date;
  /** Known from the Organization; else read with STS GetCallerIdentity. */
  accountId?: string;
  log?: (line: string) => void;
  /** Injectable so tests do not wait for real time. */
  sleep?: (ms: number) => Promise<void>;
  /** Poll interval and upper bound while AWS generates the credential report. */
  reportPollMs?: number;
  reportMaxWaitMs?: number;
  /** GAAD page size (AWS allows up to 1000). */
  gaadPageSize?: number;
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

function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]?.trim() || errorCodeOf(error);
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Reads one account with account-level calls only (no per-user call, so a 5,000-user account
 * costs the same dozen calls as a small one). Every failed call becomes a Gap and the rest goes
 * on; the caller decides what a gap means for the exit code.
 */
export async function collectAccount(
  clients: AccountClients,
  options: CollectAccountOptions,
): Promise<AccountCollection> {
  const { iam, sts } = clients;
  const gaps: Gap[] = [];
  const warnings: string[] = [];
  const log = options.log ?? (() => undefined);
  const sleep = options.sleep ?? wait;
  let accountId: string | null = options.accountId ?? null;

  const attempt = async <T>(api: string, global: boolean, call: () => Promise<T>): Promise<T | null> => {
    try {
      return await call();
    } catch (error) {
      gaps.push({
        accountId,
        region: global ? null : clients.region,
        api,
        errorCode: errorCodeOf(error),
        message: messageOf(error),
      });
      return null;
    }
  };

  if (accountId === null) {
    const identity = await attempt('sts:GetCallerIdentity', false, () => sts.send(new GetCallerIdentityCommand({})));
    accountId = identity?.Account ?? null;
  }
  const where = accountId ?? 'the account';

  log(`${where}: reading authorization details`);
  const gaadPages = await attempt('iam:GetAccountAuthorizationDetails', true, async () => {
    const pages: GetAccountAuthorizationDetailsCommandOutput[] = [];
    const seen = new Set<string>();
    let marker: string | undefined;
    do {
      const page = await iam.send(
        new GetAccountAuthorizationDetailsCommand({ Marker: marker, MaxItems: options.gaadPageSize ?? 1000 }),
      );
      pages.push(page);
      marker = page.IsTruncated ? page.Marker : undefined;
      if (marker !== undefined && seen.has(marker))
        throw new Error(`the same Marker came back twice after ${pages.length} pages`);
      if (marker !== undefined) seen.add(marker);
    } while (marker !== undefined);
    return normalizeGaad(pages, 'iam:GetAccountAuthorizationDetails');
  });

  log(`${where}: reading the credential report`);
  const credentialReport = await readCredentialReport(clients, options, sleep, attempt);

  const virtualMfaDevices = await attempt('iam:ListVirtualMFADevices', true, async () => {
    const devices: VirtualMFADevice[] = [];
    let marker: string | undefined;
    do {
      const page = await iam.send(new ListVirtualMFADevicesCommand({ AssignmentStatus: 'Any', Marker: marker }));
      devices.push(...(page.VirtualMFADevices ?? []));
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker !== undefined);
    return normalizeVirtualMfaDevices({ VirtualMFADevices: devices }, 'iam:ListVirtualMFADevices');
  });
  const accountSummary = await attempt('iam:GetAccountSummary', true, async () =>
    normalizeAccountSummary(await iam.send(new GetAccountSummaryCommand({})), 'iam:GetAccountSummary'),
  );
  const aliases = await attempt('iam:ListAccountAliases', true, async () =>
    normalizeAccountAliases(await iam.send(new ListAccountAliasesCommand({})), 'iam:ListAccountAliases'),
  );
  const oidcArns = await attempt('iam:ListOpenIDConnectProviders', true, async () =>
    normalizeOidcProviderList(
      await iam.send(new ListOpenIDConnectProvidersCommand({})),
      'iam:ListOpenIDConnectProviders',
    ),
  );
  let oidcProviders: OidcProvider[] | null = null;
  if (oidcArns !== null) {
    oidcProviders = [];
    for (const arn of oidcArns) {
      const provider = await attempt('iam:GetOpenIDConnectProvider', true, async () =>
        normalizeOidcProvider(
          await iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn })),
          arn,
          accountId ?? '',
          'iam:GetOpenIDConnectProvider',
        ),
      );
      // A provider we could list but not read still exists: keep what its ARN says.
      oidcProviders.push(
        provider ?? {
          arn,
          url: arn.slice(arn.indexOf(':oidc-provider/') + ':oidc-provider/'.length),
          clientIds: [],
          thumbprints: [],
          createDate: UNKNOWN,
          tags: {},
        },
      );
    }
  }
  const samlProviders = await attempt('iam:ListSAMLProviders', true, async () =>
    normalizeSamlProviders(await iam.send(new ListSAMLProvidersCommand({})), 'iam:ListSAMLProviders'),
  );

  if (accountId === null && gaadPages !== null) {
    accountId =
      /^arn:aws[\w-]*:iam::(\d{12}):/.exec(gaadPages.roles[0]?.arn ?? gaadPages.users[0]?.arn ?? '')?.[1] ?? null;
  }
  for (const gap of gaps) gap.accountId ??= accountId;
  gaps.sort((a, b) => compare(a.api, b.api));
  const apiCalls = clients.counter.toRecord();

  if (gaadPages === null || accountId === null) {
    warnings.push(
      `${where}: ${gaadPages === null ? 'the authorization details could not be read' : 'the account id could not be read'}, so its users are unknown: the account is left out (see the gaps)`,
    );
    return { account: null, gaps, apiCalls, warnings };
  }
  const built = buildAccount({
    accountId,
    gaad: gaadPages,
    credentialReport,
    virtualMfaDevices,
    accountSummary,
    aliases,
    oidcProviders,
    samlProviders,
  });
  return { account: built.account, gaps, apiCalls, warnings: [...warnings, ...built.warnings] };
}

type Attempt = <T>(api: string, global: boolean, call: () => Promise<T>) => Promise<T | null>;

/**
 * Asks AWS to generate the report and waits (bounded) while it is STARTED / INPROGRESS. A denied
 * Generate still tries Get: a report generated earlier may be readable.
 */
async function readCredentialReport(
  clients: AccountClients,
  options: CollectAccountOptions,
  sleep: (ms: number) => Promise<void>,
  attempt: Attempt,
): Promise<CredentialReport | null> {
  // AWS usually finishes within seconds: poll soon, then back off so a slow report costs few calls.
  const firstPollMs = options.reportPollMs ?? 250;
  const maxWaitMs = options.reportMaxWaitMs ?? 120_000;
  await attempt('iam:GenerateCredentialReport', true, async () => {
    for (let waited = 0, pollMs = firstPollMs; ; waited += pollMs, pollMs = Math.min(pollMs * 2, 4_000)) {
      const answer = await clients.iam.send(new GenerateCredentialReportCommand({}));
      if (answer.State === 'COMPLETE' || answer.State === undefined) return;
      if (waited >= maxWaitMs) {
        throw Object.assign(
          new Error(`the credential report was still ${answer.State} after ${Math.round(maxWaitMs / 1000)} s`),
          {
            name: 'ReportNotReady',
          },
        );
      }
      await sleep(pollMs);
    }
  });
  return attempt('iam:GetCredentialReport', true, async () => {
    const answer = await clients.iam.send(new GetCredentialReportCommand({}));
    return parseCredentialReportDocument(
      { Content: answer.Content, GeneratedTime: answer.GeneratedTime },
      'iam:GetCredentialReport',
    );
  });
}
