import type { Snapshot } from '../model/snapshot.js';
import type { CheckResult } from './check.js';
import type { ExceptionEntry } from './exceptions.js';

type Subject = Pick<CheckResult, 'accountId' | 'resourceType' | 'resourceArn' | 'resourceName' | 'location'>;

/** The register entry as a finding's subject, pointing at its line in the register file. */
export function exceptionSubject(snapshot: Snapshot, entry: ExceptionEntry): Subject {
  const account = snapshot.accounts.find((a) => a.accountId === entry.account);
  const user = account?.users.find((u) => u.name === entry.user);
  return {
    accountId: entry.account,
    resourceType: 'exception',
    resourceArn: user?.arn ?? null,
    resourceName: `${entry.account}/${entry.user}`,
    location: { file: entry.source.file, line: entry.source.line, pointer: null },
  };
}

export function exceptionResult(status: CheckResult['status'], subject: Subject, message: string): CheckResult {
  return { status, ...subject, message };
}
