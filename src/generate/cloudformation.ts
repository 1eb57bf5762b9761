import { stringify } from 'yaml';
import type { Tags } from '../model/snapshot.js';
import { logicalId } from '../plan/names.js';
import { ARTIFACT_REF } from '../plan/artifact-ref.js';
import { alertKeyPolicy } from '../plan/guardrails.js';
import type { AccountBundle, Bundle, IdentityCenterBundle } from './bundle.js';
import type { GeneratedFile } from './types.js';

const id = (raw: string): string => logicalId(raw, 'cloudformation');

type Resources = Record<string, Record<string, unknown>>;

function cfnTags(tags: Tags): Array<{ Key: string; Value: string }> {
  return Object.entries(tags)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([Key, Value]) => ({ Key, Value }));
}

const PLACEHOLDER = /REPLACE_ME_[A-Z0-9_]+/;
/** A value only a person can supply, or an ARN that exists only after deploy, anywhere in a text. */
const TOKEN = /REPLACE_ME_[A-Z0-9_]+|\$\{roleshift:(?:trust-anchor|roles-anywhere-profile):\d{12}:[^}]+\}/g;

type Parameters = Record<string, unknown>;

/**
 * The template parameter of a placeholder (a value only a person can supply, such as a vendor's
 * account id): one per placeholder and template, so every resource naming the same value (an
 * OIDC provider's URL, its client id, the trusting role's principal and condition keys) reads the
 * same parameter. The plan names placeholders after their user, so two users never share one.
 */
function parameterFor(token: string, parameters: Parameters): string {
  const what = token.replace(/^REPLACE_ME_/, '').toLowerCase();
  const name = id(what);
  parameters[name] ??= {
    Type: 'String',
    Description: `Fill in: ${what.replace(/_/g, ' ')}`,
    ...(token.endsWith('ACCOUNT_ID') ? { AllowedPattern: '^\\d{12}$' } : {}),
  };
  return name;
}

/** An ARN known only after deploy, as the attribute of the resource that creates it. */
function artifactAttribute(token: string): string | null {
  const ref = ARTIFACT_REF.exec(token);
  if (!ref) return null;
  return ref[1] === 'trust-anchor'
    ? `TrustAnchor${id(ref[3] ?? '')}.TrustAnchorArn`
    : `Profile${id(ref[3] ?? '')}.ProfileArn`;
}

/** Text for Fn::Sub: literal `${` escaped (IAM policy variables), tokens as parameters and attributes. */
function subText(text: string, parameters: Parameters): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(TOKEN)) {
    out += text.slice(last, match.index).replace(/\$\{/g, '${!');
    out += `\${${artifactAttribute(match[0]) ?? parameterFor(match[0], parameters)}}`;
    last = match.index + match[0].length;
  }
  return out + text.slice(last).replace(/\$\{/g, '${!');
}

/** Replaces placeholders by parameters and roleshift references by attributes, value by value. */
function resolveRefs(value: unknown, parameters: Parameters): unknown {
  if (typeof value === 'string') {
    const attribute = ARTIFACT_REF.test(value) ? artifactAttribute(value) : null;
    if (attribute) {
      const [logical, name] = attribute.split('.');
      return { 'Fn::GetAtt': [logical, name] };
    }
    return PLACEHOLDER.test(value) ? { 'Fn::Sub': subText(value, parameters) } : value;
  }
  if (Array.isArray(value)) return value.map((item) => resolveRefs(item, parameters));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, resolveRefs(v, parameters)]),
    );
  }
  return value;
}

function placeholderInKeys(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(placeholderInKeys);
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(value).some(([key, inner]) => PLACEHOLDER.test(key) || placeholderInKeys(inner));
}

/**
 * A policy document for the template. A placeholder in a key (an OIDC condition key names the
 * provider) cannot be a parameter in YAML, so such a document is one Fn::Sub of its JSON text.
 */
function resolveDocument(document: unknown, parameters: Parameters): unknown {
  return placeholderInKeys(document)
    ? { 'Fn::Sub': subText(JSON.stringify(document), parameters) }
    : resolveRefs(document, parameters);
}

/** Logical ids must be unique within a template; two names that differ only in punctuation get a suffix. */
function uniqueId(resources: Resources, base: string): string {
  let candidate = base;
  for (let n = 2; resources[candidate]; n += 1) candidate = `${base}${n}`;
  return candidate;
}

