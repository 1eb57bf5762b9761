import { readFileSync } from 'node:fs';
import { basename, relative } from 'node:path';
import { DEFAULT_CONFIG } from '../config.js';
import { InputFileError } from '../errors.js';
import {
  SNAPSHOT_SCHEMA_VERSION,
  SnapshotSchema,
  type Account,
  type Gap,
  type InputsRead,
  type OidcProvider,
  type Snapshot,
} from '../model/snapshot.js';
import { UNKNOWN } from '../model/when.js';
import { TOOL_VERSION } from '../version.js';
import { readAccessAdvisorFiles } from './access-advisor-files.js';
import { buildAccount, staleReportWarnings } from './build-account.js';
import {
  isCredentialReportCsv,
  parseCredentialReportCsv,
  parseCredentialReportDocument,
  type CredentialReport,
} from './credential-report.js';
import { accountFolderGaps, accountLeftOutGap, type ReadFile } from './file-completeness.js';
import { FILE_KINDS, kindFromContent, kindFromName, kindLabel, type FileKind } from './file-kinds.js';
import { accountIdOfFolder, readFolderLayout, type AccountFolder, type FolderLayout } from './folder-layout.js';
import { compare, gaadPageContinues, mergeGaad, normalizeGaad, type Gaad } from './gaad.js';
import {
  normalizeAccountAliases,
  normalizeAccountSummary,
  normalizeOidcProvider,
  normalizeOidcProviderList,
  normalizeSamlProviders,
  normalizeVirtualMfaDevices,
  oidcProviderFromArn,
  type VirtualMfaDevice,
} from './iam-lists.js';
import { normalizePasswordPolicy, normalizeServerCertificates } from './iam-settings.js';
import { decodeInputBytes, parseJsonInput } from '../input-text.js';
import { organizationAccountGaps, rootAccessFromFiles, type RootAccessFile } from './organization-file.js';

interface InputFile extends ReadFile {
  /** Parsed JSON, or the CSV text of a bare credential report. */
  content: unknown;
}

const ACCEPTED = `expected AWS CLI JSON output of ${Object.values(FILE_KINDS)
  .map((info) => info.command.replace(/^iam /, ''))
  .join(', ')}`;

function readText(path: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new InputFileError(path, `cannot read (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`);
  }
  const text = decodeInputBytes(bytes, path);
  if (text.trim() === '') throw new InputFileError(path, 'is empty');
  return text;
}

/** `IsTruncated`, `Marker` and `NextToken` mean the same for every paged list answer. */
function continues(kind: FileKind, content: unknown): boolean {
  return kind !== 'credential-report' && gaadPageContinues(content);
}

function readInputFile(path: string): InputFile {
  const text = readText(path);
  const named = kindFromName(basename(path));
  // A decoded report saved under a .json name is still the report. Its header is checked column
  // by column when it is parsed, so a CSV of anything else gets a message naming the columns.
  if (path.toLowerCase().endsWith('.csv') || isCredentialReportCsv(text)) {
    if (named !== null && named !== 'credential-report') {
      throw new InputFileError(path, `holds CSV text, not what its name says (${kindLabel(named)})`);
    }
    return { path, kind: 'credential-report', content: text, continues: false };
  }
  const content = parseJsonInput(text, path);
  const kind = kindFromContent(content);
  if (kind === null) {
    throw new InputFileError(
      path,
      named === null
        ? `not a file roleshift reads: ${ACCEPTED}`
        : `does not hold ${kindLabel(named)}, as its name says`,
    );
  }
  if (named !== null && named !== kind) {
    throw new InputFileError(path, `holds ${kindLabel(kind)}, not what its name says (${kindLabel(named)})`);
  }
  return { path, kind, content, continues: continues(kind, content) };
}

const ACCOUNT_IN_ARN = /^arn:aws[\w-]*:iam::(\d{12}):/;

