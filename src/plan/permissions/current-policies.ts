import type { PolicyDocument } from '../../model/snapshot.js';
import { assessAdmin } from '../../policy/privilege/admin.js';
import type { PlannedPermissions } from '../types.js';
import type { PermissionInput, PermissionSource } from './permission-source.js';

function statementsOf(document: PolicyDocument): unknown[] {
  const statement = document.Statement;
  if (Array.isArray(statement)) return statement;
  return statement === undefined ? [] : [statement];
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
 * Whether the user is an administrator, or one under conditions the scan cannot settle: the
 * evaluator's verdict over the whole catalogue, not a `*` spotted in a document. A policy the scan
 * could not read makes that `maybe` too, but names no grant: the proof lists such policies instead.
 */
export function isAdministrator(input: PermissionInput): boolean {
  const principal = input.evaluator.principal(input.user.arn);
  if (principal === undefined) return false;
  const assessment = assessAdmin(input.evaluator, input.catalog, principal);
  return assessment.admin === 'yes' || (assessment.admin === 'maybe' && assessment.grants.length > 0);
}

/**
 * A mirror of today's identity policies (direct and through groups): the same managed policies
 * attached, the inline statements merged into one policy. Safe to switch to, but no tighter.
 */
export function mirroredPermissions(input: PermissionInput, note: string): PlannedPermissions {
  const { user, account } = input;
  const groups = account.groups.filter((group) => user.groups.includes(group.name));
  const attached = new Set<string>();
  for (const policy of user.attachedPolicies) attached.add(policy.arn);
  for (const group of groups) for (const policy of group.attachedPolicies) attached.add(policy.arn);
  const arns = [...attached].sort();
  const inlineSources = [
    ...user.inlinePolicies.map((policy) => policy.document),
    ...groups.flatMap((group) => group.inlinePolicies.map((policy) => policy.document)),
  ];
  const statements = inlineSources.flatMap(statementsOf);
  return {
    source: 'current-policies',
    note,
    awsManagedPolicyArns: arns.filter(isAwsManaged),
    customerManagedPolicies: arns
      .filter((arn) => !isAwsManaged(arn))
      .map((arn) => ({ ...policyNameAndPath(arn), arn })),
    inlinePolicy: statements.length > 0 ? { Version: '2012-10-17', Statement: statements } : null,
    admin: isAdministrator(input),
  };
}

/** The source that always answers: what the user has today. */
export const currentPoliciesSource: PermissionSource = {
  id: 'current-policies',
  permissions: (input) =>
    mirroredPermissions(
      input,
      input.usage
        ? 'activity had no actions for this user: mirroring current policies; narrow them after a CloudTrail window'
        : 'no usage facts: mirroring current policies; run with CloudTrail activity to narrow them to least privilege',
    ),
};
