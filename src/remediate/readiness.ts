/**
 * Ready means deployed and used: before a credential is switched off, the replacement the plan
 * describes must exist as planned (the role with the planned trust policy) and have been used
 * since, while the old key went quiet. What roleshift cannot read live is said to be unknown,
 * never taken as ready.
 */
import type { IdentityCenterInstance, RolesAnywhere } from '../model/organization.js';
import type { LiveRole } from './iam-gateway.js';

/** The parts of a plan's artifacts the readiness check reads (`roleshift plan --format json`). */
export interface PlannedArtifact {
  kind: string;
  accountId?: string;
  name?: string;
  trustPolicy?: unknown;
  permissionSetName?: string;
  principalType?: string;
  principalName?: string;
  roleNames?: string[];
  ssoRegion?: string;
}

export interface ReadinessFact {
  status: 'ok' | 'failed' | 'unknown';
  detail: string;
}

/** The planned roles of the user's account: what must exist before its key goes off. */
export function plannedRoles(
  artifacts: readonly PlannedArtifact[],
  accountId: string,
): Array<{ name: string; trustPolicy: unknown }> {
  return artifacts
    .filter((artifact) => artifact.kind === 'role' && artifact.accountId === accountId && artifact.name)
    .map((artifact) => ({ name: artifact.name ?? '', trustPolicy: artifact.trustPolicy ?? null }));
}

/** The Identity Center assignments a user's plan makes: the person's way in once the key is off. */
export function plannedAssignments(artifacts: readonly PlannedArtifact[]): PlannedAssignment[] {
  const region = artifacts.find((artifact) => artifact.kind === 'cli-profiles')?.ssoRegion ?? null;
  return artifacts
    .filter((artifact) => artifact.kind === 'account-assignment')
    .map((artifact) => ({
      accountId: artifact.accountId ?? '',
      permissionSetName: artifact.permissionSetName ?? '',
      principalType: artifact.principalType === 'GROUP' ? 'GROUP' : 'USER',
      principalName: artifact.principalName ?? '',
      region,
    }));
}

export interface PlannedAssignment {
  accountId: string;
  permissionSetName: string;
  principalType: 'USER' | 'GROUP';
  principalName: string;
  /** Identity Center's region, from the plan's CLI profiles; null when the plan does not say. */
  region: string | null;
}

function principalIdOf(planned: PlannedAssignment, instance: IdentityCenterInstance): string | null {
  if (planned.principalType === 'GROUP')
    return instance.groups.find((group) => group.displayName === planned.principalName)?.groupId ?? null;
  return instance.users.find((user) => user.userName === planned.principalName)?.userId ?? null;
}

/**
 * One planned assignment against Identity Center as deployed: the permission set exists, the
 * principal exists, and the set is assigned to it (or, for a user, to a group it belongs to) in
 * the account. Whether the person has signed in with it is not in Identity Center's API.
 */
export function judgeAssignment(planned: PlannedAssignment, instance: IdentityCenterInstance | null): ReadinessFact[] {
  const what = `permission set ${planned.permissionSetName} for ${planned.principalType.toLowerCase()} ${planned.principalName} in ${planned.accountId}`;
  if (instance === null)
    return [
      {
        status: 'unknown',
        detail: `${what}: no Identity Center instance is visible to roleshift in ${planned.region}; run remediate from the management or delegated administrator account to check it`,
      },
    ];
  const permissionSet = instance.permissionSets.find((set) => set.name === planned.permissionSetName);
  if (permissionSet === undefined)
    return [
      { status: 'failed', detail: `permission set ${planned.permissionSetName} does not exist yet: deploy it first` },
    ];
  const principalId = principalIdOf(planned, instance);
  if (principalId === null)
    return [
      {
        status: 'failed',
        detail: `Identity Center ${planned.principalType.toLowerCase()} ${planned.principalName} does not exist yet: create it (or sync it from the identity provider) first`,
      },
    ];
  const groupsOfPrincipal = new Set(
    planned.principalType === 'USER'
      ? instance.memberships.filter((member) => member.userId === principalId).map((member) => member.groupId)
      : [],
  );
  const assigned = instance.assignments.some(
    (assignment) =>
      assignment.accountId === planned.accountId &&
      assignment.permissionSetArn === permissionSet.arn &&
      (assignment.principalId === principalId ||
        (assignment.principalType === 'GROUP' && groupsOfPrincipal.has(assignment.principalId))),
  );
  if (!assigned)
    return [{ status: 'failed', detail: `${what} is not assigned yet: deploy the account assignment first` }];
  return [
    { status: 'ok', detail: `${what} is assigned` },
    {
      status: 'unknown',
      detail: `whether ${planned.principalName} has signed in with ${planned.permissionSetName} is not in Identity Center's API (CloudTrail's sign-in events say it)`,
    },
  ];
}

/** The name of a role of `accountId` from its ARN (its path aside); nothing for any other ARN. */
function roleOfAccount(arn: string, accountId: string): string[] {
  const [prefix, , service, , account, resource] = arn.split(':');
  if (prefix !== 'arn' || service !== 'iam' || account !== accountId || !resource?.startsWith('role/')) return [];
  return [resource.slice(resource.lastIndexOf('/') + 1)];
}

/** The Roles Anywhere profile and trust anchors a user's plan makes in its account. */
export function plannedRolesAnywhere(
  artifacts: readonly PlannedArtifact[],
  accountId: string,
): { profiles: Array<{ name: string; roleNames: string[] }>; trustAnchors: string[] } {
  const inAccount = artifacts.filter((artifact) => artifact.accountId === accountId && artifact.name);
  return {
    profiles: inAccount
      .filter((artifact) => artifact.kind === 'roles-anywhere-profile')
      .map((artifact) => ({ name: artifact.name ?? '', roleNames: artifact.roleNames ?? [] })),
    trustAnchors: inAccount
      .filter((artifact) => artifact.kind === 'trust-anchor')
      .map((artifact) => artifact.name ?? ''),
  };
}

