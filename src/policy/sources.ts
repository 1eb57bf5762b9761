/**
 * Finds the IAM policy documents in files `roleshift lint` is given: a policy document (JSON or
 * YAML), a CloudFormation template (YAML with short tags, or JSON), Terraform (HCL through
 * `@cdktf/hcl2json`, `.tf.json`, or a `terraform show -json` plan), or a saved
 * `get-account-authorization-details` output. Takes the file's text, never reads the disk, and
 * keeps the line of each document so findings point into the file. What cannot be resolved
 * offline (variables, references) is listed, not guessed.
 */
import { parse as parseHcl } from '@cdktf/hcl2json';
import { LineCounter, parseDocument, type Document } from 'yaml';
import {
  addCloudFormationUses,
  addPlanReferences,
  addTerraformUses,
  hasBoundaryMarker,
  noBoundaryUses,
  usedAsBoundary,
} from './boundary-use.js';
import { CLOUDFORMATION_TAGS, TemplateResolver } from './cloudformation.js';
import { evaluateJsonencode, type HclValue } from './hcl-expression.js';
import { SERVICE_LINKED_PATH } from './trust/analyze.js';
import { InputFileError } from '../errors.js';

/**
 * `trust`: a role's assume-role policy; `identity`: a permissions policy; `boundary`: a managed
 * policy the file uses as a permissions boundary; `auto`: decided by its content.
 */
export type PolicyKind = 'trust' | 'identity' | 'boundary' | 'auto';

export interface ExtractedPolicy {
  file: string;
  /** Who the document belongs to: `aws_iam_role.deploy`, `RoleGithubActions`, a role name, or the file itself. */
  resourceName: string;
  kind: PolicyKind;
  document: unknown;
  /** 1-based line where the document starts; null when the format carries no positions. */
  line: number | null;
  /** The line of a JSON pointer inside the document, when the format allows it. */
  lineOf: (pointer: string) => number | null;
  /** Expressions that could not be resolved offline; the analysis treats them as opaque text. */
  unresolved: string[];
  /** The account the document lives in, when the file says (saved account details name it in every ARN). */
  accountId?: string;
}

export interface ManagedPolicyAttachment {
  file: string;
  resourceName: string;
  policyArn: string;
  line: number | null;
  /** The account of the principal it is attached to, when the file says. */
  accountId?: string;
  /** The policy's document, when the file holds it (saved account details list AWS managed policies too). */
  document?: unknown;
}