function template(
  description: string,
  resources: Resources,
  sections: { Parameters?: Record<string, unknown>; Outputs?: Record<string, unknown> } = {},
): string {
  const { Parameters, Outputs } = sections;
  return stringify(
    {
      AWSTemplateFormatVersion: '2010-09-09',
      Description: description,
      ...(Parameters && Object.keys(Parameters).length > 0 ? { Parameters } : {}),
      Resources: resources,
      ...(Outputs && Object.keys(Outputs).length > 0 ? { Outputs } : {}),
    },
    { lineWidth: 0, aliasDuplicateObjects: false, sortMapEntries: false },
  );
}

export function renderAccountCloudFormation(bundle: AccountBundle): string {
  const resources: Resources = {};
  const parameters: Parameters = {};
  for (const provider of bundle.oidcProviders) {
    resources[uniqueId(resources, `OidcProvider${id(provider.host)}`)] = {
      Type: 'AWS::IAM::OIDCProvider',
      Properties: {
        Url: resolveRefs(provider.url, parameters),
        ClientIdList: resolveRefs(provider.clientIds, parameters),
        Tags: cfnTags(provider.tags),
      },
    };
  }
  for (const anchor of bundle.trustAnchors) {
    if (anchor.source.type === 'CERTIFICATE_BUNDLE') {
      parameters.CaCertificatePem = {
        Type: 'String',
        Description: 'PEM of the CA that issues the workload certificates',
      };
    }
    resources[`TrustAnchor${id(anchor.name)}`] = {
      Type: 'AWS::RolesAnywhere::TrustAnchor',
      Properties: {
        Name: anchor.name,
        Enabled: true,
        Source:
          anchor.source.type === 'AWS_ACM_PCA'
            ? { SourceType: 'AWS_ACM_PCA', SourceData: { AcmPcaArn: anchor.source.acmPcaArn } }
            : { SourceType: 'CERTIFICATE_BUNDLE', SourceData: { X509CertificateData: { Ref: 'CaCertificatePem' } } },
        Tags: cfnTags(anchor.tags),
      },
    };
  }
  const providerIds = new Map(
    bundle.oidcProviders.map((provider) => [provider.host, `OidcProvider${id(provider.host)}`]),
  );
  const roleIds = new Map<string, string>();
  for (const role of bundle.roles) {
    const logical = uniqueId(resources, `Role${id(role.name)}`);
    roleIds.set(role.name, logical);
    const trustText = JSON.stringify(role.trustPolicy);
    const dependsOn = [...providerIds]
      .filter(([host]) => trustText.includes(`oidc-provider/${host}"`))
      .map(([, logicalName]) => logicalName);
    const managed = [
      ...role.permissions.awsManagedPolicyArns,
      ...role.permissions.customerManagedPolicies.map((policy) => policy.arn),
    ];
    resources[logical] = {
      Type: 'AWS::IAM::Role',
      ...(dependsOn.length > 0 ? { DependsOn: dependsOn } : {}),
      Properties: {
        RoleName: role.name,
        Path: role.path,
        Description: role.description,
        MaxSessionDuration: role.maxSessionDuration,
        AssumeRolePolicyDocument: resolveDocument(role.trustPolicy, parameters),
        ...(managed.length > 0 ? { ManagedPolicyArns: managed } : {}),
        ...(role.permissions.inlinePolicy
          ? { Policies: [{ PolicyName: 'permissions', PolicyDocument: role.permissions.inlinePolicy }] }
          : {}),
        Tags: cfnTags(role.tags),
      },
    };
    if (role.instanceProfile) {
      resources[uniqueId(resources, `InstanceProfile${id(role.name)}`)] = {
        Type: 'AWS::IAM::InstanceProfile',
        Properties: { InstanceProfileName: role.name, Path: role.path, Roles: [{ Ref: logical }] },
      };
    }
  }
  for (const profile of bundle.rolesAnywhereProfiles) {
    resources[`Profile${id(profile.name)}`] = {
      Type: 'AWS::RolesAnywhere::Profile',
      Properties: {
        Name: profile.name,
        Enabled: true,
        RoleArns: profile.roleNames.map((name) => ({ 'Fn::GetAtt': [roleIds.get(name) ?? `Role${id(name)}`, 'Arn'] })),
        Tags: cfnTags(profile.tags),
      },
    };
  }
  const outputs = Object.fromEntries(
    [...roleIds].map(([, logical]) => [`${logical}Arn`, { Value: { 'Fn::GetAtt': [logical, 'Arn'] } }]),
  );
  return template(`roleshift: replacement roles for account ${bundle.accountId}`, resources, {
    Parameters: parameters,
    Outputs: outputs,
  });
}