/** The account the files describe: the most frequent account id in their entity ARNs. */
function accountIdOf(arns: readonly string[], folder: string): string | null {
  const counts = new Map<string, number>();
  for (const arn of arns) {
    const id = ACCOUNT_IN_ARN.exec(arn)?.[1];
    if (id !== undefined) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  const best = [...counts.entries()].sort((a, b) => b[1] - a[1] || compare(a[0], b[0]))[0];
  if (best !== undefined) return best[0];
  const name = basename(folder);
  return /^\d{12}$/.test(name) ? name : null;
}

function single(files: InputFile[], kind: FileKind): InputFile | null {
  const matching = files.filter((file) => file.kind === kind);
  if (matching.length > 1) {
    throw new InputFileError(
      matching[1]?.path ?? '',
      `a second ${kindLabel(kind)} for the same account (the first is ${matching[0]?.path ?? ''}); keep one`,
    );
  }
  return matching[0] ?? null;
}

function readCredentialReport(files: InputFile[]): CredentialReport | null {
  const reportFile = single(files, 'credential-report');
  if (reportFile === null) return null;
  return typeof reportFile.content === 'string'
    ? parseCredentialReportCsv(reportFile.content, reportFile.path, UNKNOWN)
    : parseCredentialReportDocument(
        reportFile.content as { Content?: unknown; GeneratedTime?: unknown },
        reportFile.path,
      );
}

/** The account id, checked to be one: the files of two accounts in one folder are an input error. */
function accountOfFolder(folder: string, gaad: Gaad, report: CredentialReport | null): string {
  const entities = [...gaad.users, ...gaad.roles, ...gaad.groups, ...(report?.rows ?? [])];
  const accounts = new Set(
    entities.map((entity) => ACCOUNT_IN_ARN.exec(entity.arn)?.[1]).filter((id): id is string => id !== undefined),
  );
  if (accounts.size > 1) {
    throw new InputFileError(
      folder,
      `the files describe more than one account (${[...accounts].sort(compare).join(', ')}): put each account's files in its own sub-folder`,
    );
  }
  const arns = [
    ...entities.map((entity) => entity.arn),
    ...gaad.policies.filter((policy) => !policy.awsManaged).map((policy) => policy.arn),
  ];
  const accountId = accountIdOf(arns, folder);
  if (accountId === null) {
    throw new InputFileError(
      folder,
      'cannot tell the account id: no ARN in the files names one; name the folder after the 12-digit account id',
    );
  }
  return accountId;
}

export interface AccountFolderResult {
  /** Null when the folder has no authorization details: its users are unknown (see the gaps). */
  account: Account | null;
  gaps: Gap[];
  warnings: string[];
  reads: Array<ReadFile & { accountId: string | null }>;
}

/** What the folder's files say about an account without its authorization details. */
function accountLeftOut(folder: AccountFolder, files: InputFile[]): AccountFolderResult {
  const report = files.some((file) => file.kind === 'credential-report') ? readCredentialReport(files) : null;
  const accountId = accountIdOf(report?.rows.map((row) => row.arn) ?? [], folder.path);
  const gap = accountLeftOutGap(
    accountId,
    'FileMissing',
    `no ${FILE_KINDS.gaad.fileName} (${kindLabel('gaad')}) in ${folder.path}: ${FILE_KINDS.gaad.lacks}`,
  );
  return { account: null, gaps: [gap], warnings: [], reads: files.map((file) => readOf(file, accountId)) };
}

function readOf(file: InputFile, accountId: string | null): ReadFile & { accountId: string | null } {
  return { path: file.path, kind: file.kind, continues: file.continues, accountId };
}

/** Reads one account's folder of AWS CLI output files into an Account, with what it lacks as gaps. */
export function readAccountFolder(folder: AccountFolder, files: InputFile[]): AccountFolderResult {
  const gaadFiles = files.filter((file) => file.kind === 'gaad');
  if (gaadFiles.length === 0) return accountLeftOut(folder, files);
  const gaad = mergeGaad(gaadFiles.map((file) => normalizeGaad([file.content], file.path)));
  const credentialReport = readCredentialReport(files);
  const accountId = accountOfFolder(folder.path, gaad, credentialReport);

  const mfaFile = single(files, 'virtual-mfa');
  const virtualMfaDevices: VirtualMfaDevice[] | null =
    mfaFile === null ? null : normalizeVirtualMfaDevices(mfaFile.content, mfaFile.path);
  const summaryFile = single(files, 'account-summary');
  const summary = summaryFile === null ? null : normalizeAccountSummary(summaryFile.content, summaryFile.path);
  const aliasesFile = single(files, 'account-aliases');
  const samlFile = single(files, 'saml-list');
  const passwordFile = single(files, 'password-policy');
  const certificatesFile = single(files, 'server-certificates');
  const oidc = readOidcProviders(files, accountId);

  const built = buildAccount({
    accountId,
    gaad,
    credentialReport,
    virtualMfaDevices,
    accountSummary: summary,
    aliases: aliasesFile === null ? null : normalizeAccountAliases(aliasesFile.content, aliasesFile.path),
    oidcProviders: oidc.providers,
    samlProviders: samlFile === null ? null : normalizeSamlProviders(samlFile.content, samlFile.path),
    passwordPolicy: passwordFile === null ? null : normalizePasswordPolicy(passwordFile.content, passwordFile.path),
    serverCertificates:
      certificatesFile === null ? null : normalizeServerCertificates(certificatesFile.content, certificatesFile.path),
  });
  const gaps = accountFolderGaps({
    accountId,
    folder: folder.path,
    files,
    gaad,
    summary,
    providersWithoutDetails: oidc.withoutDetails,
    usersWithoutReportRow:
      credentialReport === null ? 0 : built.account.users.filter((user) => !user.inCredentialReport).length,
  });
  const advisor = readAccessAdvisorFiles(files, built.account);
  return {
    account: advisor.advisor === null ? built.account : { ...built.account, accessAdvisor: advisor.advisor },
    gaps: [...gaps, ...advisor.gaps],
    warnings: built.warnings,
    reads: files.map((file) => readOf(file, accountId)),
  };
}

/**
 * One `get-open-id-connect-provider` file per provider; the list file, when present, says which
 * providers exist. A listed provider without its get file is kept with what its ARN tells.
 */
function readOidcProviders(
  files: InputFile[],
  accountId: string,
): { providers: OidcProvider[] | null; withoutDetails: string[] } {
  const listFile = single(files, 'oidc-list');
  const details = files
    .filter((file) => file.kind === 'oidc-get')
    .map((file) => normalizeOidcProvider(file.content, null, accountId, file.path));
  if (listFile === null && details.length === 0) return { providers: null, withoutDetails: [] };
  const byArn = new Map(details.map((provider) => [provider.arn, provider]));
  const withoutDetails: string[] = [];
  for (const arn of listFile === null ? [] : normalizeOidcProviderList(listFile.content, listFile.path)) {
    if (byArn.has(arn)) continue;
    withoutDetails.push(arn);
    byArn.set(arn, oidcProviderFromArn(arn));
  }
  return { providers: [...byArn.values()], withoutDetails };
}

export interface FilesScanOptions {
  now: () => Date;
  /** Progress for people: which folders were read and which were not. */
  log?: (line: string) => void;
}

interface FolderResults {
  accounts: Account[];
  gaps: Gap[];
  warnings: string[];
  reads: InputsRead['files'];
  leftOut: AccountFolder[];
}

function readFolders(folders: ReadonlyArray<{ folder: AccountFolder; files: InputFile[] }>, now: Date): FolderResults {
  const results: FolderResults = { accounts: [], gaps: [], warnings: [], reads: [], leftOut: [] };
  const folderOf = new Map<string, string>();
  for (const { folder, files } of folders) {
    const result = readAccountFolder(folder, files);
    results.gaps.push(...result.gaps);
    results.warnings.push(...result.warnings);
    results.reads.push(...result.reads);
    const account = result.account;
    if (account === null) {
      results.leftOut.push(folder);
      continue;
    }
    const earlier = folderOf.get(account.accountId);
    if (earlier !== undefined)
      throw new InputFileError(folder.path, `holds account ${account.accountId} again (already read from ${earlier})`);
    folderOf.set(account.accountId, folder.path);
    results.accounts.push(account);
  }
  results.warnings.push(
    ...staleReportWarnings(results.accounts, now, DEFAULT_CONFIG.thresholds.credentialReportMaxAgeHours),
  );
  return results;
}

/** Every file of every folder, parsed; the organization's own answers apart from the accounts' files. */
function readAllFiles(layout: FolderLayout): {
  folders: Array<{ folder: AccountFolder; files: InputFile[] }>;
  organizationFiles: InputFile[];
  rootAccessFiles: RootAccessFile[];
} {
  const read = layout.accountFolders.map((folder) => ({ folder, files: folder.files.map(readInputFile) }));
  const isOrganization = (file: InputFile) =>
    file.kind === 'organization-accounts' || file.kind === 'organization-features';
  return {
    folders: read
      .map(({ folder, files }) => ({ folder, files: files.filter((file) => !isOrganization(file)) }))
      .filter(({ files }) => files.length > 0),
    organizationFiles: read.flatMap(({ files }) => files.filter((file) => file.kind === 'organization-accounts')),
    rootAccessFiles: read.flatMap(({ folder, files }) =>
      files
        .filter((file) => file.kind === 'organization-features')
        .map((file) => ({ path: file.path, accountId: accountIdOfFolder(folder.path), content: file.content })),
    ),
  };
}

/**
 * Reads the AWS CLI output files of one account, or of several accounts in one sub-folder each,
 * into a Snapshot. A file of an unknown shape is a one-line `InputFileError` naming the file and
 * the path of the value, thrown before anything is returned. What is missing (a file, a page, a
 * folder that cannot be read, an account of the organization without a folder) becomes a gap
 * saying what the snapshot lacks because of it: never a smaller estate that reads as complete.
 */
export async function collectFromFiles(dir: string, options: FilesScanOptions): Promise<Snapshot> {
  const startedAt = options.now();
  const layout = readFolderLayout(dir);
  const { folders, organizationFiles, rootAccessFiles } = readAllFiles(layout);
  const rootAccess = rootAccessFromFiles(rootAccessFiles, organizationFiles.length > 0);
  const results = readFolders(folders, options.now());
  const first = results.leftOut[0];
  if (results.accounts.length === 0 && first !== undefined && layout.unreadableFolders.length === 0) {
    throw new InputFileError(
      first.path,
      'no get-account-authorization-details output here: run `aws iam get-account-authorization-details --output json > get-account-authorization-details.json` for this account (roleshift export-script prints every command)',
    );
  }
  const gaps = [
    ...layout.unreadableFolders.map((folder) => accountLeftOutGap(folder.accountId, folder.code, folder.message)),
    ...results.gaps,
    ...organizationAccountGaps(organizationFiles, [
      ...results.accounts.map((account) => account.accountId),
      ...results.gaps.map((gap) => gap.accountId),
      ...layout.unreadableFolders.map((folder) => folder.accountId),
    ]),
    ...rootAccess.gaps,
  ];
  for (const skipped of layout.skippedFolders)
    options.log?.(`not an account folder: ${skipped.path} (${skipped.reason})`);
  results.accounts.sort((a, b) => compare(a.accountId, b.accountId));
  const reads = [
    ...results.reads,
    ...organizationFiles.map((file) => readOf(file, null)),
    ...rootAccessFiles.map((file) => ({
      path: file.path,
      kind: 'organization-features' as const,
      continues: false,
      accountId: file.accountId,
    })),
  ];
  return SnapshotSchema.parse({
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    collection: {
      source: 'files',
      startedAt: startedAt.toISOString(),
      finishedAt: options.now().toISOString(),
      toolVersion: TOOL_VERSION,
      apiCalls: {},
      origin: dir,
      warnings: results.warnings,
      inputs: {
        files: reads.map((read) => ({ ...read, path: relative(dir, read.path) || basename(read.path) })),
        skippedFolders: layout.skippedFolders,
      },
    },
    accounts: results.accounts,
    gaps,
    ...(rootAccess.rootAccess ? { rootAccess: rootAccess.rootAccess } : {}),
  });
}
