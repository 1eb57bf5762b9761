import { usageToActivityEvidence } from '../activity/evidence.js';
import { classifyUsers } from '../assess/classify.js';
import { isExpired, reviewOverdueDays, type ExceptionEntry } from '../assess/exceptions.js';
import { runChecks, trustFindings } from '../assess/run-checks.js';
import type { RoleshiftConfig } from '../config.js';
import type { Classification, Evidence, UserClass } from '../model/classification.js';
import { severityRank, type Finding, type Severity } from '../model/finding.js';
import type { Snapshot } from '../model/snapshot.js';
import { planMigration } from '../plan/plan.js';
import type { Artifact, MigrationRisk, Strategy } from '../plan/types.js';

/** A finding as the page shows it; references keep CIS and Security Hub ids apart. */
export interface ReportFinding {
  checkId: string;
  title: string;
  severity: Severity;
  status: Finding['status'];
  message: string;
  remediation: string;
  cis: string[];
  securityHub: string[];
}

export interface ReportArtifact {
  kind: Artifact['kind'];
  title: string;
  /**
   * What a copy button copies: the snippet of a configuration change, else null and the page
   * pretty-prints `value` when the detail opens (indenting 10,000 users' policies up front
   * would double the file).
   */
  text: string | null;
  value: Artifact | null;
}

/** Where a user stands in `roleshift remediate`, from the journal's newest operation. */
export type RemediationStage =
  | 'not started'
  | 'in progress'
  | 'switched off'
  | 'rolled back'
  | 'deleted'
  | 'restored'
  | 'failed';

export interface ReportUserExtras {
  class: UserClass;
  confidence: number;
  evidence: Evidence[];
  findings: ReportFinding[];
  /** The highest severity among the user's findings; null when none. */
  worstSeverity: Severity | null;
  plan: {
    strategy: Strategy;
    target: string;
    risk: MigrationRisk;
    steps: string[];
    blockers: string[];
    artifacts: ReportArtifact[];
  } | null;
  exception: { reason: string; owner: string; expires: string; expired: boolean } | null;
  remediation: { stage: RemediationStage; at: string | null; lastError: string | null };
}

export interface ReportRoleFindings {
  accountId: string;
  roleName: string;
  roleArn: string | null;
  /** The role's own description, as AWS holds it (untrusted text). */
  description: string | null;
  findings: ReportFinding[];
}

export interface ReportException {
  accountId: string;
  userName: string;
  reason: string;
  owner: string;
  expires: string;
  expired: boolean;
  /** Days the review is overdue; null when not due. Infinity (never reviewed) is shown as -1. */
  reviewOverdueDays: number | null;
  /** Whether the user still exists in the estate. */
  userFound: boolean;
}

/** One operation in the remediation journal, reduced to what the page needs. */
export interface ReportOperation {
  kind: 'start' | 'rollback' | 'finish' | 'restore';
  accountId: string;
  userName: string;
  status: 'pending' | 'done';
  createdAt: string;
  finishedAt: string | null;
  lastError: string | null;
}

/**
 * The assessed layer on top of the raw inventory: classification, findings, plan, exceptions and
 * remediation per user, keyed `ACCOUNT/USER`. Optional in the page: a report of a bare snapshot
 * still renders.
 */
export interface ReportExtras {
  users: Record<string, ReportUserExtras>;
  roles: ReportRoleFindings[];
  exceptions: ReportException[];
  /** Findings not about one user or role (root, account, exceptions register, snapshot). */
  otherFindings: Array<ReportFinding & { accountId: string | null; resourceName: string }>;
  operations: ReportOperation[];
  hasExceptionsRegister: boolean;
  hasJournal: boolean;
}

export interface AssessInput {
  snapshot: Snapshot;
  config: RoleshiftConfig;
  now: Date;
  /** Null when there is no register file. */
  exceptions: ExceptionEntry[] | null;
  /** Null when the store holds no remediation journal. */
  operations: ReportOperation[] | null;
  /** The report must not leak reusable ExternalIds: the caller passes a fresh random seed. */
  externalIdSeed: string;
}

