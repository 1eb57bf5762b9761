/**
 * A person: an IAM Identity Center user with a permission set that mirrors what the IAM user can
 * do today, assigned in the user's account, and the person's ~/.aws/config SSO profiles.
 */
import type { Snapshot, Tags, User } from '../../model/snapshot.js';
import { permissionSetName } from '../names.js';
import { personName, type PersonName } from '../person-name.js';
import { tagValue } from '../ownership.js';
import { mirroredPermissions } from '../permissions/sources.js';
import { placeholder } from '../trust-policies.js';
import type { Artifact, PlannedPermissions } from '../types.js';
import { switchOffStep, tag, type StrategyContext, type StrategyDefinition, type StrategyResult } from './context.js';

interface IdentityCenterState {
  inUse: boolean;
  startUrl: string;
  startUrlKnown: boolean;
  region: string;
}

/** Worked out once per snapshot: asked for every person, it read every account each time. */
const identityCenterStates = new WeakMap<Snapshot, IdentityCenterState>();

export function identityCenterState(snapshot: Snapshot): IdentityCenterState {
  const known = identityCenterStates.get(snapshot);
  if (known !== undefined) return known;
  const state = readIdentityCenterState(snapshot);
  identityCenterStates.set(snapshot, state);
  return state;
}

function readIdentityCenterState(snapshot: Snapshot): IdentityCenterState {
  const instance = snapshot.identityCenterInstance;
  const inUse = Boolean(instance) || snapshot.accounts.some((account) => account.identityCenter.inUse);
  const startUrl = instance?.identityStoreId.startsWith('d-')
    ? `https://${instance.identityStoreId}.awsapps.com/start`
    : `https://${placeholder('identity center start url').toLowerCase().replace(/_/g, '-')}.awsapps.com/start`;
  return {
    inUse,
    startUrl,
    startUrlKnown: Boolean(instance?.identityStoreId.startsWith('d-')),
    region: instance?.region ?? 'us-east-1',
  };
}

/** Profile names go into an INI section header: no brackets, spaces or newlines. */
function profileName(raw: string): string {
  return raw.replace(/[^A-Za-z0-9_.@+-]+/g, '-').replace(/^-+|-+$/g, '') || 'account';
}

/** Who the person is in the identity store: the classifier's person key, the e-mail and the names (see person-name.ts). */
function identityStorePerson(ctx: StrategyContext): PersonName & {
  personKey: string;
  storeUserName: string;
  email: string | null;
} {
  const { user } = ctx;
  const personKey = ctx.classification.personKey ?? user.name;
  // The classifier keys people as `email:...` or `name:...`; the identity store wants the bare value.
  const keyValue = personKey.replace(/^(email|name):/, '');
  const email =
    tag(user.tags, ['email', 'mail', 'e-mail']) ?? (/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(keyValue) ? keyValue : null);
  return { personKey, storeUserName: email ?? keyValue, email, ...personName(user.name, user.tags, email, keyValue) };
}

/**
 * A user whose permissions all come from groups gets the groups' permission set, shared with the
 * other members; anyone else gets their own. A team tag names the identity store group.
 */
function personGrouping(user: User): { groupDerived: boolean; groupName: string | null; psName: string } {
  const groupDerived = user.attachedPolicies.length === 0 && user.inlinePolicies.length === 0 && user.groups.length > 0;
  const groups = [...user.groups].sort().join('+');
  return {
    groupDerived,
    groupName: groupDerived ? groups : tag(user.tags, ['team', 'group']),
    psName: permissionSetName(groupDerived ? groups : `user-${user.name}`),
  };
}

