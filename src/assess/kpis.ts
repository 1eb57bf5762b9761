import type { Classification, UserClass } from '../model/classification.js';
import type { Snapshot, User } from '../model/snapshot.js';
import type { Usage } from '../model/usage.js';

/** An exception from the register: a user kept on purpose, reviewed from time to time. */
export interface ExceptionReview {
  accountId: string;
  userName: string;
  /** ISO-8601; null when never reviewed since registration (then `registeredAt` counts). */
  lastReviewedAt: string | null;
  /** Null when the register does not say; a never-reviewed entry then has no age. */
  registeredAt: string | null;
}

/** A user taken off long-lived credentials: deleted, or registered as an exception. */
export interface Remediation {
  accountId: string;
  userName: string;
  userCreatedAt: string;
  remediatedAt: string;
  kind: 'deleted' | 'exception';
}

export interface KpiInput {
  snapshot: Snapshot;
  /** The classifier (`classifyUsers` bound to its config), so KPIs and findings agree on who is human. */
  classify: (snapshot: Snapshot) => Classification[];
  exceptions?: readonly ExceptionReview[];
  remediations?: readonly Remediation[];
  now: Date;
}

export interface Kpis {
  usersWithLongLivedCredentials: {
    total: number;
    humans: number;
    machines: number;
    breakGlass: number;
    unknown: number;
  };
  activeAccessKeys: number;
  /** Human access through Identity Center / SAML versus IAM-user events; null without CloudTrail. */
  humanAccess: { idpEvents: number; iamUserEvents: number; idpShare: number | null } | null;
  /** Days from CreateUser to deletion or exception; null values when nothing was remediated. */
  daysToRemediation: { count: number; median: number | null; p90: number | null };
  /** Oldest review first; `days` is null for an entry never reviewed, which sorts first. */
  exceptionReviewAgeDays: Array<{ accountId: string; userName: string; days: number | null }>;
}

const MACHINE_CLASSES: ReadonlySet<UserClass> = new Set(['ci-cd', 'workload', 'third-party']);

function hasLongLivedCredential(user: User): boolean {
  return (
    user.password.enabled ||
    user.accessKeys.some((key) => key.status === 'Active') ||
    user.signingCertificates.some((cert) => cert.active)
  );
}

/** Nearest-rank percentile: the value at or below which `p` of the values lie. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1] ?? null;
}

function dayDiff(from: string, to: string): number {
  return Math.max(0, Math.floor((Date.parse(to) - Date.parse(from)) / 86_400_000));
}

function humanAccess(usage: Usage, humanUserArns: ReadonlySet<string>): Kpis['humanAccess'] {
  const samlRoles = new Set(
    usage.federatedSessions.filter((s) => s.kind === 'saml' && s.roleArn !== null).map((s) => s.roleArn),
  );
  let idpEvents = 0;
  let iamUserEvents = 0;
  for (const principal of usage.principals) {
    const identityCenter = /:assumed-role\/AWSReservedSSO_/.test(principal.arn);
    const saml =
      principal.type === 'SAMLUser' ||
      (principal.sessionIssuerArn !== null && samlRoles.has(principal.sessionIssuerArn));
    if (identityCenter || saml) idpEvents += principal.events;
    else if (principal.type === 'IAMUser' && humanUserArns.has(principal.arn)) iamUserEvents += principal.events;
  }
  const total = idpEvents + iamUserEvents;
  return { idpEvents, iamUserEvents, idpShare: total === 0 ? null : idpEvents / total };
}

/** The score kept per scan. Pure: the classifier, registers and `now` come in. */
export function computeKpis(input: KpiInput): Kpis {
  const classes = new Map<string, UserClass>();
  for (const classification of input.classify(input.snapshot))
    classes.set(classification.userArn, classification.class);
  const counts = { total: 0, humans: 0, machines: 0, breakGlass: 0, unknown: 0 };
  let activeAccessKeys = 0;
  const humanUserArns = new Set<string>();
  for (const account of input.snapshot.accounts) {
    for (const user of account.users) {
      activeAccessKeys += user.accessKeys.filter((key) => key.status === 'Active').length;
      const userClass = classes.get(user.arn) ?? 'unknown';
      if (userClass === 'human') humanUserArns.add(user.arn);
      if (!hasLongLivedCredential(user)) continue;
      counts.total += 1;
      if (userClass === 'human') counts.humans += 1;
      else if (userClass === 'break-glass') counts.breakGlass += 1;
      else if (MACHINE_CLASSES.has(userClass)) counts.machines += 1;
      else counts.unknown += 1;
    }
  }
  const days = (input.remediations ?? []).map((r) => dayDiff(r.userCreatedAt, r.remediatedAt)).sort((a, b) => a - b);
  const nowIso = input.now.toISOString();
  return {
    usersWithLongLivedCredentials: counts,
    activeAccessKeys,
    humanAccess: input.snapshot.usage === undefined ? null : humanAccess(input.snapshot.usage, humanUserArns),
    daysToRemediation: { count: days.length, median: percentile(days, 0.5), p90: percentile(days, 0.9) },
    exceptionReviewAgeDays: (input.exceptions ?? [])
      .map((e) => {
        const since = e.lastReviewedAt ?? e.registeredAt;
        return { accountId: e.accountId, userName: e.userName, days: since === null ? null : dayDiff(since, nowIso) };
      })
      .sort((a, b) => (b.days ?? Infinity) - (a.days ?? Infinity) || (a.userName < b.userName ? -1 : 1)),
  };
}

