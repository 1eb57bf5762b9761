import type { Tags } from '../model/snapshot.js';
import { logicalId } from '../plan/names.js';
import { ARTIFACT_REF } from '../plan/artifact-ref.js';
import { alertKeyPolicy } from '../plan/guardrails.js';
import type { PlannedPermissions, RoleArtifact } from '../plan/types.js';
import type { AccountBundle, Bundle, IdentityCenterBundle } from './bundle.js';
import {
  attr,
  block,
  call,
  entries,
  expr,
  renderHcl,
  template,
  type HclItem,
  type HclTemplate,
  type HclValue,
} from './hcl.js';
import type { GeneratedFile } from './types.js';

const id = (raw: string): string => logicalId(raw, 'terraform');

function tfRef(kind: string, name: string, attribute: string): string {
  return `${kind}.${id(name)}.${attribute}`;
}

const PLACEHOLDER = /REPLACE_ME_[A-Z0-9_]+/g;

/**
 * The variables a file's placeholders (values only a person can supply) become: one per
 * placeholder, so every resource naming the same value (an OIDC provider's URL, its client id,
 * the trusting role's principal and condition keys) reads the same variable.
 */
class Placeholders {
  private readonly names = new Map<string, string>();

  /** The text with each placeholder as its variable; the text itself when it has none. */
  fill(text: string): string | HclTemplate {
    const parts: Array<string | ReturnType<typeof expr>> = [];
    let last = 0;
    for (const match of text.matchAll(PLACEHOLDER)) {
      parts.push(text.slice(last, match.index), expr(`var.${this.variable(match[0])}`));
      last = match.index + match[0].length;
    }
    if (parts.length === 0) return text;
    parts.push(text.slice(last));
    return template(parts.filter((part) => part !== ''));
  }

  private variable(token: string): string {
    let name = this.names.get(token);
    if (name === undefined) {
      name = id(token.replace(/^REPLACE_ME_/, '').toLowerCase());
      this.names.set(token, name);
    }
    return name;
  }

  blocks(): HclItem[] {
    return [...this.names.entries()]
      .sort(([, a], [, b]) => (a < b ? -1 : 1))
      .map(([token, name]) =>
        block(
          'variable',
          [name],
          [
            ...attr(
              'description',
              `Fill in: ${token
                .replace(/^REPLACE_ME_/, '')
                .toLowerCase()
                .replace(/_/g, ' ')}`,
            ),
            ...attr('type', expr('string')),
            ...(token.endsWith('ACCOUNT_ID')
              ? [
                  block(
                    'validation',
                    [],
                    [
                      ...attr('condition', expr(`can(regex("^\\\\d{12}$", var.${name}))`)),
                      ...attr('error_message', 'An AWS account id is 12 digits.'),
                    ],
                  ),
                ]
              : []),
          ],
        ),
      );
  }
}

/** JSON → HCL object syntax for jsonencode(): roleshift references and placeholders become Terraform references. */
function toHcl(value: unknown, placeholders: Placeholders): HclValue {
  if (typeof value === 'string') {
    const ref = ARTIFACT_REF.exec(value);
    if (ref) {
      return ref[1] === 'trust-anchor'
        ? expr(tfRef('aws_rolesanywhere_trust_anchor', ref[3] ?? '', 'arn'))
        : expr(tfRef('aws_rolesanywhere_profile', ref[3] ?? '', 'arn'));
    }
    return placeholders.fill(value);
  }
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
  if (Array.isArray(value)) return value.map((item) => toHcl(item, placeholders));
  if (typeof value === 'object') {
    const pairs = Object.entries(value as Record<string, unknown>).map(
      ([k, v]) => [placeholders.fill(k), toHcl(v, placeholders)] as const,
    );
    return pairs.some(([key]) => typeof key !== 'string')
      ? entries(pairs)
      : Object.fromEntries(pairs as Array<readonly [string, HclValue]>);
  }
  return null;
}

function jsonencode(document: unknown, placeholders: Placeholders): HclValue {
  return call('jsonencode', toHcl(document, placeholders));
}

function tags(values: Tags): HclItem[] {
  return attr('tags', Object.fromEntries(Object.entries(values).sort(([a], [b]) => (a < b ? -1 : 1))));
}

