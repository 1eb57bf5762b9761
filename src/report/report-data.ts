import { isExpired, reviewOverdueDays, type ExceptionEntry } from '../assess/exceptions.js';
import type { Classification, Evidence } from '../model/classification.js';
import { severityRank, type Finding } from '../model/finding.js';
import { firstness } from './findings-common.js';
import type { Role, Snapshot } from '../model/snapshot.js';
import type { Artifact, MigrationPlan, UserPlan } from '../plan/types.js';
import {
  userKey,
  type RemediationStage,
  type ReportArtifact,
  type ReportException,
  type LazyReportExtras,
  type ReportExtras,
  type ReportFinding,
  type ReportOperation,
  type ReportRoleFindings,
  type ReportUserExtras,
  type UserExtrasSource,
} from './page-model.js';

// The data shape lives with the page's other types, where the browser script can read it too.
export type * from './page-model.js';
export { userKey };

/** What the report shows beside the inventory: the estate's assessment, its register and journal. */
export interface ReportAssessment {
  snapshot: Snapshot;
  now: Date;
  classifications: readonly Classification[];
  /** Failures and errors of the checks and the trust rules. */
  findings: readonly Finding[];
  plan: MigrationPlan;
  /** Null when there is no register file. */
  exceptions: readonly ExceptionEntry[] | null;
  /** Null when the store holds no remediation journal. */
  operations: readonly ReportOperation[] | null;
}

function toReportFinding(finding: Finding): ReportFinding {
  return {
    checkId: finding.checkId,
    title: finding.title,
    severity: finding.severity,
    status: finding.status,
    message: finding.message,
    remediation: finding.remediation,
    cis: finding.references.cis,
    securityHub: finding.references.securityHub,
  };
}

function bySeverity(a: ReportFinding, b: ReportFinding): number {
  return (
    firstness(b) - firstness(a) ||
    severityRank(b.severity) - severityRank(a.severity) ||
    a.checkId.localeCompare(b.checkId)
  );
}

function artifactTitle(artifact: Artifact): string {
  switch (artifact.kind) {
    case 'role':
      return `IAM role ${artifact.name} in ${artifact.accountId}`;
    case 'oidc-provider':
      return `OIDC provider ${artifact.host}${artifact.exists ? ' (exists)' : ''}`;
    case 'permission-set':
      return `permission set ${artifact.name}`;
    case 'identity-store-user':
      return `Identity Center user ${artifact.userName}`;
    case 'identity-store-group':
      return `Identity Center group ${artifact.displayName}`;
    case 'account-assignment':
      return `assignment of ${artifact.permissionSetName} in ${artifact.accountId}`;
    case 'cli-profiles':
      return `AWS CLI profiles for ${artifact.personKey}`;
    case 'trust-anchor':
      return `Roles Anywhere trust anchor ${artifact.name}`;
    case 'roles-anywhere-profile':
      return `Roles Anywhere profile ${artifact.name}`;
    case 'exception-draft':
      return `exception draft for ${artifact.userName}`;
    case 'config-change':
      return artifact.title;
  }
}

function toReportArtifact(artifact: Artifact): ReportArtifact {
  return {
    kind: artifact.kind,
    title: artifactTitle(artifact),
    text: artifact.kind === 'config-change' ? artifact.snippet : null,
    value: artifact.kind === 'config-change' ? null : artifact,
  };
}

const STAGE_OF_KIND: Record<ReportOperation['kind'], RemediationStage> = {
  start: 'switched off',
  rollback: 'rolled back',
  finish: 'deleted',
  restore: 'restored',
};

/** The newest operation decides the stage; an unfinished one is "in progress" (or "failed" with an error). */
export function remediationStage(operations: readonly ReportOperation[]): ReportUserExtras['remediation'] {
  const newest = [...operations].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  if (newest === undefined) return { stage: 'not started', at: null, lastError: null };
  if (newest.status === 'pending')
    return {
      stage: newest.lastError === null ? 'in progress' : 'failed',
      at: newest.createdAt,
      lastError: newest.lastError,
    };
  return { stage: STAGE_OF_KIND[newest.kind], at: newest.finishedAt ?? newest.createdAt, lastError: null };
}

