/**
 * The permission sources, in order of preference: what CloudTrail saw the user doing, else what
 * IAM access advisor saw it use, else what it holds today. The first source with an answer gives
 * the replacement its permissions.
 */
import type { PlannedPermissions } from '../types.js';
import { accessAdvisorOf, accessAdvisorSource, crossCheckWithAccessAdvisor } from './access-advisor.js';
import { currentPoliciesSource, mirroredPermissions } from './current-policies.js';
import type { PermissionInput, PermissionSource } from './permission-source.js';
import { usageSource } from './usage.js';

export type { PermissionInput } from './permission-source.js';

export const PERMISSION_SOURCES: readonly PermissionSource[] = [
  usageSource,
  accessAdvisorSource,
  currentPoliciesSource,
];

/** The replacement's permissions from the first source that answers (the current policies always do). */
export function plannedPermissions(input: PermissionInput): PlannedPermissions {
  for (const source of PERMISSION_SOURCES) {
    const permissions = source.permissions(input);
    if (permissions === null) continue;
    // With CloudTrail, access advisor is a cross-check: a service one saw and the other did not is flagged.
    if (permissions.source !== 'usage') return permissions;
    return crossCheckWithAccessAdvisor(permissions, accessAdvisorOf(input.account, input.user));
  }
  return mirroredPermissions(input, 'mirroring current policies');
}

export { mirroredPermissions };
