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
import { decodePolicyDocument } from './policy-text.js';
import {
  dateAt,
  isRecord,
  optionalBooleanAt,
  optionalNumberAt,
  optionalStringAt,
  pathText,
  readShape,
  recordAt,
  recordsAt,
  requiredStringAt,
  ShapeError,
  stringsAt,
  tagsAt,
  type Json,
  type JsonPath,
} from './shape.js';

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

/** A page of GAAD holds at least one of the four lists (a list of the wrong shape included). */
export function isGaadPage(value: unknown): boolean {
  return isRecord(value) && GAAD_LISTS.some((list) => list in value);
}

/**
 * True when the page says more pages follow: `IsTruncated`/`Marker` (the API and `--no-paginate`)
 * or `NextToken` (the AWS CLI with `--max-items`). Such a page alone is not the whole account.
 */
export function gaadPageContinues(page: unknown): boolean {
  if (!isRecord(page)) return false;
  const marker = (key: string) => typeof page[key] === 'string' && page[key] !== '';
  return page.IsTruncated === true || marker('Marker') || marker('NextToken');
}

/** Managed policy entries from moto lack PolicyName; the name is the ARN's last segment. */
export function policyNameFromArn(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

function attachedOf(entry: Json, path: JsonPath): AttachedPolicy[] {
  return recordsAt(entry, 'AttachedManagedPolicies', path)
    .map(({ entry: policy, path: at }) => {
      const arn = requiredStringAt(policy, 'PolicyArn', at);
      return { arn, name: optionalStringAt(policy, 'PolicyName', at) ?? policyNameFromArn(arn) };
    })
    .sort((a, b) => compare(a.arn, b.arn));
}

function documentAt(entry: Json, key: string, path: JsonPath): PolicyDocument {
  try {
    return decodePolicyDocument(entry[key]);
  } catch (error) {
    throw new ShapeError(pathText([...path, key]), (error as Error).message);
  }
}

function inlineOf(entry: Json, listKey: string, path: JsonPath): InlinePolicy[] {
  return recordsAt(entry, listKey, path)
    .map(({ entry: policy, path: at }) => ({
      name: requiredStringAt(policy, 'PolicyName', at),
      document: documentAt(policy, 'PolicyDocument', at),
    }))
    .sort((a, b) => compare(a.name, b.name));
}

function boundaryOf(entry: Json, path: JsonPath): GaadUser['permissionsBoundary'] {
  const boundary = entry.PermissionsBoundary;
  if (boundary === undefined || boundary === null) return null;
  const at = [...path, 'PermissionsBoundary'];
  const record = recordAt(boundary, at);
  return {
    arn: requiredStringAt(record, 'PermissionsBoundaryArn', at),
    type: optionalStringAt(record, 'PermissionsBoundaryType', at) ?? 'Policy',
  };
}

/** What users, roles and groups share: ARN, name, id, path, creation date and their policies. */
function principalOf(entry: Json, path: JsonPath, kind: 'User' | 'Role' | 'Group') {
  return {
    arn: requiredStringAt(entry, 'Arn', path),
    name: requiredStringAt(entry, `${kind}Name`, path),
    id: optionalStringAt(entry, `${kind}Id`, path),
    path: optionalStringAt(entry, 'Path', path) ?? '/',
    createDate: dateAt(entry, 'CreateDate', path),
    attachedPolicies: attachedOf(entry, path),
    inlinePolicies: inlineOf(entry, `${kind}PolicyList`, path),
  };
}

function userOf(entry: Json, path: JsonPath): GaadUser {
  const { id, ...common } = principalOf(entry, path, 'User');
  return {
    ...common,
    userId: id,
    tags: tagsAt(entry, 'Tags', path),
    groups: stringsAt(entry, 'GroupList', path).sort(compare),
    permissionsBoundary: boundaryOf(entry, path),
  };
}

/** GAAD omits RoleLastUsed in old exports (unknown) and gives {} for a role never used. */
function roleLastUsedOf(entry: Json, path: JsonPath): { used: When; region: string | null } {
  const lastUsed = entry.RoleLastUsed;
  if (lastUsed === undefined || lastUsed === null) return { used: UNKNOWN, region: null };
  const at = [...path, 'RoleLastUsed'];
  const record = recordAt(lastUsed, at);
  return {
    used: record.LastUsedDate === undefined ? NEVER : dateAt(record, 'LastUsedDate', at),
    region: optionalStringAt(record, 'Region', at),
  };
}

function roleOf(entry: Json, path: JsonPath): Role {
  const { id, ...common } = principalOf(entry, path, 'Role');
  const { used, region } = roleLastUsedOf(entry, path);
  return {
    ...common,
    roleId: id,
    description: optionalStringAt(entry, 'Description', path),
    maxSessionDuration: optionalNumberAt(entry, 'MaxSessionDuration', path),
    tags: tagsAt(entry, 'Tags', path),
    trustPolicy: documentAt(entry, 'AssumeRolePolicyDocument', path),
    permissionsBoundary: boundaryOf(entry, path),
    lastUsed: used,
    lastUsedRegion: region,
    instanceProfiles: recordsAt(entry, 'InstanceProfileList', path)
      .map(
        ({ entry: profile, path: at }) =>
          optionalStringAt(profile, 'Arn', at) ?? requiredStringAt(profile, 'InstanceProfileName', at),
      )
      .sort(compare),
  };
}

function groupOf(entry: Json, path: JsonPath): Group {
  const { id, ...common } = principalOf(entry, path, 'Group');
  return { ...common, groupId: id };
}

function defaultVersionOf(entry: Json, path: JsonPath): { versionId: string | null; document: PolicyDocument | null } {
  const defaultVersionId = optionalStringAt(entry, 'DefaultVersionId', path);
  const versions = recordsAt(entry, 'PolicyVersionList', path);
  const chosen =
    versions.find(({ entry: version, path: at }) => optionalBooleanAt(version, 'IsDefaultVersion', at) === true) ??
    versions.find(
      ({ entry: version, path: at }) =>
        defaultVersionId !== null && optionalStringAt(version, 'VersionId', at) === defaultVersionId,
    );
  if (chosen === undefined) return { versionId: defaultVersionId, document: null };
  return {
    versionId: defaultVersionId ?? optionalStringAt(chosen.entry, 'VersionId', chosen.path),
    document: chosen.entry.Document === undefined ? null : documentAt(chosen.entry, 'Document', chosen.path),
  };
}

function policyOf(entry: Json, path: JsonPath): ManagedPolicy {
  const arn = requiredStringAt(entry, 'Arn', path);
  const version = defaultVersionOf(entry, path);
  return {
    arn,
    name: optionalStringAt(entry, 'PolicyName', path) ?? policyNameFromArn(arn),
    path: optionalStringAt(entry, 'Path', path) ?? '/',
    awsManaged: arn.includes(':iam::aws:policy/'),
    attachmentCount: optionalNumberAt(entry, 'AttachmentCount', path),
    defaultVersionId: version.versionId,
    document: version.document,
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
 * Every entry must have the shape AWS gives: anything else is an input error naming `source` and
 * the path of the value (`UserDetailList[3]: expected an object, found a string`), never a skip.
 */
export function normalizeGaad(pages: readonly unknown[], source: string): Gaad {
  const users: GaadUser[] = [];
  const roles: Role[] = [];
  const groups: Group[] = [];
  const policies: ManagedPolicy[] = [];
  for (const raw of pages) {
    readShape(source, () => {
      const page = recordAt(raw, []);
      for (const { entry, path } of recordsAt(page, 'UserDetailList', [])) users.push(userOf(entry, path));
      for (const { entry, path } of recordsAt(page, 'RoleDetailList', [])) roles.push(roleOf(entry, path));
      for (const { entry, path } of recordsAt(page, 'GroupDetailList', [])) groups.push(groupOf(entry, path));
      for (const { entry, path } of recordsAt(page, 'Policies', [])) policies.push(policyOf(entry, path));
    });
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
