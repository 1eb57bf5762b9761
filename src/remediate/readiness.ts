/**
 * Ready means deployed and used: before a credential is switched off, the replacement the plan
 * describes must exist as planned (the role with the planned trust policy) and have been used
 * since, while the old key went quiet. What roleshift cannot read live is said to be unknown,
 * never taken as ready.
 */
import type { LiveRole } from './iam-gateway.js';

/** The parts of a plan's artifacts the readiness check reads (`roleshift plan --format json`). */
export interface PlannedArtifact {
  kind: string;
  accountId?: string;
  name?: string;
  trustPolicy?: unknown;
  permissionSetName?: string;
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

/** Replacements roleshift does not read live yet: stated as unknown. */
export function uncheckedReplacements(artifacts: readonly PlannedArtifact[]): ReadinessFact[] {
  const facts: ReadinessFact[] = [];
  for (const artifact of artifacts) {
    if (artifact.kind === 'account-assignment')
      facts.push({
        status: 'unknown',
        detail: `permission set assignment ${artifact.permissionSetName ?? ''} in ${artifact.accountId ?? '?'} not checked live`,
      });
    if (artifact.kind === 'roles-anywhere-profile')
      facts.push({ status: 'unknown', detail: `Roles Anywhere profile ${artifact.name ?? ''} not checked live` });
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