export interface Extraction {
  policies: ExtractedPolicy[];
  attachments: ManagedPolicyAttachment[];
  /** Things the reader skipped and the user should know about (dynamic blocks, unknown plan values); the file is not repeated in them. */
  notes: string[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function noLines(): number | null {
  return null;
}

function emptyExtraction(): Extraction {
  return { policies: [], attachments: [], notes: [] };
}

function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .split('/')
    .slice(1)
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Line lookup through the YAML parser's positions (JSON parses as YAML too). */
function yamlLines(
  doc: Document,
  counter: LineCounter,
  base: readonly (string | number)[],
): (pointer: string) => number | null {
  return (pointer) => {
    const path = [...base, ...pointerSegments(pointer)];
    for (let length = path.length; length >= base.length; length -= 1) {
      const node = doc.getIn(path.slice(0, length), true) as { range?: [number, number, number] } | undefined;
      if (node && typeof node === 'object' && node.range) return counter.linePos(node.range[0]).line;
    }
    return null;
  };
}

function lineOfText(text: string, pattern: RegExp): number | null {
  const match = pattern.exec(text);
  if (!match) return null;
  return text.slice(0, match.index).split('\n').length;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function collectPlaceholders(value: unknown, into: Set<string>): void {
  if (typeof value === 'string') {
    for (const match of value.matchAll(/\$\{([^}]*)\}/g)) into.add(match[1] ?? '');
  } else if (Array.isArray(value)) for (const v of value) collectPlaceholders(v, into);
  else if (isObject(value))
    Object.entries(value).forEach(([k, v]) => {
      collectPlaceholders(k, into);
      collectPlaceholders(v, into);
    });
}

// ---------------------------------------------------------------- CloudFormation

const CFN_POLICY_PROPERTIES: Record<string, Array<{ property: string; kind: PolicyKind; list: boolean }>> = {
  'AWS::IAM::Role': [
    { property: 'AssumeRolePolicyDocument', kind: 'trust', list: false },
    { property: 'Policies', kind: 'identity', list: true },
  ],
  'AWS::IAM::ManagedPolicy': [{ property: 'PolicyDocument', kind: 'identity', list: false }],
  'AWS::IAM::Policy': [{ property: 'PolicyDocument', kind: 'identity', list: false }],
  'AWS::IAM::RolePolicy': [{ property: 'PolicyDocument', kind: 'identity', list: false }],
  'AWS::IAM::UserPolicy': [{ property: 'PolicyDocument', kind: 'identity', list: false }],
  'AWS::IAM::GroupPolicy': [{ property: 'PolicyDocument', kind: 'identity', list: false }],
  'AWS::IAM::User': [{ property: 'Policies', kind: 'identity', list: true }],
  'AWS::IAM::Group': [{ property: 'Policies', kind: 'identity', list: true }],
};

function fromCloudFormation(
  file: string,
  template: Record<string, unknown>,
  doc: Document,
  counter: LineCounter,
): Extraction {
  const out = emptyExtraction();
  const resources = isObject(template['Resources']) ? template['Resources'] : {};
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (!isObject(resource) || typeof resource['Type'] !== 'string') continue;
    const properties = isObject(resource['Properties']) ? resource['Properties'] : {};
    const specs = CFN_POLICY_PROPERTIES[resource['Type']] ?? [];
    const resolver = new TemplateResolver(template);
    const base = ['Resources', logicalId, 'Properties'];
    for (const spec of specs) {
      const raw = properties[spec.property];
      if (raw === undefined) continue;
      const items: Array<{ value: unknown; path: (string | number)[]; name: string }> = spec.list
        ? (Array.isArray(raw) ? raw : []).map((p, i) => ({
            value: isObject(p) ? p['PolicyDocument'] : undefined,
            path: [...base, spec.property, i, 'PolicyDocument'],
            name: `${logicalId}.${spec.property}[${isObject(p) && typeof p['PolicyName'] === 'string' ? p['PolicyName'] : i}]`,
          }))
        : [{ value: raw, path: [...base, spec.property], name: logicalId }];
      for (const item of items) {
        if (item.value === undefined) continue;
        const lineOf = yamlLines(doc, counter, item.path);
        out.policies.push({
          file,
          resourceName: item.name,
          kind: spec.kind,
          document: resolver.resolve(item.value) ?? null,
          line: lineOf(''),
          lineOf,
          unresolved: [...resolver.unresolved],
        });
      }
    }
    if (
      resource['Type'] === 'AWS::IAM::Role' ||
      resource['Type'] === 'AWS::IAM::User' ||
      resource['Type'] === 'AWS::IAM::Group'
    ) {
      const resolver = new TemplateResolver(template);
      const arns = resolver.resolve(properties['ManagedPolicyArns']);
      if (Array.isArray(arns)) {
        arns.forEach((arn, i) => {
          if (typeof arn !== 'string') return;
          out.attachments.push({
            file,
            resourceName: logicalId,
            policyArn: arn,
            line: yamlLines(doc, counter, [...base, 'ManagedPolicyArns', i])(''),
          });
        });
      }
    }
  }
  markCloudFormationBoundaries(out, template);
  return out;
}

/** Marks the managed policies of a template that a role or user uses as its permissions boundary, or that carry the marker. */
function markCloudFormationBoundaries(out: Extraction, template: Record<string, unknown>): void {
  const resources = isObject(template['Resources']) ? template['Resources'] : {};
  const uses = noBoundaryUses();
  for (const resource of Object.values(resources)) {
    if (!isObject(resource) || !isObject(resource['Properties'])) continue;
    if (resource['Type'] === 'AWS::IAM::Role' || resource['Type'] === 'AWS::IAM::User')
      addCloudFormationUses(resource['Properties']['PermissionsBoundary'], uses);
  }
  const resolver = new TemplateResolver(template);
  const boundaries = new Set<string>();
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (!isObject(resource) || resource['Type'] !== 'AWS::IAM::ManagedPolicy') continue;
    const properties = isObject(resource['Properties']) ? resource['Properties'] : {};
    const name = resolver.resolve(properties['ManagedPolicyName']);
    if (usedAsBoundary(uses, logicalId, name) || hasBoundaryMarker(name, properties['Description']))
      boundaries.add(logicalId);
  }
  for (const policy of out.policies)
    if (policy.kind === 'identity' && boundaries.has(policy.resourceName)) policy.kind = 'boundary';
}

// ---------------------------------------------------------------- GAAD

/** What the readers of one saved authorization-details file share. */
interface DetailsReading {
  file: string;
  out: Extraction;
  lines: (path: readonly (string | number)[]) => (pointer: string) => number | null;
}

