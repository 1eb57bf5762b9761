import { InputFileError } from '../errors.js';
import type { RootAccess } from '../model/organization.js';
import type { Gap } from '../model/snapshot.js';
import { FILE_KINDS } from './file-kinds.js';
import { isRecord, optionalStringAt, readShape, recordAt, recordsAt, requiredStringAt, stringsAt } from './shape.js';

/**
 * `aws organizations list-accounts` saved beside the account folders says which accounts should
 * be there. An active account without a folder would otherwise be invisible: the estate would
 * simply be smaller. Each one becomes a gap.
 */

export interface OrganizationFile {
  path: string;
  content: unknown;
  continues: boolean;
}

/** The ids of the accounts that are not suspended or closed (`Status`, or the newer `State`). */
export function activeAccountIds(answer: unknown, source: string): string[] {
  if (!isRecord(answer) || !('Accounts' in answer)) {
    throw new InputFileError(source, 'not a ListAccounts answer (no Accounts)');
  }
  return readShape(source, () =>
    recordsAt(answer, 'Accounts', [])
      .filter(({ entry, path }) => {
        const status = optionalStringAt(entry, 'State', path) ?? optionalStringAt(entry, 'Status', path) ?? 'ACTIVE';
        return status === 'ACTIVE';
      })
      .map(({ entry, path }) => requiredStringAt(entry, 'Id', path)),
  );
}

/** Gaps for listed active accounts that nothing read, and for a list that says more pages follow. */
export function organizationAccountGaps(files: readonly OrganizationFile[], seen: ReadonlyArray<string | null>): Gap[] {
  const known = new Set(seen);
  const gaps: Gap[] = [];
  const api = FILE_KINDS['organization-accounts'].api;
  for (const file of files) {
    if (file.continues) {
      gaps.push({
        accountId: null,
        region: null,
        api,
        errorCode: 'Truncated',
        message: `${file.path} says more accounts follow (NextToken): export again without --max-items`,
      });
    }
    for (const id of activeAccountIds(file.content, file.path)) {
      if (known.has(id)) continue;
      known.add(id);
      gaps.push({
        accountId: id,
        region: null,
        api: FILE_KINDS.gaad.api,
        errorCode: 'FolderMissing',
        message: `account ${id} is active in ${file.path} but no folder holds its files: its users are unknown`,
      });
    }
  }
  return gaps;
}

/** `aws iam list-organizations-features` saved in the management account's folder. */
export interface RootAccessFile {
  path: string;
  /** The folder's account: the management account that answered. */
  accountId: string | null;
  content: unknown;
}

/**
 * The organization's centralised root access from its file, or the gap that names the missing
 * file of an Organization export (one with its account list): never read as "not enabled".
 */
export function rootAccessFromFiles(
  files: readonly RootAccessFile[],
  isOrganizationExport: boolean,
): { rootAccess?: RootAccess; gaps: Gap[] } {
  const info = FILE_KINDS['organization-features'];
  const file = files[0];
  if (file === undefined) {
    if (!isOrganizationExport) return { gaps: [] };
    const message = `no ${info.fileName} in the management account's folder: ${info.lacks}`;
    return { gaps: [{ accountId: null, region: null, api: info.api, errorCode: 'FileMissing', message }] };
  }
  if (file.accountId === null)
    throw new InputFileError(file.path, "belongs in the management account's folder (its account id names it)");
  const managementAccountId = file.accountId;
  const rootAccess = readShape(file.path, () => {
    const answer = recordAt(file.content, []);
    return {
      organizationId: optionalStringAt(answer, 'OrganizationId', []),
      managementAccountId,
      enabledFeatures: stringsAt(answer, 'EnabledFeatures', []).sort(),
    };
  });
  return { rootAccess, gaps: [] };
}
