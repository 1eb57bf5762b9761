import { InputFileError } from '../errors.js';
import type {
  AttachedPolicy,
  Group,
  InlinePolicy,
  ManagedPolicy,
  PolicyDocument,
  Role,
  Tags,
  When,
} from '../model/snapshot.js';
import { NEVER, UNKNOWN } from '../model/when.js';
import { whenFromAws } from './instant.js';
import { decodePolicyDocument } from './policy-text.js';

/** A user as the authorization details know it: everything but credentials. */
export interface GaadUser {
  arn: string;
  name: string;
  userId: string | null;
  path: string;
  createDate: When;
  tags: Tags;
  groups: string[];
  attachedPolicies: AttachedPolicy[];
  inlinePolicies: InlinePolicy[];
  permissionsBoundary: { arn: string; type: string } | null;
}

export interface Gaad {
  users: GaadUser[];
  roles: Role[];
  groups: Group[];
  policies: ManagedPolicy[];
}

/** The four lists that make a GetAccountAuthorizationDetails page; how a page is recognised. */
export const GAAD_LISTS = ['UserDetailList', 'GroupDetailList', 'RoleDetailList', 'Policies'] as const;

export function isGaadPage(value: unknown): boolean {
  return isRecord(value) && GAAD_LISTS.some((list) => Array.isArray(value[list]));
}

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Thrown inside normalisation; `normalizeGaad` adds the source name. */
class GaadShapeError extends Error {}

function text(entry: Json, key: string, what: string): string {
  const value = entry[key];
  if (typeof value !== 'string' || value === '') throw new GaadShapeError(`${what} has no ${key}`);
  return value;
}

function optionalText(entry: Json, key: string): string | null {
  const value = entry[key];
  return typeof value === 'string' && value !== '' ? value : null;
}