interface IndexedFindings {
  /** By the user's ARN: each user's findings, in the order the assessment reported them. */
  byUser: Map<string, Finding[]>;
  roles: ReportRoleFindings[];
  other: ReportExtras['otherFindings'];
}

/** The role a finding is about, created on first sight; findings name their resource by ARN. */
function roleEntry(
  roles: Map<string, ReportRoleFindings>,
  finding: Finding,
  roleByArn: ReadonlyMap<string, Role>,
): ReportRoleFindings {
  const roleKey = finding.resourceArn ?? `${finding.accountId ?? ''}/${finding.resourceName}`;
  const known = roles.get(roleKey);
  if (known !== undefined) return known;
  const entry: ReportRoleFindings = {
    accountId: finding.accountId ?? '',
    roleName: (finding.resourceArn ?? finding.resourceName).split('/').pop() ?? finding.resourceName,
    roleArn: finding.resourceArn,
    description: finding.resourceArn === null ? null : (roleByArn.get(finding.resourceArn)?.description ?? null),
    findings: [],
  };
  roles.set(roleKey, entry);
  return entry;
}

/**
 * Findings by user, by role and the rest; display names vary by check, so the ARN is the join key
 * (an IAM ARN names one account and user name, so it stands for the user's key too).
 */
function indexFindings(snapshot: Snapshot, findings: readonly Finding[]): IndexedFindings {
  const byUser = new Map<string, Finding[]>();
  const roles = new Map<string, ReportRoleFindings>();
  const other: ReportExtras['otherFindings'] = [];
  const roleByArn = new Map(snapshot.accounts.flatMap((a) => a.roles.map((r) => [r.arn, r] as const)));
  const userArns = new Set(snapshot.accounts.flatMap((a) => a.users.map((u) => u.arn)));
  for (const finding of findings) {
    if (finding.resourceType === 'user' && finding.resourceArn !== null && userArns.has(finding.resourceArn)) {
      const list = byUser.get(finding.resourceArn);
      if (list === undefined) byUser.set(finding.resourceArn, [finding]);
      else list.push(finding);
    } else if (finding.resourceType === 'role') {
      roleEntry(roles, finding, roleByArn).findings.push(toReportFinding(finding));
    } else {
      other.push({ ...toReportFinding(finding), accountId: finding.accountId, resourceName: finding.resourceName });
    }
  }
  const sortedRoles = [...roles.values()]
    .map((role) => ({ ...role, findings: role.findings.sort(bySeverity) }))
    .sort(
      (a, b) =>
        bySeverity(a.findings[0] as ReportFinding, b.findings[0] as ReportFinding) ||
        a.roleName.localeCompare(b.roleName),
    );
  return { byUser, roles: sortedRoles, other: other.sort(bySeverity) };
}

function planExtras(userPlan: UserPlan | undefined): ReportUserExtras['plan'] {
  if (userPlan === undefined) return null;
  return {
    strategy: userPlan.strategy,
    target: userPlan.target,
    risk: userPlan.risk,
    steps: userPlan.steps,
    blockers: userPlan.blockers,
    artifacts: userPlan.artifacts.map(toReportArtifact),
    proof: userPlan.proof,
  };
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [item]);
    else group.push(item);
  }
  return groups;
}

const NOT_STARTED = remediationStage([]);

function byWeight(a: Evidence, b: Evidence): number {
  return Math.abs(b.weight) - Math.abs(a.weight);
}

/** Lists this short are sorted by insertion, in place; longer ones by `Array.prototype.sort`. */
const INSERTION_SORT_MAX = 16;

/**
 * `items.sort(compare)`, the same order (both sorts are stable), without the copy V8's sort makes
 * of every list: a user's findings and evidence are a handful each, sorted for every user.
 */
export function sortedInPlace<T>(items: T[], compare: (a: T, b: T) => number): T[] {
  if (items.length > INSERTION_SORT_MAX) return items.sort(compare);
  for (let i = 1; i < items.length; i += 1) {
    const item = items[i] as T;
    let j = i;
    for (; j > 0 && compare(items[j - 1] as T, item) > 0; j -= 1) items[j] = items[j - 1] as T;
    items[j] = item;
  }
  return items;
}

/**
 * Per user, when asked: class and evidence, findings, plan, exception and remediation stage. The
 * lookups are built once; each user's extras are garbage once the page's row is written.
 */