/**
 * CloudFormation cannot create Identity Store users (they come from the identity source), so each
 * person's user id is a parameter; groups, memberships, permission sets and assignments are resources.
 */
export function renderIdentityCenterCloudFormation(bundle: IdentityCenterBundle): string {
  const parameters: Record<string, unknown> = {
    InstanceArn: { Type: 'String', Description: 'ARN of the IAM Identity Center instance' },
    IdentityStoreId: { Type: 'String', Description: 'Identity store id (d-...)' },
  };
  const userParameter = new Map<string, string>();
  for (const user of bundle.users) {
    const name = `UserId${id(user.userName)}`;
    userParameter.set(user.userName, name);
    parameters[name] = {
      Type: 'String',
      Description: `Identity Center user id of ${user.userName} (${user.displayName})`,
    };
  }
  const resources: Resources = {};
  const groupIds = new Map<string, string>();
  for (const group of bundle.groups) {
    const logical = uniqueId(resources, `Group${id(group.displayName)}`);
    groupIds.set(group.displayName, logical);
    resources[logical] = {
      Type: 'AWS::IdentityStore::Group',
      Properties: { IdentityStoreId: { Ref: 'IdentityStoreId' }, DisplayName: group.displayName },
    };
    for (const member of group.members) {
      resources[uniqueId(resources, `Membership${id(group.displayName)}${id(member)}`)] = {
        Type: 'AWS::IdentityStore::GroupMembership',
        Properties: {
          IdentityStoreId: { Ref: 'IdentityStoreId' },
          GroupId: { 'Fn::GetAtt': [logical, 'GroupId'] },
          MemberId: { UserId: { Ref: userParameter.get(member) ?? `UserId${id(member)}` } },
        },
      };
    }
  }
  const setIds = new Map<string, string>();
  for (const set of bundle.permissionSets) {
    const logical = uniqueId(resources, `PermissionSet${id(set.name)}`);
    setIds.set(set.name, logical);
    resources[logical] = {
      Type: 'AWS::SSO::PermissionSet',
      Properties: {
        InstanceArn: { Ref: 'InstanceArn' },
        Name: set.name,
        Description: set.description,
        SessionDuration: set.sessionDuration,
        ...(set.permissions.awsManagedPolicyArns.length > 0
          ? { ManagedPolicies: set.permissions.awsManagedPolicyArns }
          : {}),
        ...(set.permissions.customerManagedPolicies.length > 0
          ? {
              CustomerManagedPolicyReferences: set.permissions.customerManagedPolicies.map((policy) => ({
                Name: policy.name,
                Path: policy.path,
              })),
            }
          : {}),
        ...(set.permissions.inlinePolicy ? { InlinePolicy: set.permissions.inlinePolicy } : {}),
        Tags: cfnTags(set.tags),
      },
    };
  }
  for (const assignment of bundle.assignments) {
    const principal =
      assignment.principalType === 'GROUP'
        ? {
            'Fn::GetAtt': [groupIds.get(assignment.principalName) ?? `Group${id(assignment.principalName)}`, 'GroupId'],
          }
        : { Ref: userParameter.get(assignment.principalName) ?? `UserId${id(assignment.principalName)}` };
    resources[
      uniqueId(
        resources,
        `Assignment${id(assignment.permissionSetName)}${id(assignment.principalName)}${assignment.accountId}`,
      )
    ] = {
      Type: 'AWS::SSO::Assignment',
      Properties: {
        InstanceArn: { Ref: 'InstanceArn' },
        PermissionSetArn: {
          'Fn::GetAtt': [
            setIds.get(assignment.permissionSetName) ?? `PermissionSet${id(assignment.permissionSetName)}`,
            'PermissionSetArn',
          ],
        },
        PrincipalId: principal,
        PrincipalType: assignment.principalType,
        TargetId: assignment.accountId,
        TargetType: 'AWS_ACCOUNT',
      },
    };
  }
  return template('roleshift: Identity Center replacements for IAM users of people', resources, {
    Parameters: parameters,
  });
}

