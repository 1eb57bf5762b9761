import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DEFAULT_CONFIG } from '../config.js';
import { InputFileError, UserInputError } from '../errors.js';
import {
  SNAPSHOT_SCHEMA_VERSION,
  SnapshotSchema,
  type Account,
  type OidcProvider,
  type Snapshot,
} from '../model/snapshot.js';
import { UNKNOWN } from '../model/when.js';
import { TOOL_VERSION } from '../version.js';
import { buildAccount, staleReportWarning } from './build-account.js';
import {
  isCredentialReportCsv,
  parseCredentialReportCsv,
  parseCredentialReportDocument,
  type CredentialReport,
} from './credential-report.js';
import { compare, isGaadPage, mergeGaad, normalizeGaad } from './gaad.js';
import {
  normalizeAccountAliases,
  normalizeAccountSummary,
  normalizeOidcProvider,
  normalizeOidcProviderList,
  oidcProviderFromArn,
  normalizeSamlProviders,
  normalizeVirtualMfaDevices,
  type VirtualMfaDevice,
} from './iam-lists.js';

export type FileKind =
  | 'gaad'
  | 'credential-report'
  | 'virtual-mfa'
  | 'account-summary'
  | 'account-aliases'
  | 'oidc-list'
  | 'oidc-get'
  | 'saml-list';

const KIND_LABEL: Record<FileKind, string> = {
  gaad: 'get-account-authorization-details output',
  'credential-report': 'get-credential-report output',
  'virtual-mfa': 'list-virtual-mfa-devices output',
  'account-summary': 'get-account-summary output',
  'account-aliases': 'list-account-aliases output',
  'oidc-list': 'list-open-id-connect-providers output',
  'oidc-get': 'get-open-id-connect-provider output',
  'saml-list': 'list-saml-providers output',
};

/** Most specific first: `get-open-id-connect-provider` must not match the list's name. */
const NAME_PATTERNS: ReadonlyArray<[RegExp, FileKind]> = [
  [/get[-_]open[-_]id[-_]connect[-_]provider(?!s)/, 'oidc-get'],
  [/open[-_]id[-_]connect[-_]providers/, 'oidc-list'],
  [/credential[-_]report/, 'credential-report'],
  [/authorization[-_]details|authz/, 'gaad'],
  [/virtual[-_]mfa/, 'virtual-mfa'],
  [/account[-_]summary/, 'account-summary'],
  [/account[-_]aliases/, 'account-aliases'],
  [/saml[-_]providers/, 'saml-list'],
];

/** What a file's name says it holds; null for names that say nothing (cloudsplaining's `example.json`). */
export function kindFromName(fileName: string): FileKind | null {
  const name = fileName.toLowerCase();
  return NAME_PATTERNS.find(([pattern]) => pattern.test(name))?.[1] ?? null;
}

/** What a parsed JSON document holds, by its shape. */
export function kindFromContent(value: unknown): FileKind | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const has = (key: string) => key in value;
  if (isGaadPage(value)) return 'gaad';
  if (has('Content') && (has('GeneratedTime') || has('ReportFormat'))) return 'credential-report';
  if (has('VirtualMFADevices')) return 'virtual-mfa';
  if (has('SummaryMap')) return 'account-summary';
  if (has('AccountAliases')) return 'account-aliases';
  if (has('OpenIDConnectProviderList')) return 'oidc-list';
  if (has('Url') && (has('ClientIDList') || has('ThumbprintList'))) return 'oidc-get';
  if (has('SAMLProviderList')) return 'saml-list';
  return null;
}

interface InputFile {
  path: string;
  kind: FileKind;
  /** Parsed JSON, or the CSV text of a bare credential report. */
  content: unknown;
}

const ACCEPTED =
  'expected AWS CLI JSON output of get-account-authorization-details, get-credential-report, list-virtual-mfa-devices, get-account-summary, list-account-aliases, list-open-id-connect-providers, get-open-id-connect-provider or list-saml-providers';

function readText(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InputFileError(path, `cannot read (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`);
  }
  if (text.trim() === '') throw new InputFileError(path, 'is empty');
  return text;
}