function userExtrasSource(input: ReportAssessment, byUser: ReadonlyMap<string, Finding[]>): UserExtrasSource {
  // By ARN: the classifier and the planner carry the snapshot's own ARN strings, so lookups are cheap.
  const classOf = new Map(input.classifications.map((c) => [c.userArn, c]));
  const planOf = new Map(input.plan.users.map((p) => [p.userArn, p]));
  const operationsOf = groupBy(input.operations ?? [], (op) => userKey(op.accountId, op.userName));
  const exceptionOf = new Map((input.exceptions ?? []).map((entry) => [userKey(entry.account, entry.user), entry]));
  const known = userKeysOf(input.snapshot);
  const extrasOf = (key: string, userArn: string): ReportUserExtras => {
    const classification = classOf.get(userArn);
    const ownFindings = sortedInPlace((byUser.get(userArn) ?? []).map(toReportFinding), bySeverity);
    const entry = exceptionOf.size === 0 ? undefined : exceptionOf.get(key);
    const operations = operationsOf.size === 0 ? undefined : operationsOf.get(key);
    return {
      class: classification?.class ?? 'unknown',
      confidence: classification?.confidence ?? 0,
      evidence: sortedInPlace([...(classification?.evidence ?? [])], byWeight),
      findings: ownFindings,
      worstSeverity: ownFindings[0]?.severity ?? null,
      plan: planExtras(planOf.get(userArn)),
      exception:
        entry === undefined
          ? null
          : { reason: entry.reason, owner: entry.owner, expires: entry.expires, expired: isExpired(entry, input.now) },
      remediation: operations === undefined ? NOT_STARTED : remediationStage(operations),
    };
  };
  return {
    count: known.size,
    of: (accountId, userName, userArn) => {
      const key = userKey(accountId, userName);
      return known.has(key) ? extrasOf(key, userArn) : null;
    },
  };
}

function userKeysOf(snapshot: Snapshot): Set<string> {
  return new Set(snapshot.accounts.flatMap((a) => a.users.map((u) => userKey(a.accountId, u.name))));
}

function exceptionRows(input: ReportAssessment): ReportException[] {
  if (input.exceptions === null || input.exceptions.length === 0) return [];
  const userKeys = userKeysOf(input.snapshot);
  return input.exceptions.map((entry) => {
    const overdue = reviewOverdueDays(entry, input.now);
    return {
      accountId: entry.account,
      userName: entry.user,
      reason: entry.reason,
      owner: entry.owner,
      expires: entry.expires,
      expired: isExpired(entry, input.now),
      reviewOverdueDays: overdue === null ? null : Number.isFinite(overdue) ? overdue : -1,
      userFound: userKeys.has(userKey(entry.account, entry.user)),
    };
  });
}

/**
 * The assessment indexed for the page: per user (made on demand), per role and the rest, with the
 * register and the journal. Pure: the assessment comes from the one pipeline (`src/app/assess.ts`).
 */
export function lazyReportExtras(input: ReportAssessment): LazyReportExtras {
  const indexed = indexFindings(input.snapshot, input.findings);
  return {
    users: userExtrasSource(input, indexed.byUser),
    roles: indexed.roles,
    exceptions: exceptionRows(input),
    otherFindings: indexed.other,
    operations: [...(input.operations ?? [])].sort((a, b) => b.createdAt.localeCompare(a.createdAt)),
    hasExceptionsRegister: input.exceptions !== null,
    hasJournal: input.operations !== null,
  };
}

/** Every user's extras, keyed `ACCOUNT/USER`, in the snapshot's order. */
export function allUserExtras(snapshot: Snapshot, source: UserExtrasSource): ReportExtras['users'] {
  const users: ReportExtras['users'] = {};
  for (const account of snapshot.accounts)
    for (const user of account.users) {
      const extras = source.of(account.accountId, user.name, user.arn);
      if (extras !== null) users[userKey(account.accountId, user.name)] = extras;
    }
  return users;
}

/** `lazyReportExtras` with every user's extras made up front. */
export function reportExtras(input: ReportAssessment): ReportExtras {
  const { users, ...rest } = lazyReportExtras(input);
  return { users: allUserExtras(input.snapshot, users), ...rest };
}