function providerBlocks(accountId: string | null): HclItem[] {
  return [
    block(
      'terraform',
      [],
      [
        ...attr('required_version', '>= 1.5.0'),
        block('required_providers', [], attr('aws', { source: 'hashicorp/aws', version: '>= 5.81.0' })),
      ],
    ),
    block(
      'provider',
      ['aws'],
      [...attr('region', 'us-east-1'), ...(accountId ? attr('allowed_account_ids', [accountId]) : [])],
    ),
  ];
}

function permissionItems(
  owner: string,
  ownerRef: string,
  permissions: PlannedPermissions,
  placeholders: Placeholders,
): HclItem[] {
  const items: HclItem[] = [];
  const arns = [
    ...permissions.awsManagedPolicyArns,
    ...permissions.customerManagedPolicies.map((policy) => policy.arn),
  ];
  for (const arn of arns) {
    const name = `${owner}_${arn.split('/').pop() ?? arn}`;
    items.push(
      block(
        'resource',
        ['aws_iam_role_policy_attachment', id(name)],
        [...attr('role', expr(ownerRef)), ...attr('policy_arn', arn)],
      ),
    );
  }
  if (permissions.inlinePolicy) {
    items.push(
      block(
        'resource',
        ['aws_iam_role_policy', id(`${owner}_permissions`)],
        [
          ...attr('name', 'permissions'),
          ...attr('role', expr(ownerRef)),
          ...attr('policy', jsonencode(permissions.inlinePolicy, placeholders)),
        ],
      ),
    );
  }
  return items;
}

function roleItems(role: RoleArtifact, providerHosts: string[], placeholders: Placeholders): HclItem[] {
  const ref = tfRef('aws_iam_role', role.name, 'name');
  const trustText = JSON.stringify(role.trustPolicy);
  const dependsOn = providerHosts
    .filter((host) => trustText.includes(`oidc-provider/${host}"`))
    .map((host) => expr(`aws_iam_openid_connect_provider.${id(host)}`));
  const items: HclItem[] = [
    block(
      'resource',
      ['aws_iam_role', id(role.name)],
      [
        ...attr('name', role.name),
        ...attr('path', role.path),
        ...attr('description', role.description),
        ...attr('max_session_duration', role.maxSessionDuration),
        ...attr('assume_role_policy', jsonencode(role.trustPolicy, placeholders)),
        ...tags(role.tags),
        ...(dependsOn.length > 0 ? attr('depends_on', dependsOn) : []),
      ],
    ),
    ...permissionItems(role.name, ref, role.permissions, placeholders),
  ];
  if (role.instanceProfile) {
    items.push(
      block(
        'resource',
        ['aws_iam_instance_profile', id(role.name)],
        [...attr('name', role.name), ...attr('path', role.path), ...attr('role', expr(ref)), ...tags(role.tags)],
      ),
    );
  }
  return items;
}