function readInputFile(path: string): InputFile {
  const text = readText(path);
  const named = kindFromName(basename(path));
  // A decoded report saved under a .json name is still the report. Its header is checked column
  // by column when it is parsed, so a CSV of anything else gets a message naming the columns.
  if (path.toLowerCase().endsWith('.csv') || isCredentialReportCsv(text)) {
    if (named !== null && named !== 'credential-report') {
      throw new InputFileError(path, `holds CSV text, not what its name says (${KIND_LABEL[named]})`);
    }
    return { path, kind: 'credential-report', content: text };
  }
  let content: unknown;
  try {
    content = JSON.parse(text);
  } catch (error) {
    throw new InputFileError(path, `not valid JSON (${(error as Error).message}): is the file truncated?`);
  }
  const kind = kindFromContent(content);
  if (kind === null) {
    throw new InputFileError(
      path,
      named === null
        ? `not a file roleshift reads: ${ACCEPTED}`
        : `does not hold ${KIND_LABEL[named]}, as its name says`,
    );
  }
  if (named !== null && named !== kind) {
    throw new InputFileError(path, `holds ${KIND_LABEL[kind]}, not what its name says (${KIND_LABEL[named]})`);
  }
  return { path, kind, content };
}

function isDataFile(name: string): boolean {
  const lower = name.toLowerCase();
  return !name.startsWith('.') && (lower.endsWith('.json') || lower.endsWith('.csv'));
}

function entriesOf(dir: string): { files: string[]; folders: string[] } {
  let names: string[];
  try {
    names = readdirSync(dir).sort(compare);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputFileError(
      dir,
      code === 'ENOENT'
        ? 'no such folder'
        : code === 'ENOTDIR'
          ? 'is a file; --from takes a folder'
          : `cannot read folder (${code ?? 'unknown error'})`,
    );
  }
  const files: string[] = [];
  const folders: string[] = [];
  for (const name of names) {
    const path = join(dir, name);
    const stats = statSync(path, { throwIfNoEntry: false });
    if (stats === undefined) throw new InputFileError(path, 'cannot be read (a broken link?)');
    if (stats.isDirectory() && !name.startsWith('.')) folders.push(path);
    else if (stats.isFile() && isDataFile(name)) files.push(path);
  }
  return { files, folders };
}

const ACCOUNT_IN_ARN = /^arn:aws[\w-]*:iam::(\d{12}):/;

/** The account the files describe: the most frequent account id in their entity ARNs. */
function accountIdOf(folder: string, arns: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const arn of arns) {
    const id = ACCOUNT_IN_ARN.exec(arn)?.[1];
    if (id !== undefined) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  const best = [...counts.entries()].sort((a, b) => b[1] - a[1] || compare(a[0], b[0]))[0];
  if (best !== undefined) return best[0];
  const name = basename(folder);
  if (/^\d{12}$/.test(name)) return name;
  throw new InputFileError(
    folder,
    'cannot tell the account id: no ARN in the files names one; name the folder after the 12-digit account id',
  );
}

function single(files: InputFile[], kind: FileKind): InputFile | null {
  const matching = files.filter((file) => file.kind === kind);
  if (matching.length > 1) {
    throw new InputFileError(
      matching[1]?.path ?? '',
      `a second ${KIND_LABEL[kind]} for the same account (the first is ${matching[0]?.path ?? ''}); keep one`,
    );
  }
  return matching[0] ?? null;
}

/** Reads one account's folder of AWS CLI output files into an Account. */
export function readAccountFolder(folder: string, paths: readonly string[]): { account: Account; warnings: string[] } {
  const files = paths.map(readInputFile);
  const gaadFiles = files.filter((file) => file.kind === 'gaad');
  if (gaadFiles.length === 0) {
    throw new InputFileError(
      folder,
      'no get-account-authorization-details output here: run `aws iam get-account-authorization-details > gaad.json` for this account',
    );
  }
  const gaad = mergeGaad(gaadFiles.map((file) => normalizeGaad([file.content], file.path)));

  const reportFile = single(files, 'credential-report');
  let credentialReport: CredentialReport | null = null;
  if (reportFile !== null) {
    credentialReport =
      typeof reportFile.content === 'string'
        ? parseCredentialReportCsv(reportFile.content, reportFile.path, UNKNOWN)
        : parseCredentialReportDocument(
            reportFile.content as { Content?: unknown; GeneratedTime?: unknown },
            reportFile.path,
          );
  }

  const entityAccounts = new Set(
    [...gaad.users, ...gaad.roles, ...gaad.groups, ...(credentialReport?.rows ?? [])]
      .map((entity) => ACCOUNT_IN_ARN.exec(entity.arn)?.[1])
      .filter((id): id is string => id !== undefined),
  );
  if (entityAccounts.size > 1) {
    throw new InputFileError(
      folder,
      `the files describe more than one account (${[...entityAccounts].sort(compare).join(', ')}): put each account's files in its own sub-folder`,
    );
  }
  const arns = [
    ...[...gaad.users, ...gaad.roles, ...gaad.groups].map((entity) => entity.arn),
    ...gaad.policies.filter((policy) => !policy.awsManaged).map((policy) => policy.arn),
    ...(credentialReport?.rows.map((row) => row.arn) ?? []),
  ];
  const accountId = accountIdOf(folder, arns);

  const mfaFile = single(files, 'virtual-mfa');
  const virtualMfaDevices: VirtualMfaDevice[] | null =
    mfaFile === null ? null : normalizeVirtualMfaDevices(mfaFile.content, mfaFile.path);
  const summaryFile = single(files, 'account-summary');
  const aliasesFile = single(files, 'account-aliases');
  const samlFile = single(files, 'saml-list');
  const warnings: string[] = [];
  const oidcProviders = readOidcProviders(files, accountId, warnings);

  const built = buildAccount({
    accountId,
    gaad,
    credentialReport,
    virtualMfaDevices,
    accountSummary: summaryFile === null ? null : normalizeAccountSummary(summaryFile.content, summaryFile.path),
    aliases: aliasesFile === null ? null : normalizeAccountAliases(aliasesFile.content, aliasesFile.path),
    oidcProviders,
    samlProviders: samlFile === null ? null : normalizeSamlProviders(samlFile.content, samlFile.path),
  });
  return { account: built.account, warnings: [...warnings, ...built.warnings] };
}

