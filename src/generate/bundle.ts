import type { Guardrails } from '../plan/guardrails.js';
import type {
  AccountAssignmentArtifact,
  CliProfilesArtifact,
  ConfigChangeArtifact,
  ExceptionDraftArtifact,
  IdentityStoreGroupArtifact,
  IdentityStoreUserArtifact,
  MigrationPlan,
  OidcProviderArtifact,
  PermissionSetArtifact,
  RoleArtifact,
  RolesAnywhereProfileArtifact,
  TrustAnchorArtifact,
} from '../plan/types.js';

export interface AccountBundle {
  accountId: string;
  /** Providers to create (those that already exist are only referenced by ARN). */
  oidcProviders: OidcProviderArtifact[];
  roles: RoleArtifact[];
  trustAnchors: TrustAnchorArtifact[];
  rolesAnywhereProfiles: RolesAnywhereProfileArtifact[];
}

export interface IdentityCenterBundle {
  users: IdentityStoreUserArtifact[];
  groups: IdentityStoreGroupArtifact[];
  permissionSets: PermissionSetArtifact[];
  assignments: AccountAssignmentArtifact[];
}

/** Everything the plan asks to create, deduplicated and in a stable order. */
export interface Bundle {
  accounts: AccountBundle[];
  identityCenter: IdentityCenterBundle;
  cliProfiles: CliProfilesArtifact[];
  exceptionDrafts: ExceptionDraftArtifact[];
  configChanges: ConfigChangeArtifact[];
  guardrails: Guardrails;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byKey<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of items) if (!seen.has(key(item))) seen.set(key(item), item);
  return [...seen.entries()].sort(([a], [b]) => compare(a, b)).map(([, item]) => item);
}

/**
 * Flattens the per-user plan into what gets rendered. Shared artifacts (an OIDC provider, a
 * group, a permission set) appear once, whichever users asked for them.
 */
export function bundlePlan(plan: MigrationPlan, guardrails: Guardrails): Bundle {
  const artifacts = plan.users.flatMap((user) => user.artifacts);
  const of = <K extends (typeof artifacts)[number]['kind']>(kind: K) =>
    artifacts.filter(
      (artifact): artifact is Extract<(typeof artifacts)[number], { kind: K }> => artifact.kind === kind,
    );
  const accountIds = [...new Set(plan.users.map((user) => user.accountId))].sort(compare);
  const accounts = accountIds
    .map((accountId) => ({
      accountId,
      oidcProviders: byKey(
        of('oidc-provider').filter((p) => p.accountId === accountId && !p.exists),
        (p) => p.host,
      ),
      roles: byKey(
        of('role').filter((r) => r.accountId === accountId),
        (r) => r.name,
      ),
      trustAnchors: byKey(
        of('trust-anchor').filter((t) => t.accountId === accountId),
        (t) => t.name,
      ),
      rolesAnywhereProfiles: byKey(
        of('roles-anywhere-profile').filter((p) => p.accountId === accountId),
        (p) => p.name,
      ),
    }))
    .filter(
      (bundle) =>
        bundle.oidcProviders.length +
          bundle.roles.length +
          bundle.trustAnchors.length +
          bundle.rolesAnywhereProfiles.length >
        0,
    );
  const groups = new Map<string, Set<string>>();
  for (const group of of('identity-store-group')) {
    const members = groups.get(group.displayName) ?? new Set<string>();
    for (const member of group.members) members.add(member);
    groups.set(group.displayName, members);
  }
  return {
    accounts,
    identityCenter: {
      users: byKey(of('identity-store-user'), (u) => u.userName),
      groups: [...groups.entries()]
        .sort(([a], [b]) => compare(a, b))
        .map(([displayName, members]) => ({
          kind: 'identity-store-group',
          displayName,
          members: [...members].sort(compare),
        })),
      permissionSets: byKey(of('permission-set'), (p) => p.name),
      assignments: byKey(
        of('account-assignment'),
        (a) => `${a.accountId}\u0000${a.permissionSetName}\u0000${a.principalType}\u0000${a.principalName}`,
      ),
    },
    cliProfiles: byKey(of('cli-profiles'), (p) => p.personKey),
    exceptionDrafts: byKey(of('exception-draft'), (d) => `${d.accountId}/${d.userName}`),
    configChanges: byKey(of('config-change'), (c) => `${c.accountId}/${c.userName}/${c.title}`),
    guardrails,
  };
}