export function renderAccountTerraform(bundle: AccountBundle): string {
  const placeholders = new Placeholders();
  const items: HclItem[] = [];
  if (bundle.trustAnchors.some((anchor) => anchor.source.type === 'CERTIFICATE_BUNDLE')) {
    items.push(
      block(
        'variable',
        ['ca_certificate_pem'],
        [
          ...attr('description', 'PEM of the CA that issues the workload certificates (Roles Anywhere trust anchor)'),
          ...attr('type', expr('string')),
        ],
      ),
    );
  }
  for (const provider of bundle.oidcProviders) {
    items.push(
      block(
        'resource',
        ['aws_iam_openid_connect_provider', id(provider.host)],
        [
          ...attr('url', placeholders.fill(provider.url)),
          ...attr(
            'client_id_list',
            provider.clientIds.map((clientId) => placeholders.fill(clientId)),
          ),
          ...tags(provider.tags),
        ],
      ),
    );
  }
  for (const anchor of bundle.trustAnchors) {
    const source =
      anchor.source.type === 'AWS_ACM_PCA'
        ? [block('source_data', [], attr('acm_pca_arn', anchor.source.acmPcaArn))]
        : [block('source_data', [], attr('x509_certificate_data', expr('var.ca_certificate_pem')))];
    items.push(
      block(
        'resource',
        ['aws_rolesanywhere_trust_anchor', id(anchor.name)],
        [
          ...attr('name', anchor.name),
          ...attr('enabled', true),
          block('source', [], [...attr('source_type', anchor.source.type), ...source]),
          ...tags(anchor.tags),
        ],
      ),
    );
  }
  const hosts = bundle.oidcProviders.map((provider) => provider.host);
  for (const role of bundle.roles) items.push(...roleItems(role, hosts, placeholders));
  for (const profile of bundle.rolesAnywhereProfiles) {
    items.push(
      block(
        'resource',
        ['aws_rolesanywhere_profile', id(profile.name)],
        [
          ...attr('name', profile.name),
          ...attr('enabled', true),
          ...attr(
            'role_arns',
            profile.roleNames.map((name) => expr(tfRef('aws_iam_role', name, 'arn'))),
          ),
          ...tags(profile.tags),
        ],
      ),
    );
  }
  for (const role of bundle.roles) {
    items.push(block('output', [`${id(role.name)}_arn`], attr('value', expr(tfRef('aws_iam_role', role.name, 'arn')))));
  }
  return renderHcl([...providerBlocks(bundle.accountId), ...placeholders.blocks(), ...items]);
}

const INSTANCE = 'local.instance_arn';
const IDENTITY_STORE = 'local.identity_store_id';

/** The identity store's users, groups and memberships. */
function identityStoreBlocks(bundle: IdentityCenterBundle): HclItem[] {
  const items: HclItem[] = bundle.users.map((user) =>
    block(
      'resource',
      ['aws_identitystore_user', id(user.userName)],
      [
        ...attr('identity_store_id', expr(IDENTITY_STORE)),
        ...attr('user_name', user.userName),
        ...attr('display_name', user.displayName),
        block('name', [], [...attr('given_name', user.givenName), ...attr('family_name', user.familyName)]),
        ...(user.email ? [block('emails', [], [...attr('value', user.email), ...attr('primary', true)])] : []),
      ],
    ),
  );
  for (const group of bundle.groups) {
    items.push(
      block(
        'resource',
        ['aws_identitystore_group', id(group.displayName)],
        [...attr('identity_store_id', expr(IDENTITY_STORE)), ...attr('display_name', group.displayName)],
      ),
    );
    for (const member of group.members) {
      items.push(
        block(
          'resource',
          ['aws_identitystore_group_membership', id(`${group.displayName}_${member}`)],
          [
            ...attr('identity_store_id', expr(IDENTITY_STORE)),
            ...attr('group_id', expr(tfRef('aws_identitystore_group', group.displayName, 'group_id'))),
            ...attr('member_id', expr(tfRef('aws_identitystore_user', member, 'user_id'))),
          ],
        ),
      );
    }
  }
  return items;
}

type PermissionSetSpec = IdentityCenterBundle['permissionSets'][number];

/** One permission set with its managed, customer managed and inline policies. */
function permissionSetBlocks(set: PermissionSetSpec, placeholders: Placeholders): HclItem[] {
  const ref = tfRef('aws_ssoadmin_permission_set', set.name, 'arn');
  const items: HclItem[] = [
    block(
      'resource',
      ['aws_ssoadmin_permission_set', id(set.name)],
      [
        ...attr('name', set.name),
        ...attr('description', set.description),
        ...attr('instance_arn', expr(INSTANCE)),
        ...attr('session_duration', set.sessionDuration),
        ...tags(set.tags),
      ],
    ),
  ];
  for (const arn of set.permissions.awsManagedPolicyArns) {
    items.push(
      block(
        'resource',
        ['aws_ssoadmin_managed_policy_attachment', id(`${set.name}_${arn.split('/').pop() ?? arn}`)],
        [
          ...attr('instance_arn', expr(INSTANCE)),
          ...attr('managed_policy_arn', arn),
          ...attr('permission_set_arn', expr(ref)),
        ],
      ),
    );
  }
  for (const policy of set.permissions.customerManagedPolicies) {
    items.push(
      block(
        'resource',
        ['aws_ssoadmin_customer_managed_policy_attachment', id(`${set.name}_${policy.name}`)],
        [
          ...attr('instance_arn', expr(INSTANCE)),
          ...attr('permission_set_arn', expr(ref)),
          block('customer_managed_policy_reference', [], [...attr('name', policy.name), ...attr('path', policy.path)]),
        ],
      ),
    );
  }
  if (set.permissions.inlinePolicy) {
    items.push(
      block(
        'resource',
        ['aws_ssoadmin_permission_set_inline_policy', id(set.name)],
        [
          ...attr('instance_arn', expr(INSTANCE)),
          ...attr('permission_set_arn', expr(ref)),
          ...attr('inline_policy', jsonencode(set.permissions.inlinePolicy, placeholders)),
        ],
      ),
    );
  }
  return items;
}