function accountOfArn(arn: unknown): string | undefined {
  return typeof arn === 'string' ? /^arn:[^:]+:iam::(\d{12}):/.exec(arn)?.[1] : undefined;
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function isServiceLinked(entry: Record<string, unknown>): boolean {
  return typeof entry['Path'] === 'string' && entry['Path'].startsWith(SERVICE_LINKED_PATH);
}

function pushDocument(
  reading: DetailsReading,
  path: readonly (string | number)[],
  policy: Pick<ExtractedPolicy, 'resourceName' | 'kind' | 'document'> & { accountId: string | undefined },
): void {
  const lineOf = reading.lines(path);
  const { accountId, ...rest } = policy;
  reading.out.policies.push({
    file: reading.file,
    ...rest,
    line: lineOf(''),
    lineOf,
    unresolved: [],
    ...(accountId ? { accountId } : {}),
  });
}

/** Every role's trust policy, except service-linked roles' (AWS owns them). */
function readTrustPolicies(reading: DetailsReading, roles: readonly unknown[]): void {
  roles.forEach((role, i) => {
    if (!isObject(role) || isServiceLinked(role)) return;
    pushDocument(reading, ['RoleDetailList', i, 'AssumeRolePolicyDocument'], {
      resourceName: typeof role['RoleName'] === 'string' ? role['RoleName'] : `RoleDetailList[${i}]`,
      kind: 'trust',
      document: role['AssumeRolePolicyDocument'],
      accountId: accountOfArn(role['Arn']),
    });
  });
}

const PRINCIPAL_LISTS = [
  { list: 'UserDetailList', name: 'UserName', inline: 'UserPolicyList' },
  { list: 'GroupDetailList', name: 'GroupName', inline: 'GroupPolicyList' },
  { list: 'RoleDetailList', name: 'RoleName', inline: 'RolePolicyList' },
] as const;

/** The inline policies of every user, group and role but service-linked roles. */
function readInlinePolicies(reading: DetailsReading, details: Record<string, unknown>): void {
  for (const spec of PRINCIPAL_LISTS) {
    listOf(details[spec.list]).forEach((entry, i) => {
      if (!isObject(entry) || isServiceLinked(entry)) return;
      const owner = typeof entry[spec.name] === 'string' ? entry[spec.name] : `${spec.list}[${i}]`;
      listOf(entry[spec.inline]).forEach((policy, j) => {
        if (!isObject(policy)) return;
        pushDocument(reading, [spec.list, i, spec.inline, j, 'PolicyDocument'], {
          resourceName: `${String(owner)}.${spec.inline}[${typeof policy['PolicyName'] === 'string' ? policy['PolicyName'] : j}]`,
          kind: 'identity',
          document: policy['PolicyDocument'],
          accountId: accountOfArn(entry['Arn']),
        });
      });
    });
  }
}

/** Managed policy ARNs used as a permissions boundary by a user or role of the file. */
function boundaryArns(details: Record<string, unknown>): Set<string> {
  const arns = new Set<string>();
  for (const list of ['UserDetailList', 'RoleDetailList'])
    for (const entry of listOf(details[list])) {
      const boundary = isObject(entry) && isObject(entry['PermissionsBoundary']) ? entry['PermissionsBoundary'] : {};
      if (typeof boundary['PermissionsBoundaryArn'] === 'string') arns.add(boundary['PermissionsBoundaryArn']);
    }
  return arns;
}

function isAwsManaged(arn: unknown): boolean {
  return typeof arn === 'string' && /^arn:[^:]+:iam::aws:policy\//.test(arn);
}

/** The default version's document and its index in PolicyVersionList. */
function defaultVersion(policy: Record<string, unknown>): { document: unknown; index: number } | null {
  const versions = listOf(policy['PolicyVersionList']);
  const index = versions.findIndex((v) => isObject(v) && v['IsDefaultVersion'] === true);
  const version = versions[index];
  return isObject(version) ? { document: version['Document'], index } : null;
}

/**
 * Customer managed policies (their default version); AWS managed ones are AWS's to change and are
 * judged where they are attached. A policy a user or role uses as its boundary, counted as one
 * (`PermissionsBoundaryUsageCount`) or carrying the marker, is graded as a boundary.
 */
function readManagedPolicies(reading: DetailsReading, details: Record<string, unknown>): void {
  const boundaries = boundaryArns(details);
  let awsManaged = 0;
  listOf(details['Policies']).forEach((policy, i) => {
    if (!isObject(policy)) return;
    if (isAwsManaged(policy['Arn'])) {
      awsManaged += 1;
      return;
    }
    const version = defaultVersion(policy);
    if (version === null) return;
    const boundary =
      boundaries.has(String(policy['Arn'])) ||
      (typeof policy['PermissionsBoundaryUsageCount'] === 'number' && policy['PermissionsBoundaryUsageCount'] > 0) ||
      hasBoundaryMarker(policy['PolicyName'], policy['Description']);
    pushDocument(reading, ['Policies', i, 'PolicyVersionList', version.index, 'Document'], {
      resourceName: typeof policy['PolicyName'] === 'string' ? policy['PolicyName'] : `Policies[${i}]`,
      kind: boundary ? 'boundary' : 'identity',
      document: version.document,
      accountId: accountOfArn(policy['Arn']),
    });
  });
  if (awsManaged > 0)
    reading.out.notes.push(
      `${awsManaged} AWS managed policies not linted on their own: they are judged where attached.`,
    );
}

/** AWS managed policies attached to users, groups and roles, with their document when the file holds it. */
function readAttachedAwsPolicies(reading: DetailsReading, details: Record<string, unknown>): void {
  const documents = new Map<string, unknown>();
  for (const policy of listOf(details['Policies']))
    if (isObject(policy) && isAwsManaged(policy['Arn']))
      documents.set(String(policy['Arn']), defaultVersion(policy)?.document);
  for (const spec of PRINCIPAL_LISTS) {
    listOf(details[spec.list]).forEach((entry, i) => {
      if (!isObject(entry) || isServiceLinked(entry)) return;
      listOf(entry['AttachedManagedPolicies']).forEach((attached, j) => {
        const arn = isObject(attached) ? attached['PolicyArn'] : undefined;
        if (typeof arn !== 'string' || !isAwsManaged(arn)) return;
        const accountId = accountOfArn(entry['Arn']);
        const document = documents.get(arn);
        reading.out.attachments.push({
          file: reading.file,
          resourceName: typeof entry[spec.name] === 'string' ? String(entry[spec.name]) : `${spec.list}[${i}]`,
          policyArn: arn,
          line: reading.lines([spec.list, i, 'AttachedManagedPolicies', j])(''),
          ...(accountId ? { accountId } : {}),
          ...(document === undefined ? {} : { document }),
        });
      });
    });
  }
}

function fromAuthorizationDetails(
  file: string,
  details: Record<string, unknown>,
  doc: Document,
  counter: LineCounter,
): Extraction {
  const reading: DetailsReading = { file, out: emptyExtraction(), lines: (path) => yamlLines(doc, counter, path) };
  const roles = listOf(details['RoleDetailList']);
  readTrustPolicies(reading, roles);
  readInlinePolicies(reading, details);
  readManagedPolicies(reading, details);
  readAttachedAwsPolicies(reading, details);
  const serviceLinked = roles.filter((role) => isObject(role) && isServiceLinked(role)).length;
  if (serviceLinked > 0)
    reading.out.notes.push(`${serviceLinked} service-linked role(s) skipped: AWS owns their policies.`);
  return reading.out;
}

// ---------------------------------------------------------------- Terraform

type Blocks = Record<string, unknown>;

function blockList(value: unknown): Blocks[] {
  return Array.isArray(value) ? value.filter(isObject) : isObject(value) ? [value] : [];
}

function stringsOf(value: unknown, unresolved: Set<string>): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const items = Array.isArray(value) ? value : [value];
  return items.map((item) => {
    if (typeof item === 'string') return item;
    // A plan leaves values that are only known after apply as null.
    unresolved.add('a value known only after apply');
    return '${unknown}';
  });
}

