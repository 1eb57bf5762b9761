/**
 * Builders for assess tests: the shared snapshot builders plus policies, groups and a check
 * context, so each test states only the facts it is about.
 */
import { DEFAULT_CONFIG, type RoleshiftConfig } from '../../src/config.js';
import type { CheckContext, CheckResult } from '../../src/assess/check.js';
import { classifyUsers } from '../../src/assess/classify.js';
import type { ExceptionEntry } from '../../src/assess/exceptions.js';
import { analyzeEstatePermissions } from '../../src/assess/permissions.js';
import { loadIamCatalog } from '../../src/policy/action-catalog.js';
import type { Finding } from '../../src/model/finding.js';
import type { Group, ManagedPolicy, PolicyDocument, Role, Snapshot } from '../../src/model/snapshot.js';
import { NEVER, whenAt } from '../../src/model/when.js';

export { buildAccount, buildGap, buildKey, buildRoot, buildSnapshot, buildUser } from '../fixtures/build-snapshot.js';

/** The clock of every assess test: one hour after the shared builders' credential report. */
export const NOW = new Date('2026-11-23T09:00:00Z');

/** The real action catalogue, loaded once per test file as the CLI loads it once per run. */
export const CATALOG = await loadIamCatalog();

export function daysAgo(days: number, from: Date = NOW): ReturnType<typeof whenAt> {
  return whenAt(new Date(from.getTime() - days * 86_400_000));
}

export function allow(
  action: string | string[],
  resource: string | string[] = '*',
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { Effect: 'Allow', Action: action, Resource: resource, ...extra };
}

export function deny(
  action: string | string[],
  resource: string | string[] = '*',
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { Effect: 'Deny', Action: action, Resource: resource, ...extra };
}

export function policyDoc(...statements: Array<Record<string, unknown>>): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

export function buildGroup(name: string, overrides: Partial<Group> = {}, accountId = '111111111111'): Group {
  return {
    arn: `arn:aws:iam::${accountId}:group/${name}`,
    name,
    groupId: `AGPA${name.toUpperCase().padEnd(16, 'X').slice(0, 16)}`,
    path: '/',
    createDate: whenAt('2025-01-01T00:00:00Z'),
    attachedPolicies: [],
    inlinePolicies: [],
    ...overrides,
  };
}

/** A role trusting `trusted` (`AWS` ARNs or a `Service`), with the given policies. */
export function buildRole(
  name: string,
  trusted: { AWS?: string[]; Service?: string[] },
  overrides: Partial<Role> = {},
  accountId = '111111111111',
): Role {
  return {
    arn: `arn:aws:iam::${accountId}:role/${name}`,
    name,
    roleId: `AROA${name.toUpperCase().padEnd(16, 'X').slice(0, 16)}`,
    path: '/',
    createDate: whenAt('2025-01-01T00:00:00Z'),
    description: null,
    maxSessionDuration: 3600,
    tags: {},
    trustPolicy: policyDoc({ Effect: 'Allow', Principal: trusted, Action: 'sts:AssumeRole' }),
    attachedPolicies: [],
    inlinePolicies: [],
    permissionsBoundary: null,
    lastUsed: NEVER,
    lastUsedRegion: null,
    instanceProfiles: [],
    ...overrides,
  };
}

export const ADMINISTRATOR_ACCESS = { arn: 'arn:aws:iam::aws:policy/AdministratorAccess', name: 'AdministratorAccess' };

export function buildManagedPolicy(
  name: string,
  document: PolicyDocument | null,
  overrides: Partial<ManagedPolicy> = {},
  accountId = '111111111111',
): ManagedPolicy {
  return {
    arn: `arn:aws:iam::${accountId}:policy/${name}`,
    name,
    path: '/',
    awsManaged: false,
    attachmentCount: 1,
    defaultVersionId: 'v1',
    document,
    ...overrides,
  };
}

export const PASSWORD_USED = {
  enabled: true,
  lastUsed: daysAgo(1),
  lastChanged: daysAgo(200),
  nextRotation: NEVER,
} as const;

export function buildContext(
  snapshot: Snapshot,
  overrides: Partial<CheckContext> & { config?: RoleshiftConfig } = {},
): CheckContext {
  const config = overrides.config ?? DEFAULT_CONFIG;
  return {
    now: NOW,
    config,
    classifications: classifyUsers(snapshot, { config }),
    exceptions: null,
    permissions: analyzeEstatePermissions(snapshot, CATALOG, overrides.now ?? NOW),
    ...overrides,
  };
}

/** The last segment of each result's resource name, split by verdict and sorted. */
export function verdicts(results: CheckResult[]): { pass: string[]; fail: string[] } {
  const name = (r: CheckResult): string => r.resourceName.split('/').pop() ?? r.resourceName;
  return {
    pass: results
      .filter((r) => r.status === 'pass')
      .map(name)
      .sort(),
    fail: results
      .filter((r) => r.status === 'fail')
      .map(name)
      .sort(),
  };
}

/** Names in a list that start with `pass` / `fail`: the verdict a fixture's name promises. */
export function promised(names: string[]): { pass: string[]; fail: string[] } {
  return {
    pass: names.filter((n) => n.startsWith('pass')).sort(),
    fail: names.filter((n) => n.startsWith('fail')).sort(),
  };
}

export function registerEntry(overrides: Partial<ExceptionEntry> = {}): ExceptionEntry {
  return {
    account: '111111111111',
    user: 'legacy',
    reason: 'vendor cannot federate',
    owner: 'alice@example.com',
    expires: '2027-06-30',
    reviewEveryDays: null,
    lastReviewed: null,
    controls: {},
    source: { file: 'roleshift.exceptions.yaml', line: 2 },
    ...overrides,
  };
}

/** A check that could not run, tied to no account (the whole snapshot), for the output formats' tests. */
export const CHECK_THAT_COULD_NOT_RUN: Partial<Finding> = {
  checkId: 'full-admin-access',
  status: 'error',
  accountId: null,
  resourceType: 'snapshot',
  resourceArn: null,
  resourceName: 'snapshot',
};

/** A failed console-password-without-mfa finding on alice in 111111111111, for the output formats' tests. */
export function buildFinding(overrides: Partial<Finding> = {}): Finding {
  return {
    checkId: 'console-password-without-mfa',
    title: 'Console password without MFA',
    severity: 'high',
    status: 'fail',
    accountId: '111111111111',
    resourceType: 'user',
    resourceArn: 'arn:aws:iam::111111111111:user/alice',
    resourceName: '111111111111/alice',
    message: 'has a console password and no MFA device',
    location: null,
    references: { cis: ['1.10'], securityHub: ['IAM.5'], links: [] },
    remediation: 'Require MFA.',
    ...overrides,
  };
}
