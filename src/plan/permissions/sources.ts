/**
 * The permission sources, in order of preference: what the user was seen doing, else what it
 * holds today. The first source with an answer gives the replacement its permissions.
 */
import type { PlannedPermissions } from '../types.js';
import { currentPoliciesSource, mirroredPermissions } from './current-policies.js';
import type { PermissionInput, PermissionSource } from './permission-source.js';
import { usageSource } from './usage.js';

export type { PermissionInput } from './permission-source.js';

export const PERMISSION_SOURCES: readonly PermissionSource[] = [usageSource, currentPoliciesSource];

/** The replacement's permissions from the first source that answers (the current policies always do). */
export function plannedPermissions(input: PermissionInput): PlannedPermissions {
  for (const source of PERMISSION_SOURCES) {
    const permissions = source.permissions(input);
    if (permissions !== null) return permissions;
  }
  return mirroredPermissions(input, 'mirroring current policies');
}

export { mirroredPermissions };