function list(entry: Json, key: string): Json[] {
  const value = entry[key];
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

/** The SDK gives Date objects, the CLI ISO strings (cloudsplaining's files a space for the T). */
function dateOf(value: unknown): When {
  if (value instanceof Date || typeof value === 'string') {
    try {
      return whenFromAws(value);
    } catch {
      throw new GaadShapeError(`"${String(value)}" is not a date`);
    }
  }
  return UNKNOWN;
}

function tagsOf(entry: Json): Tags {
  const pairs = list(entry, 'Tags')
    .filter((tag) => typeof tag.Key === 'string')
    .map((tag) => [tag.Key as string, typeof tag.Value === 'string' ? tag.Value : ''] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(pairs);
}

/** Managed policy entries from moto lack PolicyName; the name is the ARN's last segment. */
export function policyNameFromArn(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

function attachedOf(entry: Json): AttachedPolicy[] {
  return list(entry, 'AttachedManagedPolicies')
    .filter((policy) => typeof policy.PolicyArn === 'string')
    .map((policy) => {
      const arn = policy.PolicyArn as string;
      return { arn, name: optionalText(policy, 'PolicyName') ?? policyNameFromArn(arn) };
    })
    .sort((a, b) => compare(a.arn, b.arn));
}

function documentOf(raw: unknown, what: string): PolicyDocument {
  try {
    return decodePolicyDocument(raw);
  } catch (error) {
    throw new GaadShapeError(`${what}: ${(error as Error).message}`);
  }
}

function inlineOf(entry: Json, listKey: string, owner: string): InlinePolicy[] {
  return list(entry, listKey)
    .map((policy) => {
      const name = text(policy, 'PolicyName', `an inline policy of ${owner}`);
      return { name, document: documentOf(policy.PolicyDocument, `inline policy ${name} of ${owner}`) };
    })
    .sort((a, b) => compare(a.name, b.name));
}

function boundaryOf(entry: Json): GaadUser['permissionsBoundary'] {
  const boundary = entry.PermissionsBoundary;
  if (!isRecord(boundary) || typeof boundary.PermissionsBoundaryArn !== 'string') return null;
  return {
    arn: boundary.PermissionsBoundaryArn,
    type: typeof boundary.PermissionsBoundaryType === 'string' ? boundary.PermissionsBoundaryType : 'Policy',
  };
}

function userOf(entry: Json): GaadUser {
  const name = text(entry, 'UserName', 'a user');
  const what = `user ${name}`;
  return {
    arn: text(entry, 'Arn', what),
    name,
    userId: optionalText(entry, 'UserId'),
    path: optionalText(entry, 'Path') ?? '/',
    createDate: dateOf(entry.CreateDate),
    tags: tagsOf(entry),
    groups: (Array.isArray(entry.GroupList)
      ? entry.GroupList.filter((g): g is string => typeof g === 'string')
      : []
    ).sort(compare),
    attachedPolicies: attachedOf(entry),
    inlinePolicies: inlineOf(entry, 'UserPolicyList', what),
    permissionsBoundary: boundaryOf(entry),
  };
}

function roleOf(entry: Json): Role {
  const name = text(entry, 'RoleName', 'a role');
  const what = `role ${name}`;
  const lastUsed = entry.RoleLastUsed;
  // GAAD omits RoleLastUsed in old exports (unknown) and gives {} for a role never used.
  let used: When = UNKNOWN;
  let region: string | null = null;
  if (isRecord(lastUsed)) {
    used = lastUsed.LastUsedDate === undefined ? NEVER : dateOf(lastUsed.LastUsedDate);
    region = optionalText(lastUsed, 'Region');
  }
  return {
    arn: text(entry, 'Arn', what),
    name,
    roleId: optionalText(entry, 'RoleId'),
    path: optionalText(entry, 'Path') ?? '/',
    createDate: dateOf(entry.CreateDate),
    description: optionalText(entry, 'Description'),
    maxSessionDuration: typeof entry.MaxSessionDuration === 'number' ? entry.MaxSessionDuration : null,
    tags: tagsOf(entry),
    trustPolicy: documentOf(entry.AssumeRolePolicyDocument, `trust policy of ${what}`),
    attachedPolicies: attachedOf(entry),
    inlinePolicies: inlineOf(entry, 'RolePolicyList', what),
    permissionsBoundary: boundaryOf(entry),
    lastUsed: used,
    lastUsedRegion: region,
    instanceProfiles: list(entry, 'InstanceProfileList')
      .map((profile) => optionalText(profile, 'Arn') ?? optionalText(profile, 'InstanceProfileName'))
      .filter((value): value is string => value !== null)
      .sort(compare),
  };
}

function groupOf(entry: Json): Group {
  const name = text(entry, 'GroupName', 'a group');
  const what = `group ${name}`;
  return {
    arn: text(entry, 'Arn', what),
    name,
    groupId: optionalText(entry, 'GroupId'),
    path: optionalText(entry, 'Path') ?? '/',
    createDate: dateOf(entry.CreateDate),
    attachedPolicies: attachedOf(entry),
    inlinePolicies: inlineOf(entry, 'GroupPolicyList', what),
  };
}

function policyOf(entry: Json): ManagedPolicy {
  const arn = text(entry, 'Arn', 'a managed policy');
  const name = optionalText(entry, 'PolicyName') ?? policyNameFromArn(arn);
  const defaultVersionId = optionalText(entry, 'DefaultVersionId');
  const versions = list(entry, 'PolicyVersionList');
  const defaultVersion =
    versions.find((version) => version.IsDefaultVersion === true) ??
    versions.find((version) => defaultVersionId !== null && version.VersionId === defaultVersionId);
  return {
    arn,
    name,
    path: optionalText(entry, 'Path') ?? '/',
    awsManaged: arn.includes(':iam::aws:policy/'),
    attachmentCount: typeof entry.AttachmentCount === 'number' ? entry.AttachmentCount : null,
    defaultVersionId: defaultVersionId ?? optionalText(defaultVersion ?? {}, 'VersionId'),
    document:
      defaultVersion === undefined || defaultVersion.Document === undefined
        ? null
        : documentOf(defaultVersion.Document, `default version of policy ${name}`),
  };
}

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byArn<T extends { arn: string }>(items: T[]): T[] {
  const seen = new Map<string, T>();
  for (const item of items) if (!seen.has(item.arn)) seen.set(item.arn, item);
  return [...seen.values()].sort((a, b) => compare(a.arn, b.arn));
}

/**
 * Normalises one or more pages of GetAccountAuthorizationDetails (CLI JSON or SDK answers) into
 * sorted, decoded entities. Pages are merged; an entity repeated across pages is kept once.
 * `source` names the file (or API) in the one-line error a malformed entry gives.
 */
export function normalizeGaad(pages: readonly unknown[], source: string): Gaad {
  const users: GaadUser[] = [];
  const roles: Role[] = [];
  const groups: Group[] = [];
  const policies: ManagedPolicy[] = [];
  for (const page of pages) {
    if (!isRecord(page)) throw new InputFileError(source, 'not a JSON object of authorization details');
    try {
      for (const entry of list(page, 'UserDetailList')) users.push(userOf(entry));
      for (const entry of list(page, 'RoleDetailList')) roles.push(roleOf(entry));
      for (const entry of list(page, 'GroupDetailList')) groups.push(groupOf(entry));
      for (const entry of list(page, 'Policies')) policies.push(policyOf(entry));
    } catch (error) {
      if (error instanceof GaadShapeError) throw new InputFileError(source, `authorization details: ${error.message}`);
      throw error;
    }
  }
  return { users: byArn(users), roles: byArn(roles), groups: byArn(groups), policies: byArn(policies) };
}

/** Merges GAAD read from several files (one page each), keeping each file's own error messages. */
export function mergeGaad(parts: readonly Gaad[]): Gaad {
  return {
    users: byArn(parts.flatMap((part) => part.users)),
    roles: byArn(parts.flatMap((part) => part.roles)),
    groups: byArn(parts.flatMap((part) => part.groups)),
    policies: byArn(parts.flatMap((part) => part.policies)),
  };
}