/** A group's permission set is shared by all its members: it mirrors the group, not this user. */
function permissionSetTags(ctx: StrategyContext, groupDerived: boolean): Tags {
  if (!groupDerived) return ctx.ownership;
  return Object.fromEntries(
    Object.entries({
      ...ctx.ownership,
      'roleshift:mirrors': tagValue(`group ${[...ctx.user.groups].sort().join('+')}`),
    })
      .filter(([key]) => key !== 'roleshift:replaces')
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
}

type Person = ReturnType<typeof identityStorePerson>;
type Grouping = ReturnType<typeof personGrouping>;
type Principal = { principalType: 'GROUP' | 'USER'; principalName: string };

function personArtifacts(
  ctx: StrategyContext,
  person: Person,
  grouping: Grouping,
  context: { permissions: PlannedPermissions; principal: Principal; idc: IdentityCenterState },
): Artifact[] {
  const { user, account } = ctx;
  const { storeUserName, displayName, givenName, familyName } = person;
  const { groupName, psName } = grouping;
  const { permissions, principal, idc } = context;
  return [
    { kind: 'identity-store-user', userName: storeUserName, displayName, givenName, familyName, email: person.email },
    ...(groupName === null
      ? []
      : [{ kind: 'identity-store-group' as const, displayName: groupName, members: [storeUserName] }]),
    {
      kind: 'permission-set',
      name: psName,
      description: grouping.groupDerived
        ? `Mirrors IAM group(s) ${[...user.groups].sort().join(', ')}`.slice(0, 700)
        : `Mirrors the permissions of IAM user ${user.name}`.slice(0, 700),
      sessionDuration: permissions.admin ? 'PT1H' : 'PT8H',
      permissions,
      tags: permissionSetTags(ctx, grouping.groupDerived),
    },
    { kind: 'account-assignment', accountId: account.accountId, permissionSetName: psName, ...principal },
    {
      kind: 'cli-profiles',
      personKey: person.personKey,
      startUrl: idc.startUrl,
      ssoRegion: idc.region,
      // The planner merges the profiles of the same person's other accounts in afterwards.
      profiles: [
        {
          name: profileName(account.alias ?? account.accountId),
          accountId: account.accountId,
          permissionSetName: psName,
          region: ctx.region,
        },
      ],
    },
  ];
}

function planPerson(ctx: StrategyContext): StrategyResult {
  const { user, account, snapshot } = ctx;
  // People do more varied work than a CloudTrail window shows: their permission set mirrors what
  // they can do today, so the switch takes nothing away; narrowing is a separate, later change.
  const permissions = mirroredPermissions(
    ctx,
    ctx.usage
      ? 'mirrors current permissions (people keep what they have; narrow later)'
      : 'no usage facts: mirroring current policies; run with CloudTrail activity to narrow them to least privilege',
  );
  const idc = identityCenterState(snapshot);
  const person = identityStorePerson(ctx);
  const grouping = personGrouping(user);
  const { storeUserName } = person;
  const { groupName, psName } = grouping;
  const principal: Principal =
    groupName !== null
      ? { principalType: 'GROUP', principalName: groupName }
      : { principalType: 'USER', principalName: storeUserName };
  const steps = [
    ...(idc.inUse
      ? []
      : ['Enable IAM Identity Center in the management account (or a delegated administrator account).']),
    `Create the Identity Center user ${storeUserName} (or let your identity provider sync it)${groupName !== null ? ` and add it to group ${groupName}` : ''}.`,
    ...(person.guessedFrom === null
      ? []
      : [
          `Review the names guessed from ${person.guessedFrom}: given name "${person.givenName}", family name "${person.familyName}", display name "${person.displayName}" (tag the IAM user given_name and family_name to set them).`,
        ]),
    `Create permission set ${psName} (${permissions.note}).`,
    `Assign ${psName} to ${principal.principalType.toLowerCase()} ${principal.principalName} in account ${account.accountId}.`,
    `Give ${person.displayName} the generated ~/.aws/config blocks; they sign in with: aws sso login --sso-session roleshift. Console access goes through the access portal.`,
    switchOffStep(ctx),
  ];
  return {
    strategy: 'identity-center',
    target: `IAM Identity Center user ${storeUserName} with permission set ${psName}`,
    prerequisites: [
      {
        id: 'identity-center-enabled',
        description: 'IAM Identity Center is enabled for the organization',
        met: idc.inUse,
      },
      {
        id: 'access-portal-url',
        description: idc.startUrlKnown
          ? `access portal ${idc.startUrl}`
          : 'the access portal URL (the scan did not read the instance: fill sso_start_url in the generated ~/.aws/config)',
        met: idc.startUrlKnown,
      },
    ],
    blockers: [],
    steps,
    artifacts: personArtifacts(ctx, person, grouping, { permissions, principal, idc }),
    permissions,
  };
}

export const strategy: StrategyDefinition = {
  id: 'identity-center',
  title: 'IAM Identity Center user with a permission set mirroring what the user can do today',
  baseRisk: 1,
  classes: ['human'],
  plan: planPerson,
};