/** Builds the JSON policy a `data "aws_iam_policy_document"` block renders. */
export function policyFromDocumentBlock(
  block: Blocks,
  unresolved: Set<string>,
  notes: string[],
  name: string,
): Record<string, unknown> {
  const statements: Record<string, unknown>[] = [];
  for (const s of blockList(block['statement'])) {
    const statement: Record<string, unknown> = { Effect: typeof s['effect'] === 'string' ? s['effect'] : 'Allow' };
    if (typeof s['sid'] === 'string' && s['sid'] !== '') statement['Sid'] = s['sid'];
    // `action` is not an argument of the data source; accepted so a typo is analysed, and reported.
    const actions = s['actions'] ?? s['action'];
    if (s['actions'] === undefined && s['action'] !== undefined)
      notes.push(
        `${name}: "action" is not an argument of aws_iam_policy_document (Terraform expects "actions"); read it as "actions".`,
      );
    const fields: Array<[string, unknown]> = [
      ['Action', actions],
      ['NotAction', s['not_actions']],
      ['Resource', s['resources']],
      ['NotResource', s['not_resources']],
    ];
    for (const [key, value] of fields) {
      const list = stringsOf(value, unresolved);
      if (list !== undefined) statement[key] = list;
    }
    for (const [key, field] of [
      ['Principal', 'principals'],
      ['NotPrincipal', 'not_principals'],
    ] as const) {
      const blocks = blockList(s[field]);
      if (blocks.length === 0) continue;
      const principal: Record<string, string[]> = {};
      for (const p of blocks) {
        const type = typeof p['type'] === 'string' ? p['type'] : 'AWS';
        principal[type] = [...(principal[type] ?? []), ...(stringsOf(p['identifiers'], unresolved) ?? [])];
      }
      const onlyStar = Object.keys(principal).length === 1 && principal['*']?.every((v) => v === '*');
      statement[key] = onlyStar ? '*' : principal;
    }
    const conditions = blockList(s['condition']);
    if (conditions.length > 0) {
      const condition: Record<string, Record<string, string[]>> = {};
      for (const c of conditions) {
        const test = typeof c['test'] === 'string' ? c['test'] : '${unknown}';
        const variable = typeof c['variable'] === 'string' ? c['variable'] : '${unknown}';
        condition[test] ??= {};
        const block = condition[test];
        block[variable] = [...(block[variable] ?? []), ...(stringsOf(c['values'], unresolved) ?? [])];
      }
      statement['Condition'] = condition;
    }
    statements.push(statement);
  }
  if (block['dynamic'] !== undefined)
    notes.push(`${name}: dynamic blocks are not expanded; statements built by them were not analysed.`);
  for (const field of ['source_policy_documents', 'override_policy_documents', 'source_json', 'override_json']) {
    const value = block[field];
    if (value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0)) {
      notes.push(`${name}: ${field} is merged by Terraform at plan time and was not analysed here.`);
    }
  }
  const policy: Record<string, unknown> = {
    Version: typeof block['version'] === 'string' ? block['version'] : '2012-10-17',
    Statement: statements,
  };
  return policy;
}

