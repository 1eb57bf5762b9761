import type { Gap } from '../model/snapshot.js';
import { ACCOUNT_FILE_KINDS, FILE_KINDS, kindLabel, type FileKind } from './file-kinds.js';
import type { Gaad } from './gaad.js';

/**
 * How complete one account folder is, as gaps. A snapshot from files must never look more
 * complete than the files are: a missing file, a page that says more pages follow, or fewer
 * entities than IAM's own account summary counts each become a gap (exit code 3, "at least" in
 * the headline), never a warning that scrolls by. Pure: it looks only at what was read.
 */

export interface ReadFile {
  /** As shown to the user (relative to the `--from` folder). */
  path: string;
  kind: FileKind;
  /** The file says more pages follow: `IsTruncated: true`, a `Marker` or a `NextToken`. */
  continues: boolean;
}

export interface AccountFolderFacts {
  accountId: string;
  /** As shown to the user. */
  folder: string;
  files: readonly ReadFile[];
  gaad: Gaad;
  summary: Record<string, number> | null;
  /** OIDC providers the list names without their get-open-id-connect-provider file. */
  providersWithoutDetails: readonly string[];
  /** Users in the authorization details without a row in the credential report that is there. */
  usersWithoutReportRow: number;
}

export function fileGap(accountId: string, kind: FileKind, errorCode: string, message: string): Gap {
  return { accountId, region: null, api: FILE_KINDS[kind].api, errorCode, message };
}

function missingFileGaps(facts: AccountFolderFacts): Gap[] {
  const present = new Set(facts.files.map((file) => file.kind));
  const missing = ACCOUNT_FILE_KINDS.filter((kind) => kind !== 'gaad' && !present.has(kind));
  const gaps = missing.map((kind) =>
    fileGap(
      facts.accountId,
      kind,
      'FileMissing',
      `no ${FILE_KINDS[kind].fileName} (${kindLabel(kind)}) in ${facts.folder}: ${FILE_KINDS[kind].lacks}`,
    ),
  );
  for (const arn of facts.providersWithoutDetails) {
    gaps.push(
      fileGap(
        facts.accountId,
        'oidc-get',
        'FileMissing',
        `no get-open-id-connect-provider file for ${arn} in ${facts.folder}: ${FILE_KINDS['oidc-get'].lacks}`,
      ),
    );
  }
  return gaps;
}

const COUNTED: ReadonlyArray<[keyof Gaad, string, string]> = [
  ['users', 'Users', 'users'],
  ['groups', 'Groups', 'groups'],
  ['roles', 'Roles', 'roles'],
];

/** IAM's account summary counts every user, group and role: fewer in the details means some are missing. */
function countGaps(facts: AccountFolderFacts): Gap[] {
  if (facts.summary === null) return [];
  const gaps: Gap[] = [];
  for (const [list, summaryKey, noun] of COUNTED) {
    const counted = facts.summary[summaryKey];
    const read = facts.gaad[list].length;
    if (counted === undefined || read >= counted) continue;
    gaps.push(
      fileGap(
        facts.accountId,
        'gaad',
        'Incomplete',
        `the authorization details in ${facts.folder} list ${read} ${noun}, IAM's account summary counts ${counted}: a page is missing or the export was filtered`,
      ),
    );
  }
  return gaps;
}

/**
 * Pages that say more follow. GAAD saved page by page is accepted only when one page is the last
 * and IAM's account summary confirms the counts; any other list page that continues is short.
 */
function truncationGaps(facts: AccountFolderFacts, countsConfirmed: boolean): Gap[] {
  const gaps: Gap[] = [];
  const gaadFiles = facts.files.filter((file) => file.kind === 'gaad');
  const gaadPagesComplete = gaadFiles.some((file) => !file.continues) && countsConfirmed;
  for (const file of facts.files) {
    if (!file.continues || (file.kind === 'gaad' && gaadPagesComplete)) continue;
    const remedy =
      file.kind === 'gaad' && facts.summary === null
        ? `add ${FILE_KINDS['account-summary'].fileName} so the pages can be checked, or export without --max-items / --no-paginate`
        : 'export again without --max-items / --no-paginate (the AWS CLI then merges every page)';
    gaps.push(
      fileGap(
        facts.accountId,
        file.kind,
        'Truncated',
        `${file.path} says more pages follow (IsTruncated, Marker or NextToken) and they are not all here: ${remedy}`,
      ),
    );
  }
  return gaps;
}

/** Users newer than the report: whether they have a password or keys is not in any file. */
function reportCoverageGaps(facts: AccountFolderFacts): Gap[] {
  if (facts.usersWithoutReportRow === 0) return [];
  return [
    fileGap(
      facts.accountId,
      'credential-report',
      'Incomplete',
      `${facts.usersWithoutReportRow} user(s) in the authorization details in ${facts.folder} are not in its credential report (created after it was generated?): their passwords and keys are unknown; export both again together`,
    ),
  ];
}

/** Every gap of one account folder, in a stable order. */
export function accountFolderGaps(facts: AccountFolderFacts): Gap[] {
  const counts = countGaps(facts);
  const countsConfirmed = facts.summary !== null && counts.length === 0;
  return [
    ...truncationGaps(facts, countsConfirmed),
    ...counts,
    ...reportCoverageGaps(facts),
    ...missingFileGaps(facts),
  ];
}

/** The gap for an account whose authorization details could not be read at all. */
export function accountLeftOutGap(accountId: string | null, errorCode: string, message: string): Gap {
  return { accountId, region: null, api: FILE_KINDS.gaad.api, errorCode, message };
}
