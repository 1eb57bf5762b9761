import { findManagedPolicy } from '../model/managed-policies.js';
import type { Account, PolicyDocument, Snapshot, User } from '../model/snapshot.js';
import { accessAdvisorOf, crossCheckWithAccessAdvisor, narrowByAccessAdvisor } from './access-advisor.js';
import type { PlannedPermissions, UserUsage } from './types.js';

const ADMIN_POLICY_ARNS = new Set([
  'arn:aws:iam::aws:policy/AdministratorAccess',
  'arn:aws:iam::aws:policy/IAMFullAccess',
]);

function statementsOf(document: PolicyDocument): unknown[] {
  const statement = document.Statement;
  if (Array.isArray(statement)) return statement;
  return statement === undefined ? [] : [statement];
}

function isAdminStatement(statement: unknown): boolean {
  if (typeof statement !== 'object' || statement === null) return false;
  const record = statement as Record<string, unknown>;
  const actions = ([] as unknown[]).concat(record.Action ?? []);
  const resources = ([] as unknown[]).concat(record.Resource ?? []);
  return record.Effect === 'Allow' && actions.includes('*') && resources.includes('*');
}

/** Splits `arn:aws:iam::123:policy/path/to/Name` into name and path (`/path/to/`). */
export function policyNameAndPath(arn: string): { name: string; path: string } {
  const resource = arn.split(':policy', 2)[1] ?? '';
  const parts = resource.split('/').filter((part) => part.length > 0);
  const name = parts.pop() ?? arn;
  return { name, path: parts.length > 0 ? `/${parts.join('/')}/` : '/' };
}

function isAwsManaged(arn: string): boolean {
  return /^arn:aws[a-z-]*:iam::aws:policy\//.test(arn);
}

/**
 * What the replacement may do. With usage facts, exactly what the user was seen doing; without,
 * a mirror of today's permissions (direct and through groups) — safe to switch to, but no tighter.
 */
export function plannedPermissions(
  shared: Pick<Snapshot, 'awsManagedPolicies'>,
  user: User,
  account: Account,
  usage: UserUsage | undefined,
): PlannedPermissions {
  if (usage?.leastPrivilegePolicy && statementsOf(usage.leastPrivilegePolicy).length > 0) {
    const window = usage.windowDays ? ` over ${usage.windowDays} days` : '';
    return crossCheckWithAccessAdvisor(
      {
        source: 'usage',
        note: `least privilege from CloudTrail activity${window}`,
        awsManagedPolicyArns: [],
        customerManagedPolicies: [],
        inlinePolicy: usage.leastPrivilegePolicy,
        admin: statementsOf(usage.leastPrivilegePolicy).some(isAdminStatement),
      },
      accessAdvisorOf(account, user),
    );
  }
  const groups = account.groups.filter((group) => user.groups.includes(group.name));
  const attached = new Set<string>();
  for (const policy of user.attachedPolicies) attached.add(policy.arn);
  for (const group of groups) for (const policy of group.attachedPolicies) attached.add(policy.arn);
  const arns = [...attached].sort();
  const statements: unknown[] = [];
  const inlineSources = [
    ...user.inlinePolicies.map((policy) => policy.document),
    ...groups.flatMap((group) => group.inlinePolicies.map((policy) => policy.document)),
  ];
  for (const document of inlineSources) statements.push(...statementsOf(document));
  const managedDocuments = arns
    .map((arn) => findManagedPolicy(shared, account, arn)?.document)
    .filter((document): document is PolicyDocument => Boolean(document));
  const admin =
    arns.some((arn) => ADMIN_POLICY_ARNS.has(arn)) ||
    statements.some(isAdminStatement) ||
    managedDocuments.some((document) => statementsOf(document).some(isAdminStatement));
  const mirror: PlannedPermissions = {
    source: 'current-policies',
    note: usage
      ? 'activity had no actions for this user: mirroring current policies; narrow them after a CloudTrail window'
      : 'no usage facts: mirroring current policies; run with CloudTrail activity to narrow them to least privilege',
    awsManagedPolicyArns: arns.filter(isAwsManaged),
    customerManagedPolicies: arns
      .filter((arn) => !isAwsManaged(arn))
      .map((arn) => ({ ...policyNameAndPath(arn), arn })),
    inlinePolicy: statements.length > 0 ? { Version: '2012-10-17', Statement: statements } : null,
    admin,
  };
  return narrowByAccessAdvisor(shared, account, mirror, accessAdvisorOf(account, user));
}
