import { usageToActivityEvidence } from '../activity/evidence.js';
import { classifyUsers } from '../assess/classify.js';
import { isExpired, reviewOverdueDays, type ExceptionEntry } from '../assess/exceptions.js';
import { runChecks } from '../assess/run-checks.js';
import type { RoleshiftConfig } from '../config.js';
import type { Classification } from '../model/classification.js';
import { severityRank, type Finding } from '../model/finding.js';
import type { Snapshot } from '../model/snapshot.js';
import { planMigration } from '../plan/plan.js';
import type { Artifact } from '../plan/types.js';
import { trustFindings } from '../policy/trust.js';
import {
  userKey,
  type RemediationStage,
  type ReportArtifact,
  type ReportExtras,
  type ReportFinding,
  type ReportOperation,
  type ReportRoleFindings,
  type ReportUserExtras,
} from './page-model.js';

// The data shape lives with the page's other types, where the browser script can read it too.
export type * from './page-model.js';

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