/**
 * One `get-open-id-connect-provider` file per provider; the list file, when present, says which
 * providers exist. A listed provider without its get file is kept with what its ARN tells.
 */
function readOidcProviders(files: InputFile[], accountId: string, warnings: string[]): OidcProvider[] | null {
  const listFile = single(files, 'oidc-list');
  const details = files
    .filter((file) => file.kind === 'oidc-get')
    .map((file) => normalizeOidcProvider(file.content, null, accountId, file.path));
  if (listFile === null && details.length === 0) return null;
  const byArn = new Map(details.map((provider) => [provider.arn, provider]));
  if (listFile !== null) {
    const missing: string[] = [];
    for (const arn of normalizeOidcProviderList(listFile.content, listFile.path)) {
      if (byArn.has(arn)) continue;
      missing.push(arn);
      byArn.set(arn, oidcProviderFromArn(arn));
    }
    if (missing.length > 0) {
      warnings.push(
        `account ${accountId}: no get-open-id-connect-provider file for ${missing.join(', ')}: audiences and thumbprints unknown`,
      );
    }
  }
  return [...byArn.values()];
}

/**
 * Reads the AWS CLI output files of one account, or of several accounts in one sub-folder each,
 * into a Snapshot. Every problem with the input throws a one-line `InputFileError` naming the
 * file before anything is returned, so a caller never writes a half-read estate.
 */
export async function collectFromFiles(dir: string, options: { now: () => Date }): Promise<Snapshot> {
  const startedAt = options.now();
  const top = entriesOf(dir);
  const folders: Array<{ folder: string; files: string[] }> = [];
  if (top.files.length > 0) folders.push({ folder: dir, files: top.files });
  else {
    // A sub-folder without .json/.csv files is not an account (a CloudTrail sample beside them).
    for (const folder of top.folders) {
      const inner = entriesOf(folder);
      if (inner.files.length > 0) folders.push({ folder, files: inner.files });
    }
  }
  if (folders.length === 0) {
    throw new UserInputError(
      `${dir}: no AWS CLI output files (.json or .csv) here: put get-account-authorization-details and get-credential-report outputs in it, or one sub-folder per account`,
    );
  }

  const accounts: Account[] = [];
  const warnings: string[] = [];
  const folderOf = new Map<string, string>();
  const now = options.now();
  for (const { folder, files } of folders) {
    const { account, warnings: accountWarnings } = readAccountFolder(folder, files);
    const earlier = folderOf.get(account.accountId);
    if (earlier !== undefined)
      throw new InputFileError(folder, `holds account ${account.accountId} again (already read from ${earlier})`);
    folderOf.set(account.accountId, folder);
    accounts.push(account);
    warnings.push(...accountWarnings);
    const stale = staleReportWarning(account, now, DEFAULT_CONFIG.thresholds.credentialReportMaxAgeHours);
    if (stale !== null) warnings.push(stale);
  }
  accounts.sort((a, b) => compare(a.accountId, b.accountId));

  return SnapshotSchema.parse({
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    collection: {
      source: 'files',
      startedAt: startedAt.toISOString(),
      finishedAt: options.now().toISOString(),
      toolVersion: TOOL_VERSION,
      apiCalls: {},
      origin: dir,
      warnings,
    },
    accounts,
    gaps: [],
  });
}
