/**
 * The report page's data: what `buildReportData` produces, what `page-pack.ts` carries into the
 * page and what the page's script reads. Imported by the browser script, so nothing here may
 * import a module that needs Node (the page's tsconfig has no Node types).
 */
import type { Evidence, UserClass } from '../model/classification.js';
import type { Finding, Severity } from '../model/finding.js';
import type { Gap, Snapshot, When } from '../model/snapshot.js';
import type { Artifact, MigrationRisk, ReplacementProof, Strategy } from '../plan/types.js';

/** The key of a user in `ReportExtras.users`. */
export function userKey(accountId: string, userName: string): string {
  return `${accountId}/${userName}`;
}

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
    /** The replacement's proof (observed calls allowed, nothing wider than today, trust); null when nothing is replaced. */
    proof: ReplacementProof | null;
  } | null;
  exception: { reason: string; owner: string; expires: string; expired: boolean } | null;
  remediation: { stage: RemediationStage; at: string | null; lastError: string | null };
}

/**
 * The users' part of ReportExtras as the server reads it while it renders: each user's extras
 * made when the page's row is written, so that at 100,000 users they never all sit in memory.
 */
export interface UserExtrasSource {
  /** How many users the assessment knows (the render checks that it listed every one). */
  readonly count: number;
  /** A user's extras; null for a user the assessment does not know. */
  of(accountId: string, userName: string, userArn: string): ReportUserExtras | null;
}

/** ReportExtras with each user's extras made on demand (`lazyReportExtras`). */
export type LazyReportExtras = Omit<ReportExtras, 'users'> & { users: UserExtrasSource };

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

export interface ReportKey {
  slot: 1 | 2;
  id: string | null;
  status: 'Active' | 'Inactive';
  lastRotated: When;
  ageDays: number | null;
  lastUsed: When;
  lastUsedDays: number | null;
  unusedDays: number | null;
  lastUsedService: string | null;
  lastUsedRegion: string | null;
}

export interface ReportUser {
  accountId: string;
  accountAlias: string | null;
  name: string;
  arn: string;
  path: string;
  groups: string[];
  tags: Record<string, string>;
  password: { enabled: boolean; lastUsed: When; lastUsedDays: number | null };
  mfa: { active: boolean; kinds: Array<'virtual' | 'hardware'> };
  keys: ReportKey[];
  /** A console password or an active key: this user still counts against the goal of zero. */
  longLived: boolean;
}

/** One stored scan as the trend reads it (a `roleshift history` row, with the KPIs stored with it). */
export interface PageHistoryPoint {
  collectedAt: string;
  usersWithLongLivedCredentials: number;
  kpis?: Record<string, number>;
}

export interface PageLongLived {
  total: number;
  passwordOnly: number;
  keysOnly: number;
  both: number;
}

/**
 * The snapshot summary as the page reads it. The unused keys are a count: the page shows no list,
 * and at 100,000 users the list alone would be megabytes.
 */
export interface PageSummary {
  accounts: number;
  users: number;
  longLived: PageLongLived;
  activeKeys: number;
  oldestActiveKey: { accountId: string; userName: string; slot: 1 | 2; days: number } | null;
  /** CIS 1.14: active keys older than this many days are overdue for rotation (from the config). */
  keyRotationDays: number;
  unusedKeys: { thresholdDays: number; count: number; unknown: number };
  rootKeys: { count: number; accountIds: string[] };
  gaps: Gap[];
  warnings: string[];
  perAccount: Array<{
    accountId: string;
    alias: string | null;
    users: number;
    longLived: PageLongLived;
    activeKeys: number;
    rootKeys: number;
    identityCenterInUse: boolean;
  }>;
}

/**
 * Everything the page shows, as data. Sections read only this; adding a section means adding
 * a field here and a renderer to the client's `SECTIONS` list.
 */
export interface ReportData {
  reportVersion: 1;
  generatedAt: string;
  toolVersion: string | null;
  collection: Snapshot['collection'];
  summary: PageSummary;
  users: ReportUser[];
  history: PageHistoryPoint[];
  extras: ReportExtras | null;
}