type AssignmentSpec = IdentityCenterBundle['assignments'][number];

function assignmentBlock(assignment: AssignmentSpec): HclItem {
  const principal =
    assignment.principalType === 'GROUP'
      ? tfRef('aws_identitystore_group', assignment.principalName, 'group_id')
      : tfRef('aws_identitystore_user', assignment.principalName, 'user_id');
  return block(
    'resource',
    [
      'aws_ssoadmin_account_assignment',
      id(`${assignment.permissionSetName}_${assignment.principalName}_${assignment.accountId}`),
    ],
    [
      ...attr('instance_arn', expr(INSTANCE)),
      ...attr('permission_set_arn', expr(tfRef('aws_ssoadmin_permission_set', assignment.permissionSetName, 'arn'))),
      ...attr('principal_id', expr(principal)),
      ...attr('principal_type', assignment.principalType),
      ...attr('target_id', assignment.accountId),
      ...attr('target_type', 'AWS_ACCOUNT'),
    ],
  );
}

export function renderIdentityCenterTerraform(bundle: IdentityCenterBundle): string {
  const placeholders = new Placeholders();
  return renderHcl([
    ...providerBlocks(null),
    block('data', ['aws_ssoadmin_instances', 'this'], []),
    block(
      'locals',
      [],
      [
        ...attr('instance_arn', expr('tolist(data.aws_ssoadmin_instances.this.arns)[0]')),
        ...attr('identity_store_id', expr('tolist(data.aws_ssoadmin_instances.this.identity_store_ids)[0]')),
      ],
    ),
    ...identityStoreBlocks(bundle),
    ...bundle.permissionSets.flatMap((set) => permissionSetBlocks(set, placeholders)),
    ...bundle.assignments.map(assignmentBlock),
  ]);
}

export function renderGuardrailsOrganizationTerraform(bundle: Bundle): string {
  const guardrails = bundle.guardrails;
  const placeholders = new Placeholders();
  const items: HclItem[] = [
    ...providerBlocks(null),
    block(
      'variable',
      ['target_ids'],
      [
        ...attr('description', 'Root, OU or account ids to attach the SCP to (attach only once the plan is done)'),
        ...attr('type', expr('list(string)')),
        ...attr('default', []),
      ],
    ),
    block(
      'resource',
      ['aws_organizations_policy', id(guardrails.scpName)],
      [
        ...attr('name', guardrails.scpName),
        ...attr('description', 'Deny IAM user credentials outside approved exceptions and administration roles'),
        ...attr('type', 'SERVICE_CONTROL_POLICY'),
        ...attr('content', jsonencode(guardrails.scp, placeholders)),
        ...tags(guardrails.tags),
      ],
    ),
    block(
      'resource',
      ['aws_organizations_policy_attachment', id(guardrails.scpName)],
      [
        ...attr('for_each', expr('toset(var.target_ids)')),
        ...attr('policy_id', expr(tfRef('aws_organizations_policy', guardrails.scpName, 'id'))),
        ...attr('target_id', expr('each.value')),
      ],
    ),
  ];
  return renderHcl([...items, ...placeholders.blocks()]);
}

type Guardrails = Bundle['guardrails'];

