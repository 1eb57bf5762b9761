import { basename } from 'node:path';
import type { AccessAdvisor, PrincipalAccess } from '../model/access-advisor.js';
import type { Account, Gap } from '../model/snapshot.js';
import { byService, normalizeServiceLastAccessedPage } from './access-advisor-shape.js';
import { fileGap, type ReadFile } from './file-completeness.js';
import { FILE_KINDS } from './file-kinds.js';
import { compare } from './gaad.js';

/**
 * `get-service-last-accessed-details-<user>.json` files of one account folder, as
 * `export-script --access-advisor` writes them: AWS's answer does not name the principal, so the
 * file name does. A folder with none has no access advisor data (the export did not ask for it);
 * a folder with some must have one per user, and a user without one is a gap that names it.
 */

const USER_IN_NAME = /service[-_]last[-_]accessed[-_]details[-_](.+)\.json$/i;

type AdvisorFile = ReadFile & { content: unknown };

/** How many missing users a gap names before it only counts the rest. */
const NAMED = 5;

function readReport(
  file: AdvisorFile,
  arn: string,
  accountId: string,
): { report: PrincipalAccess | null; gaps: Gap[] } {
  const page = normalizeServiceLastAccessedPage(file.content, file.path);
  if (page.status !== 'COMPLETED') {
    const why = page.status === 'FAILED' ? `FAILED (${page.error?.message ?? 'AWS gave no reason'})` : 'IN_PROGRESS';
    const message = `${file.path}: the report job was ${why} when exported: export it again`;
    return { report: null, gaps: [fileGap(accountId, 'access-advisor', `Job${page.status}`, message)] };
  }
  // A page that says more follow is a Truncated gap of the folder already (file-completeness.ts).
  const report: PrincipalAccess = {
    arn,
    kind: 'user',
    generatedAt: page.generatedAt,
    complete: !page.continues,
    services: byService(page.items),
  };
  return { report, gaps: [] };
}

function missingGap(accountId: string, users: string[]): Gap {
  const shown = users.slice(0, NAMED).join(', ') + (users.length > NAMED ? ` and ${users.length - NAMED} more` : '');
  const message = `no ${FILE_KINDS['access-advisor'].fileName} for ${users.length} user(s) (${shown}): ${FILE_KINDS['access-advisor'].lacks}`;
  return fileGap(accountId, 'access-advisor', 'FileMissing', message);
}

/** The folder's access advisor reports by user, and what is missing or unfinished as gaps. */
export function readAccessAdvisorFiles(
  files: ReadonlyArray<AdvisorFile>,
  account: Account,
): { advisor: AccessAdvisor | null; gaps: Gap[] } {
  const advisorFiles = files.filter((file) => file.kind === 'access-advisor');
  if (advisorFiles.length === 0) return { advisor: null, gaps: [] };
  const users = new Map(account.users.map((user) => [user.name, user]));
  const principals: PrincipalAccess[] = [];
  const gaps: Gap[] = [];
  const seen = new Set<string>();
  for (const file of advisorFiles) {
    const name = USER_IN_NAME.exec(basename(file.path))?.[1] ?? '';
    const user = users.get(name);
    if (user === undefined) {
      const message = `${file.path}: the file name names no user of the account (expected ${FILE_KINDS['access-advisor'].fileName})`;
      gaps.push(fileGap(account.accountId, 'access-advisor', 'UnknownUser', message));
      continue;
    }
    seen.add(name);
    const read = readReport(file, user.arn, account.accountId);
    if (read.report !== null) principals.push(read.report);
    gaps.push(...read.gaps);
  }
  const missing = account.users.map((user) => user.name).filter((name) => !seen.has(name));
  if (missing.length > 0) gaps.push(missingGap(account.accountId, missing));
  return { advisor: { principals: principals.sort((a, b) => compare(a.arn, b.arn)) }, gaps };
}