interface PolicyAttribute {
  type: string;
  attribute: string;
  kind: PolicyKind;
}

const TERRAFORM_POLICY_ATTRIBUTES: PolicyAttribute[] = [
  { type: 'aws_iam_role', attribute: 'assume_role_policy', kind: 'trust' },
  { type: 'aws_iam_policy', attribute: 'policy', kind: 'identity' },
  { type: 'aws_iam_role_policy', attribute: 'policy', kind: 'identity' },
  { type: 'aws_iam_user_policy', attribute: 'policy', kind: 'identity' },
  { type: 'aws_iam_group_policy', attribute: 'policy', kind: 'identity' },
];

/** Reads a policy attribute: heredoc JSON, `jsonencode({...})`, or a reference to something else. */
function terraformAttribute(
  value: unknown,
  unresolved: Set<string>,
): { document: unknown } | { reference: string } | null {
  if (typeof value !== 'string') return value === undefined || value === null ? null : { document: value };
  const evaluated = evaluateJsonencode(value);
  if (evaluated.kind === 'reference') return { reference: evaluated.expression };
  if (evaluated.kind === 'value') {
    for (const u of evaluated.result.unresolved) unresolved.add(u);
    return { document: evaluated.result.value satisfies HclValue };
  }
  collectPlaceholders(value, unresolved);
  return { document: value };
}

/** What the readers of one Terraform configuration share: the file, the output and block lines. */
interface TerraformReading {
  file: string;
  out: Extraction;
  lineOfBlock: (kind: string, type: string, name: string) => number | null;
}

/** Every block of one type, by name: `resource "TYPE" "NAME" {...}` (repeated blocks included). */
function namedBlocks(section: Record<string, unknown>, type: string): Array<[string, Blocks]> {
  const byName = isObject(section[type]) ? section[type] : {};
  return Object.entries(byName as Record<string, unknown>).flatMap(([name, bodies]) =>
    blockList(bodies).map((body): [string, Blocks] => [name, body]),
  );
}

function pushPolicy(
  reading: TerraformReading,
  policy: Pick<ExtractedPolicy, 'resourceName' | 'kind' | 'document' | 'line'> & { unresolved: Set<string> },
): void {
  const { line } = policy;
  reading.out.policies.push({
    file: reading.file,
    resourceName: policy.resourceName,
    kind: policy.kind,
    document: policy.document,
    line,
    lineOf: () => line,
    unresolved: [...policy.unresolved],
  });
}