/**
 * The planned Roles Anywhere profile and trust anchors against the account's deployed ones: each
 * exists and is enabled, and the profile may hand out every planned role. Whether the machine
 * has used it is not in the Roles Anywhere API (the role's last use says it once the role is
 * checked).
 */
export function judgeRolesAnywhere(
  planned: { profiles: Array<{ name: string; roleNames: string[] }>; trustAnchors: string[] },
  live: RolesAnywhere,
): ReadinessFact[] {
  const where = `in ${live.accountId} ${live.region}`;
  const facts: ReadinessFact[] = [];
  for (const name of planned.trustAnchors) {
    const anchor = live.trustAnchors.find((candidate) => candidate.name === name);
    if (anchor === undefined)
      facts.push({
        status: 'failed',
        detail: `Roles Anywhere trust anchor ${name} does not exist ${where}: deploy it first`,
      });
    else if (!anchor.enabled)
      facts.push({
        status: 'failed',
        detail: `Roles Anywhere trust anchor ${name} ${where} is disabled: enable it first`,
      });
    else facts.push({ status: 'ok', detail: `Roles Anywhere trust anchor ${name} enabled ${where}` });
  }
  for (const { name, roleNames } of planned.profiles) {
    const profile = live.profiles.find((candidate) => candidate.name === name);
    if (profile === undefined) {
      facts.push({
        status: 'failed',
        detail: `Roles Anywhere profile ${name} does not exist ${where}: deploy it first`,
      });
      continue;
    }
    if (!profile.enabled) {
      facts.push({ status: 'failed', detail: `Roles Anywhere profile ${name} ${where} is disabled: enable it first` });
      continue;
    }
    const handedOut = new Set(profile.roleArns.flatMap((arn) => roleOfAccount(arn, live.accountId)));
    const missing = roleNames.filter((roleName) => !handedOut.has(roleName));
    if (missing.length > 0)
      facts.push({
        status: 'failed',
        detail: `Roles Anywhere profile ${name} ${where} cannot hand out ${missing.join(', ')}: add the role to the profile first`,
      });
    else
      facts.push({
        status: 'ok',
        detail: `Roles Anywhere profile ${name} enabled ${where} with ${roleNames.join(', ')}`,
      });
  }
  return facts;
}

/** A plan value still to be filled in (`REPLACE_ME...`, `<ARN of ...>`): any deployed value matches it. */
function isPlaceholder(value: unknown): boolean {
  return typeof value === 'string' && (value.includes('REPLACE_ME') || /^<[^>]*>$/.test(value));
}

/** One-element arrays read as their element, as IAM treats them. */
function normalized(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 1 ? normalized(value[0]) : value.map(normalized);
  return value;
}

/** Whether the deployed document is the planned one (key order and one-element arrays aside). */
export function matchesPlanned(planned: unknown, live: unknown): boolean {
  const p = normalized(planned);
  const l = normalized(live);
  if (isPlaceholder(p)) return true;
  if (Array.isArray(p)) {
    if (!Array.isArray(l) || l.length !== p.length) return false;
    // Order of statements or values does not change a policy's meaning.
    return p.every((item) => l.some((candidate) => matchesPlanned(item, candidate)));
  }
  if (typeof p === 'object' && p !== null) {
    if (typeof l !== 'object' || l === null || Array.isArray(l)) return false;
    const plannedKeys = Object.keys(p).filter((key) => key !== 'Sid');
    const liveKeys = Object.keys(l).filter((key) => key !== 'Sid');
    if (plannedKeys.length !== liveKeys.length) return false;
    return plannedKeys.every((key) =>
      matchesPlanned((p as Record<string, unknown>)[key], (l as Record<string, unknown>)[key]),
    );
  }
  return p === l;
}

/**
 * One planned role against its deployed self: it exists, its trust policy is the planned one,
 * and it has been used after the last use of every key about to be switched off.
 */
export function judgeRole(
  planned: { name: string; trustPolicy: unknown },
  live: LiveRole | null,
  keysLastUsed: ReadonlyArray<{ accessKeyId: string; lastUsed: string | null }>,
): ReadinessFact[] {
  if (live === null) return [{ status: 'failed', detail: `role ${planned.name} does not exist yet: deploy it first` }];
  if (!matchesPlanned(planned.trustPolicy, live.trustPolicy))
    return [{ status: 'failed', detail: `role ${planned.name} exists but its trust policy is not the planned one` }];
  if (live.lastUsed === null)
    return [
      {
        status: 'failed',
        detail: `role ${planned.name} is deployed but was never used: switch the workload to it first`,
      },
    ];
  const lastUse = live.lastUsed;
  const stillUsed = keysLastUsed.filter((key) => key.lastUsed !== null && key.lastUsed > lastUse);
  if (stillUsed.length > 0)
    return stillUsed.map((key) => ({
      status: 'failed' as const,
      detail: `access key ${key.accessKeyId} was used (${key.lastUsed}) after role ${planned.name} last was (${lastUse}): the old key has not gone quiet`,
    }));
  return [
    {
      status: 'ok',
      detail: `role ${planned.name} deployed as planned, last used ${lastUse}, the old keys quiet since`,
    },
    {
      status: 'unknown',
      detail: `who assumed role ${planned.name} (e.g. AssumeRoleWithWebIdentity from the planned repository) is not checked against CloudTrail`,
    },
  ];
}