export function renderGuardrailsOrganizationCloudFormation(bundle: Bundle): string {
  const guardrails = bundle.guardrails;
  return template(
    'roleshift: SCP keeping IAM user credentials from coming back (deploy in the management account)',
    {
      GuardrailScp: {
        Type: 'AWS::Organizations::Policy',
        Properties: {
          Name: guardrails.scpName,
          Description: 'Deny IAM user credentials outside approved exceptions and administration roles',
          Type: 'SERVICE_CONTROL_POLICY',
          Content: guardrails.scp,
          TargetIds: { Ref: 'TargetIds' },
          Tags: cfnTags(guardrails.tags),
        },
      },
    },
    {
      Parameters: {
        TargetIds: {
          Type: 'CommaDelimitedList',
          Description: 'Root, OU or account ids to attach the SCP to (attach only once the plan is done)',
        },
      },
    },
  );
}

export function renderGuardrailsAccountCloudFormation(bundle: Bundle): string {
  const guardrails = bundle.guardrails;
  const resources: Resources = {
    DelegatedBoundary: {
      Type: 'AWS::IAM::ManagedPolicy',
      Properties: {
        ManagedPolicyName: guardrails.boundaryName,
        Path: '/roleshift/',
        Description: guardrails.boundaryDescription,
        PolicyDocument: guardrails.permissionsBoundary,
      },
    },
    AlertKey: {
      Type: 'AWS::KMS::Key',
      Properties: {
        Description: 'roleshift: encrypts the guardrail alert topic; EventBridge of this account may use it',
        EnableKeyRotation: true,
        KeyPolicy: alertKeyPolicy(
          { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' },
          {
            Ref: 'AWS::AccountId',
          },
        ),
        Tags: cfnTags(guardrails.tags),
      },
    },
    AlertKeyAlias: {
      Type: 'AWS::KMS::Alias',
      Properties: { AliasName: guardrails.topicKeyAlias, TargetKeyId: { Ref: 'AlertKey' } },
    },
    AlertTopic: {
      Type: 'AWS::SNS::Topic',
      Properties: {
        TopicName: guardrails.topicName,
        KmsMasterKeyId: { Ref: 'AlertKey' },
        Tags: cfnTags(guardrails.tags),
      },
    },
    AlertTopicPolicy: {
      Type: 'AWS::SNS::TopicPolicy',
      Properties: {
        Topics: [{ Ref: 'AlertTopic' }],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'EventBridgePublish',
              Effect: 'Allow',
              Principal: { Service: 'events.amazonaws.com' },
              Action: 'sns:Publish',
              Resource: { Ref: 'AlertTopic' },
              Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
            },
          ],
        },
      },
    },
  };
  for (const rule of guardrails.rules) {
    resources[uniqueId(resources, `Rule${id(rule.name.replace(/^roleshift-/, ''))}`)] = {
      Type: 'AWS::Events::Rule',
      Properties: {
        Name: rule.name,
        Description: rule.description,
        State: 'ENABLED',
        EventPattern: rule.eventPattern,
        Targets: [{ Arn: { Ref: 'AlertTopic' }, Id: 'sns' }],
      },
    };
  }
  return template(
    'roleshift: alarms and boundary keeping IAM users from coming back (deploy in us-east-1, every account)',
    resources,
  );
}

export function renderCloudFormation(bundle: Bundle): GeneratedFile[] {
  const files: GeneratedFile[] = bundle.accounts.map((account) => ({
    path: `cloudformation/account-${account.accountId}.yaml`,
    content: renderAccountCloudFormation(account),
  }));
  const ic = bundle.identityCenter;
  if (ic.permissionSets.length + ic.assignments.length + ic.users.length > 0) {
    files.push({ path: 'cloudformation/identity-center.yaml', content: renderIdentityCenterCloudFormation(ic) });
  }
  files.push(
    {
      path: 'cloudformation/guardrails-organization.yaml',
      content: renderGuardrailsOrganizationCloudFormation(bundle),
    },
    { path: 'cloudformation/guardrails-account.yaml', content: renderGuardrailsAccountCloudFormation(bundle) },
  );
  return files;
}