/** Trust and permissions policies given as a resource attribute (heredoc JSON or jsonencode). */
function readPolicyAttributes(reading: TerraformReading, resources: Record<string, unknown>): void {
  for (const spec of TERRAFORM_POLICY_ATTRIBUTES) {
    for (const [name, body] of namedBlocks(resources, spec.type)) {
      const resourceName = `${spec.type}.${name}`;
      const unresolved = new Set<string>();
      let read: ReturnType<typeof terraformAttribute>;
      try {
        read = terraformAttribute(body[spec.attribute], unresolved);
      } catch (error) {
        reading.out.notes.push(
          `${resourceName}: ${spec.attribute} could not be read (${error instanceof Error ? error.message : String(error)}).`,
        );
        continue;
      }
      if (read === null) continue;
      const line = reading.lineOfBlock('resource', spec.type, name);
      if ('reference' in read) {
        if (!/^data\.aws_iam_policy_document\./.test(read.reference)) {
          reading.out.notes.push(
            `${resourceName}: ${spec.attribute} = ${read.reference} cannot be resolved offline; not analysed.`,
          );
        }
        continue;
      }
      pushPolicy(reading, { resourceName, kind: spec.kind, document: read.document, line, unresolved });
    }
  }
}

const TERRAFORM_ATTACHMENT_TYPES = [
  'aws_iam_role_policy_attachment',
  'aws_iam_user_policy_attachment',
  'aws_iam_group_policy_attachment',
  'aws_iam_policy_attachment',
];

/** Managed policies attached by ARN, named after the role, user or group they are attached to. */
function readAttachments(reading: TerraformReading, resources: Record<string, unknown>): void {
  for (const type of TERRAFORM_ATTACHMENT_TYPES) {
    for (const [name, body] of namedBlocks(resources, type)) {
      const arn = body['policy_arn'];
      if (typeof arn !== 'string') continue;
      const target = [body['role'], body['user'], body['group']].find((t) => typeof t === 'string') as
        | string
        | undefined;
      const owner = target && /^\$\{(aws_iam_(?:role|user|group)\.[A-Za-z0-9_-]+)\.(?:name|id)\}$/.exec(target)?.[1];
      reading.out.attachments.push({
        file: reading.file,
        resourceName: owner ?? `${type}.${name}`,
        policyArn: arn,
        line: reading.lineOfBlock('resource', type, name),
      });
    }
  }
}

/** A role's `inline_policy` blocks and `managed_policy_arns`. */
function readRoleBlocks(reading: TerraformReading, resources: Record<string, unknown>): void {
  for (const [name, body] of namedBlocks(resources, 'aws_iam_role')) {
    const line = reading.lineOfBlock('resource', 'aws_iam_role', name);
    for (const inline of blockList(body['inline_policy'])) {
      const resourceName = `aws_iam_role.${name}.inline_policy[${typeof inline['name'] === 'string' ? inline['name'] : '?'}]`;
      const unresolved = new Set<string>();
      const read = terraformAttribute(inline['policy'], unresolved);
      if (read === null || 'reference' in read) continue;
      pushPolicy(reading, { resourceName, kind: 'identity', document: read.document, line, unresolved });
    }
    for (const arn of Array.isArray(body['managed_policy_arns']) ? body['managed_policy_arns'] : []) {
      if (typeof arn === 'string')
        reading.out.attachments.push({
          file: reading.file,
          resourceName: `aws_iam_role.${name}`,
          policyArn: arn,
          line,
        });
    }
  }
}

/** `data "aws_iam_policy_document"` blocks, rebuilt as policy documents. */
function readPolicyDocuments(reading: TerraformReading, config: Record<string, unknown>): void {
  const data = isObject(config['data']) ? config['data'] : {};
  for (const [name, body] of namedBlocks(data, 'aws_iam_policy_document')) {
    const resourceName = `data.aws_iam_policy_document.${name}`;
    const unresolved = new Set<string>();
    const document = policyFromDocumentBlock(body, unresolved, reading.out.notes, resourceName);
    collectPlaceholders(document, unresolved);
    const line = reading.lineOfBlock('data', 'aws_iam_policy_document', name);
    pushPolicy(reading, { resourceName, kind: 'auto', document, line, unresolved });
  }
}

/** The `data.aws_iam_policy_document` a policy attribute refers to, if any. */
function documentReference(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  return /\$\{\s*(data\.aws_iam_policy_document\.[\w-]+)\.json\s*\}/.exec(value)?.[1] ?? null;
}

/**
 * Marks the `aws_iam_policy` resources a role or user of the configuration uses as its
 * `permissions_boundary` (or that carry the marker), and the policy documents they are built from.
 */