export function userKey(accountId: string, userName: string): string {
  return `${accountId}/${userName}`;
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
  return severityRank(b.severity) - severityRank(a.severity) || a.checkId.localeCompare(b.checkId);
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

/**
 * Runs the same assessment as `findings` and `plan` over one snapshot and indexes it for the page.
 * Pure: the clock, the register and the journal come in.
 */
export function assessForReport(input: AssessInput): ReportExtras {
  const { snapshot, config, now } = input;
  const activity = snapshot.usage === undefined ? undefined : usageToActivityEvidence(snapshot.usage);
  const classifications: Classification[] = classifyUsers(
    snapshot,
    activity === undefined ? { config } : { config, activity },
  );
  const context = {
    now,
    config,
    classifications,
    exceptions: input.exceptions,
    ...(activity === undefined ? {} : { usage: activity }),
  };
  const findings = [...runChecks(snapshot, context), ...trustFindings(snapshot)];
  const plan = planMigration(snapshot, {
    classifications,
    exceptions: (input.exceptions ?? []).map((entry) => ({
      accountId: entry.account,
      userName: entry.user,
      reason: entry.reason,
      expires: entry.expires,
    })),
    config,
    now,
    externalIdSeed: input.externalIdSeed,
  });

  const classOf = new Map(classifications.map((c) => [userKey(c.accountId, c.userName), c]));
  const planOf = new Map(plan.users.map((p) => [userKey(p.accountId, p.userName), p]));
  const userFindings = new Map<string, ReportFinding[]>();
  const roleFindings = new Map<string, ReportRoleFindings>();
  const otherFindings: ReportExtras['otherFindings'] = [];
  const userKeys = new Set(snapshot.accounts.flatMap((a) => a.users.map((u) => userKey(a.accountId, u.name))));
  // Findings name their resource by ARN; display names vary by check, so the ARN is the join key.
  const roleByArn = new Map(snapshot.accounts.flatMap((a) => a.roles.map((r) => [r.arn, r] as const)));
  const keyOfArn = new Map(
    snapshot.accounts.flatMap((a) => a.users.map((u) => [u.arn, userKey(a.accountId, u.name)] as const)),
  );
  for (const finding of findings) {
    const key = finding.resourceArn === null ? undefined : keyOfArn.get(finding.resourceArn);
    if (finding.resourceType === 'user' && key !== undefined) {
      userFindings.set(key, [...(userFindings.get(key) ?? []), toReportFinding(finding)]);
    } else if (finding.resourceType === 'role') {
      const roleKey = finding.resourceArn ?? `${finding.accountId ?? ''}/${finding.resourceName}`;
      const roleName = (finding.resourceArn ?? finding.resourceName).split('/').pop() ?? finding.resourceName;
      const description =
        finding.resourceArn === null ? null : (roleByArn.get(finding.resourceArn)?.description ?? null);
      const role = roleFindings.get(roleKey) ?? {
        accountId: finding.accountId ?? '',
        roleName,
        roleArn: finding.resourceArn,
        description,
        findings: [],
      };
      role.findings.push(toReportFinding(finding));
      roleFindings.set(roleKey, role);
    } else {
      otherFindings.push({
        ...toReportFinding(finding),
        accountId: finding.accountId,
        resourceName: finding.resourceName,
      });
    }
  }
  const operationsOf = new Map<string, ReportOperation[]>();
  for (const operation of input.operations ?? []) {
    const key = userKey(operation.accountId, operation.userName);
    operationsOf.set(key, [...(operationsOf.get(key) ?? []), operation]);
  }
  const exceptionOf = new Map((input.exceptions ?? []).map((entry) => [userKey(entry.account, entry.user), entry]));

  const users: Record<string, ReportUserExtras> = {};
  for (const key of userKeys) {
    const classification = classOf.get(key);
    const userPlan = planOf.get(key);
    const ownFindings = (userFindings.get(key) ?? []).sort(bySeverity);
    const entry = exceptionOf.get(key);
    users[key] = {
      class: classification?.class ?? 'unknown',
      confidence: classification?.confidence ?? 0,
      evidence: [...(classification?.evidence ?? [])].sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight)),
      findings: ownFindings,
      worstSeverity: ownFindings[0]?.severity ?? null,
      plan:
        userPlan === undefined
          ? null
          : {
              strategy: userPlan.strategy,
              target: userPlan.target,
              risk: userPlan.risk,
              steps: userPlan.steps,
              blockers: userPlan.blockers,
              artifacts: userPlan.artifacts.map(toReportArtifact),
            },
      exception:
        entry === undefined
          ? null
          : { reason: entry.reason, owner: entry.owner, expires: entry.expires, expired: isExpired(entry, now) },
      remediation: remediationStage(operationsOf.get(key) ?? []),
    };
  }
  const exceptions = (input.exceptions ?? []).map((entry) => {
    const overdue = reviewOverdueDays(entry, now);
    return {
      accountId: entry.account,
      userName: entry.user,
      reason: entry.reason,
      owner: entry.owner,
      expires: entry.expires,
      expired: isExpired(entry, now),
      reviewOverdueDays: overdue === null ? null : Number.isFinite(overdue) ? overdue : -1,
      userFound: userKeys.has(userKey(entry.account, entry.user)),
    };
  });
  return {
    users,
    roles: [...roleFindings.values()]
      .map((role) => ({ ...role, findings: role.findings.sort(bySeverity) }))
      .sort(
        (a, b) =>
          bySeverity(a.findings[0] as ReportFinding, b.findings[0] as ReportFinding) ||
          a.roleName.localeCompare(b.roleName),
      ),
    exceptions,
    otherFindings: otherFindings.sort(bySeverity),
    operations: [...(input.operations ?? [])].sort((a, b) => b.createdAt.localeCompare(a.createdAt)),
    hasExceptionsRegister: input.exceptions !== null,
    hasJournal: input.operations !== null,
  };
}