/**
 * The flat name → number form `Store.saveScan(snapshot, { kpis })` keeps for trends. Unknown
 * values are left out rather than stored as 0, so a trend never shows a fake improvement.
 */
export function kpisToRecord(kpis: Kpis): Record<string, number> {
  const record: Record<string, number> = {
    users_long_lived_total: kpis.usersWithLongLivedCredentials.total,
    users_long_lived_humans: kpis.usersWithLongLivedCredentials.humans,
    users_long_lived_machines: kpis.usersWithLongLivedCredentials.machines,
    users_long_lived_break_glass: kpis.usersWithLongLivedCredentials.breakGlass,
    users_long_lived_unknown: kpis.usersWithLongLivedCredentials.unknown,
    active_access_keys: kpis.activeAccessKeys,
    remediated_users: kpis.daysToRemediation.count,
    exceptions: kpis.exceptionReviewAgeDays.length,
  };
  if (kpis.humanAccess !== null) {
    record.human_idp_events = kpis.humanAccess.idpEvents;
    record.human_iam_user_events = kpis.humanAccess.iamUserEvents;
    if (kpis.humanAccess.idpShare !== null) record.human_idp_share = kpis.humanAccess.idpShare;
  }
  if (kpis.daysToRemediation.median !== null) record.days_to_remediation_median = kpis.daysToRemediation.median;
  if (kpis.daysToRemediation.p90 !== null) record.days_to_remediation_p90 = kpis.daysToRemediation.p90;
  const ages = kpis.exceptionReviewAgeDays.flatMap((e) => (e.days === null ? [] : [e.days]));
  if (ages.length > 0) record.exception_review_age_max_days = Math.max(...ages);
  if (kpis.exceptionReviewAgeDays.length > 0)
    record.exceptions_never_reviewed = kpis.exceptionReviewAgeDays.length - ages.length;
  return record;
}

/** The fields of a remediation journal operation the KPIs read (`JournalOperation` fits). */
export interface JournalEntry {
  kind: 'start' | 'rollback' | 'finish' | 'restore';
  accountId: string;
  userName: string;
  status: 'pending' | 'done';
  finishedAt: string | null;
}

const userKey = (accountId: string, userName: string): string => `${accountId}/${userName}`;

/** The users the journal shows as deleted now: a finished `finish` not undone by a later `restore`. */
export function deletedUsers(
  journal: readonly JournalEntry[],
): Array<{ accountId: string; userName: string; deletedAt: string }> {
  const latest = new Map<string, { accountId: string; userName: string; deletedAt: string } | null>();
  const done = journal.filter(
    (op) => op.status === 'done' && op.finishedAt !== null && (op.kind === 'finish' || op.kind === 'restore'),
  );
  done.sort((a, b) => Date.parse(a.finishedAt ?? '') - Date.parse(b.finishedAt ?? ''));
  for (const op of done) {
    latest.set(
      userKey(op.accountId, op.userName),
      op.kind === 'finish' ? { accountId: op.accountId, userName: op.userName, deletedAt: op.finishedAt ?? '' } : null,
    );
  }
  return [...latest.values()].filter((entry) => entry !== null);
}

/**
 * Deletions from the journal with the user's creation time, from whichever stored snapshot
 * still knew the user (`createdAt`, keyed `ACCOUNT/USER`). A deletion whose user was never seen
 * in a scan has no start to measure from and is left out rather than guessed.
 */
export function remediationsFromJournal(
  journal: readonly JournalEntry[],
  createdAt: ReadonlyMap<string, string>,
): Remediation[] {
  return deletedUsers(journal).flatMap((deleted) => {
    const created = createdAt.get(userKey(deleted.accountId, deleted.userName));
    return created === undefined
      ? []
      : [
          {
            accountId: deleted.accountId,
            userName: deleted.userName,
            userCreatedAt: created,
            remediatedAt: deleted.deletedAt,
            kind: 'deleted' as const,
          },
        ];
  });
}

/** The creation time of every user in a snapshot whose creation date is known, keyed `ACCOUNT/USER`. */
export function creationTimes(snapshot: Snapshot): Map<string, string> {
  const times = new Map<string, string>();
  for (const account of snapshot.accounts) {
    for (const user of account.users)
      if (user.createDate.state === 'at') times.set(userKey(account.accountId, user.name), user.createDate.at);
  }
  return times;
}

/** Register entries (`ExceptionEntry` fits) as review facts; the register records no registration date. */
export function exceptionReviews(
  entries: ReadonlyArray<{ account: string; user: string; lastReviewed: string | null }>,
): ExceptionReview[] {
  return entries.map((entry) => ({
    accountId: entry.account,
    userName: entry.user,
    lastReviewedAt: entry.lastReviewed,
    registeredAt: null,
  }));
}