function markTerraformBoundaries(out: Extraction, resources: Record<string, unknown>): void {
  const uses = noBoundaryUses();
  for (const type of ['aws_iam_role', 'aws_iam_user'])
    for (const [, body] of namedBlocks(resources, type)) addTerraformUses(body['permissions_boundary'], uses);
  const boundaries = new Set<string>();
  for (const [name, body] of namedBlocks(resources, 'aws_iam_policy')) {
    const address = `aws_iam_policy.${name}`;
    if (
      !usedAsBoundary(uses, address, body['name']) &&
      !hasBoundaryMarker(body['name'], body['name_prefix'], body['description'])
    )
      continue;
    boundaries.add(address);
    const document = documentReference(body['policy']);
    if (document !== null) boundaries.add(document);
  }
  for (const policy of out.policies)
    if (policy.kind !== 'trust' && boundaries.has(policy.resourceName)) policy.kind = 'boundary';
}

function fromTerraformConfig(file: string, config: Record<string, unknown>, text: string | null): Extraction {
  const reading: TerraformReading = {
    file,
    out: emptyExtraction(),
    lineOfBlock: (kind, type, name) =>
      text === null
        ? null
        : lineOfText(
            text,
            new RegExp(`^[ \\t]*${kind}\\s+"?${escapeRegExp(type)}"?\\s+"?${escapeRegExp(name)}"?\\s*\\{`, 'm'),
          ),
  };
  const resources = isObject(config['resource']) ? config['resource'] : {};
  readPolicyAttributes(reading, resources);
  readAttachments(reading, resources);
  readRoleBlocks(reading, resources);
  readPolicyDocuments(reading, config);
  markTerraformBoundaries(reading.out, resources);
  return reading.out;
}

function planModules(module: unknown): Blocks[] {
  if (!isObject(module)) return [];
  return [...blockList(module['resources']), ...blockList(module['child_modules']).flatMap(planModules)];
}

function configurationResources(plan: Record<string, unknown>): Blocks[] {
  const configuration = isObject(plan['configuration']) ? plan['configuration'] : {};
  return isObject(configuration['root_module']) ? blockList(configuration['root_module']['resources']) : [];
}

function referencesOf(resource: Blocks, attribute: string): unknown {
  const expressions = isObject(resource['expressions']) ? resource['expressions'] : {};
  const expression = isObject(expressions[attribute]) ? expressions[attribute] : {};
  return expression['references'];
}

/**
 * The addresses of the plan's boundary policies: `aws_iam_policy` resources a role or user names
 * as its `permissions_boundary` (by ARN in the planned values, or by reference in the
 * configuration) or that carry the marker, and the policy documents they are built from.
 */
function planBoundaries(plan: Record<string, unknown>, resources: readonly Blocks[]): Set<string> {
  const uses = noBoundaryUses();
  const configured = configurationResources(plan);
  for (const resource of [...resources, ...configured]) {
    if (resource['type'] !== 'aws_iam_role' && resource['type'] !== 'aws_iam_user') continue;
    const values = isObject(resource['values']) ? resource['values'] : {};
    addTerraformUses(values['permissions_boundary'], uses);
    addPlanReferences(referencesOf(resource, 'permissions_boundary'), uses);
  }
  const boundaries = new Set<string>();
  for (const resource of resources) {
    if (resource['type'] !== 'aws_iam_policy' || resource['mode'] === 'data') continue;
    const values = isObject(resource['values']) ? resource['values'] : {};
    const address = String(resource['address']);
    if (usedAsBoundary(uses, address, values['name']) || hasBoundaryMarker(values['name'], values['description']))
      boundaries.add(address);
  }
  for (const resource of configured) {
    if (resource['type'] !== 'aws_iam_policy' || !boundaries.has(String(resource['address']))) continue;
    for (const reference of Array.isArray(referencesOf(resource, 'policy'))
      ? (referencesOf(resource, 'policy') as unknown[])
      : [])
      if (typeof reference === 'string' && /^data\.aws_iam_policy_document\.[\w-]+$/.test(reference))
        boundaries.add(reference);
  }
  return boundaries;
}