/** The alert topic, encrypted with its own key that EventBridge of this account may use. */
function alertTopicBlocks(guardrails: Guardrails, topic: string): HclItem[] {
  return [
    block(
      'resource',
      ['aws_kms_key', id(guardrails.topicName)],
      [
        ...attr('description', 'roleshift: encrypts the guardrail alert topic; EventBridge of this account may use it'),
        ...attr('enable_key_rotation', true),
        ...attr(
          'policy',
          call(
            'jsonencode',
            alertKeyPolicy(
              expr('"arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"'),
              expr('data.aws_caller_identity.current.account_id'),
            ) as HclValue,
          ),
        ),
        ...tags(guardrails.tags),
      ],
    ),
    block(
      'resource',
      ['aws_kms_alias', id(guardrails.topicName)],
      [
        ...attr('name', guardrails.topicKeyAlias),
        ...attr('target_key_id', expr(tfRef('aws_kms_key', guardrails.topicName, 'key_id'))),
      ],
    ),
    block(
      'resource',
      ['aws_sns_topic', id(guardrails.topicName)],
      [
        ...attr('name', guardrails.topicName),
        ...attr('kms_master_key_id', expr(tfRef('aws_kms_key', guardrails.topicName, 'arn'))),
        ...tags(guardrails.tags),
      ],
    ),
    block(
      'resource',
      ['aws_sns_topic_policy', id(guardrails.topicName)],
      [
        ...attr('arn', expr(topic)),
        ...attr(
          'policy',
          call('jsonencode', {
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'EventBridgePublish',
                Effect: 'Allow',
                Principal: { Service: 'events.amazonaws.com' },
                Action: 'sns:Publish',
                Resource: expr(topic),
                Condition: {
                  StringEquals: { 'aws:SourceAccount': expr('data.aws_caller_identity.current.account_id') },
                },
              },
            ],
          }),
        ),
      ],
    ),
  ];
}

/** One EventBridge rule per guarded event, each sending to the alert topic. */
function alertRuleBlocks(guardrails: Guardrails, topic: string, placeholders: Placeholders): HclItem[] {
  return guardrails.rules.flatMap((rule) => [
    block(
      'resource',
      ['aws_cloudwatch_event_rule', id(rule.name)],
      [
        ...attr('name', rule.name),
        ...attr('description', rule.description),
        ...attr('event_pattern', jsonencode(rule.eventPattern, placeholders)),
        ...tags(guardrails.tags),
      ],
    ),
    block(
      'resource',
      ['aws_cloudwatch_event_target', id(rule.name)],
      [
        ...attr('rule', expr(tfRef('aws_cloudwatch_event_rule', rule.name, 'name'))),
        ...attr('target_id', 'sns'),
        ...attr('arn', expr(topic)),
      ],
    ),
  ]);
}

export function renderGuardrailsAccountTerraform(bundle: Bundle): string {
  const guardrails = bundle.guardrails;
  const placeholders = new Placeholders();
  const topic = tfRef('aws_sns_topic', guardrails.topicName, 'arn');
  return renderHcl([
    ...providerBlocks(null),
    block('data', ['aws_caller_identity', 'current'], []),
    block(
      'resource',
      ['aws_iam_policy', id(guardrails.boundaryName)],
      [
        ...attr('name', guardrails.boundaryName),
        ...attr('path', '/roleshift/'),
        ...attr('description', guardrails.boundaryDescription),
        ...attr('policy', jsonencode(guardrails.permissionsBoundary, placeholders)),
        ...tags(guardrails.tags),
      ],
    ),
    ...alertTopicBlocks(guardrails, topic),
    ...alertRuleBlocks(guardrails, topic, placeholders),
  ]);
}

export function renderTerraform(bundle: Bundle): GeneratedFile[] {
  const files: GeneratedFile[] = bundle.accounts.map((account) => ({
    path: `terraform/account-${account.accountId}/main.tf`,
    content: renderAccountTerraform(account),
  }));
  const ic = bundle.identityCenter;
  if (ic.permissionSets.length + ic.assignments.length + ic.users.length > 0) {
    files.push({ path: 'terraform/identity-center/main.tf', content: renderIdentityCenterTerraform(ic) });
  }
  files.push(
    { path: 'terraform/guardrails-organization/main.tf', content: renderGuardrailsOrganizationTerraform(bundle) },
    { path: 'terraform/guardrails-account/main.tf', content: renderGuardrailsAccountTerraform(bundle) },
  );
  return files;
}