function fromTerraformPlan(file: string, plan: Record<string, unknown>): Extraction {
  const out = emptyExtraction();
  const planned = isObject(plan['planned_values']) ? plan['planned_values'] : {};
  const prior =
    isObject(plan['prior_state']) && isObject(plan['prior_state']['values']) ? plan['prior_state']['values'] : {};
  const seen = new Set<string>();
  const resources = [...planModules(planned['root_module']), ...planModules(prior['root_module'])];
  for (const resource of resources) {
    const address = typeof resource['address'] === 'string' ? resource['address'] : '?';
    if (seen.has(address)) continue;
    seen.add(address);
    const values = isObject(resource['values']) ? resource['values'] : {};
    const type = resource['type'];
    if (resource['mode'] === 'data' && type === 'aws_iam_policy_document') {
      const unresolved = new Set<string>();
      const document =
        typeof values['json'] === 'string'
          ? values['json']
          : policyFromDocumentBlock(values, unresolved, out.notes, address);
      out.policies.push({
        file,
        resourceName: address,
        kind: 'auto',
        document,
        line: null,
        lineOf: noLines,
        unresolved: [...unresolved],
      });
      continue;
    }
    const spec = TERRAFORM_POLICY_ATTRIBUTES.find((s) => s.type === type);
    if (!spec) continue;
    const value = values[spec.attribute];
    if (typeof value !== 'string') {
      out.notes.push(`${address}: ${spec.attribute} is known only after apply; not analysed.`);
      continue;
    }
    out.policies.push({
      file,
      resourceName: address,
      kind: spec.kind,
      document: value,
      line: null,
      lineOf: noLines,
      unresolved: [],
    });
  }
  const boundaries = planBoundaries(plan, resources);
  for (const policy of out.policies)
    if (policy.kind !== 'trust' && boundaries.has(policy.resourceName)) policy.kind = 'boundary';
  return out;
}

// ---------------------------------------------------------------- dispatch

function parseStructured(
  file: string,
  text: string,
  yaml: boolean,
): { value: unknown; doc: Document; counter: LineCounter } {
  const counter = new LineCounter();
  const doc = parseDocument(text, {
    customTags: yaml ? CLOUDFORMATION_TAGS : [],
    lineCounter: counter,
    uniqueKeys: false,
    prettyErrors: true,
  });
  const [error] = doc.errors;
  if (error) {
    const where = error.linePos?.[0];
    throw new InputFileError(
      file,
      `not valid ${yaml ? 'YAML' : 'JSON'}${where ? ` (line ${where.line})` : ''}: ${error.message.split('\n')[0] ?? ''}`,
    );
  }
  return { value: doc.toJS({ maxAliasCount: 100 }) as unknown, doc, counter };
}

function fromStructured(file: string, value: unknown, doc: Document, counter: LineCounter): Extraction {
  if (!isObject(value))
    throw new InputFileError(
      file,
      'expected a JSON/YAML object (a policy document, a CloudFormation template or a Terraform plan)',
    );
  if ('Resources' in value || 'AWSTemplateFormatVersion' in value) return fromCloudFormation(file, value, doc, counter);
  if ('planned_values' in value || 'resource_changes' in value) return fromTerraformPlan(file, value);
  if ('RoleDetailList' in value) return fromAuthorizationDetails(file, value, doc, counter);
  if ('resource' in value || 'data' in value) return fromTerraformConfig(file, value, null);
  if ('Statement' in value) {
    const lineOf = yamlLines(doc, counter, []);
    // A policy file carries no name or description but its own: the marker there makes it a boundary.
    const kind = hasBoundaryMarker(file.split(/[\\/]/).pop()) ? 'boundary' : 'auto';
    return {
      policies: [{ file, resourceName: file, kind, document: value, line: 1, lineOf, unresolved: [] }],
      attachments: [],
      notes: [],
    };
  }
  throw new InputFileError(
    file,
    'not a policy document (no Statement), CloudFormation template (no Resources), Terraform plan or get-account-authorization-details output',
  );
}

/**
 * Extracts every policy document from one file's text. Throws `InputFileError` when the file
 * is not one of the formats above; a document that is there but broken is returned as it is,
 * for the analyzer to report.
 */
export async function extractPolicies(file: string, text: string): Promise<Extraction> {
  const lower = file.toLowerCase();
  if (lower.endsWith('.tf') || lower.endsWith('.hcl')) {
    let config: unknown;
    try {
      config = await parseHcl(file, text);
    } catch (error) {
      throw new InputFileError(
        file,
        `not valid Terraform HCL: ${(error instanceof Error ? error.message : String(error)).split('\n')[0] ?? ''}`,
      );
    }
    if (!isObject(config)) throw new InputFileError(file, 'not valid Terraform HCL');
    return fromTerraformConfig(file, config, text);
  }
  const yaml = /\.(ya?ml|template)$/.test(lower);
  const { value, doc, counter } = parseStructured(file, text, yaml || !text.trimStart().startsWith('{'));
  return fromStructured(file, value, doc, counter);
}
