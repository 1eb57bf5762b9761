import type { RoleshiftConfig } from '../config.js';
import type { PolicyDocument, Tags } from '../model/snapshot.js';
import { tagValue } from './ownership.js';
import type { MigrationPlan } from './types.js';

/** The IAM actions that bring long-lived user credentials back. */
export const USER_CREDENTIAL_ACTIONS = [
  'iam:CreateAccessKey',
  'iam:CreateLoginProfile',
  'iam:CreateUser',
  'iam:UpdateLoginProfile',
];

/** Users under this path are approved exceptions (the register says which and until when). */
export const EXCEPTION_PATH = '/roleshift-exception/';
/** A principal tagged with this key = `true` may manage exception users. */
export const EXCEPTION_APPROVER_TAG = 'roleshift:exception-approver';

/**
 * Roles that administer the organization and keep the right to create users: the
 * administration roles Organizations, Control Tower and Identity Center create, and roleshift's own.
 */
export const DEFAULT_ADMIN_ROLE_PATTERNS = [
  'arn:aws:iam::*:role/OrganizationAccountAccessRole',
  'arn:aws:iam::*:role/AWSControlTowerExecution',
  'arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_AdministratorAccess_*',
  'arn:aws:iam::*:role/roleshift/roleshift-admin',
];

/**
 * The key policy of the alert topic's KMS key: the account administers it (as every key policy
 * must let it), and EventBridge of this account may encrypt with it, which the AWS managed SNS key
 * does not allow, so an encrypted topic needs a key of its own. `accountRoot` is the renderer's
 * expression of `arn:aws:iam::<this account>:root`, `account` of the account id.
 */
export function alertKeyPolicy<T>(accountRoot: T, account: T): Record<string, unknown> {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AccountAdministersKey',
        Effect: 'Allow',
        Principal: { AWS: accountRoot },
        Action: 'kms:*',
        Resource: '*',
      },
      {
        Sid: 'EventBridgePublishesAlerts',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: '*',
        Condition: { StringEquals: { 'aws:SourceAccount': account } },
      },
    ],
  };
}

/** The marker `lint` recognises a permissions boundary by, in its name or description. */
export const BOUNDARY_MARKER = 'roleshift-boundary';
const BOUNDARY_NAME = BOUNDARY_MARKER;
/** Roles (and the policies they use) that teams create under the boundary live under this path. */
export const DELEGATED_PATH = '/roleshift-delegated/';

/** IAM calls on a role that change what it may do, or who may become it. */
const ROLE_WRITES = [
  'iam:AttachRolePolicy',
  'iam:DeleteRole',
  'iam:DeleteRolePolicy',
  'iam:DetachRolePolicy',
  'iam:PutRolePolicy',
  'iam:UpdateAssumeRolePolicy',
  'iam:UpdateRole',
  'iam:UpdateRoleDescription',
];
const USER_WRITES = ['iam:AttachUserPolicy', 'iam:DeleteUserPolicy', 'iam:DetachUserPolicy', 'iam:PutUserPolicy'];
/** Groups have no boundary: who is in one and what it grants stays with the administrators. */
const GROUP_WRITES = [
  'iam:AddUserToGroup',
  'iam:AttachGroupPolicy',
  'iam:DeleteGroupPolicy',
  'iam:DetachGroupPolicy',
  'iam:PutGroupPolicy',
  'iam:RemoveUserFromGroup',
];
const POLICY_VERSION_WRITES = [
  'iam:CreatePolicyVersion',
  'iam:DeletePolicy',
  'iam:DeletePolicyVersion',
  'iam:SetDefaultPolicyVersion',
];

/**
 * The permissions boundary for roles that teams create themselves. What a role under it may do is
 * capped, and it cannot step outside: no IAM user credentials; no role created, changed or
 * passed unless the role carries this same boundary (roles it creates live under the delegated
 * path, and only those may be passed); no changes to users without the boundary, to groups, or to
 * managed policies outside the delegated path; the boundary itself cannot be removed or edited.
 * The Allow names what it excludes (NotAction) rather than `*`, so no statement reads as
 * administrator on its own.
 */
function delegatedBoundary(name: string): PolicyDocument {
  const boundaryArn = `arn:aws:iam::*:policy/roleshift/${name}`;
  const withoutThisBoundary = { StringNotLike: { 'iam:PermissionsBoundary': boundaryArn } };
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'AllowWithinBoundary', Effect: 'Allow', NotAction: ['account:*', 'organizations:*'], Resource: '*' },
      { Sid: 'DenyUserCredentials', Effect: 'Deny', Action: USER_CREDENTIAL_ACTIONS, Resource: '*' },
      {
        Sid: 'DenyRolesWithoutThisBoundary',
        Effect: 'Deny',
        Action: ['iam:CreateRole', 'iam:PutRolePermissionsBoundary', ...ROLE_WRITES],
        Resource: '*',
        Condition: withoutThisBoundary,
      },
      {
        Sid: 'DenyRolesOutsideDelegatedPath',
        Effect: 'Deny',
        Action: ['iam:CreateRole', 'iam:PassRole'],
        NotResource: [`arn:aws:iam::*:role${DELEGATED_PATH}*`],
      },
      {
        Sid: 'DenyUsersWithoutThisBoundary',
        Effect: 'Deny',
        Action: USER_WRITES,
        Resource: '*',
        Condition: withoutThisBoundary,
      },
      { Sid: 'DenyGroupChanges', Effect: 'Deny', Action: GROUP_WRITES, Resource: '*' },
      {
        Sid: 'DenyPolicyEditsOutsideDelegatedPath',
        Effect: 'Deny',
        Action: POLICY_VERSION_WRITES,
        NotResource: [`arn:aws:iam::*:policy${DELEGATED_PATH}*`],
      },
      {
        Sid: 'DenyBoundaryRemoval',
        Effect: 'Deny',
        Action: ['iam:DeleteRolePermissionsBoundary', 'iam:DeleteUserPermissionsBoundary'],
        Resource: '*',
      },
    ],
  };
}

export interface EventRule {
  name: string;
  description: string;
  eventPattern: Record<string, unknown>;
}

export interface Guardrails {
  scpName: string;
  scp: PolicyDocument;
  boundaryName: string;
  /** Says what the policy is; carries the `roleshift-boundary` marker that lint grades boundaries by. */
  boundaryDescription: string;
  permissionsBoundary: PolicyDocument;
  topicName: string;
  /** The alias of the KMS key the topic is encrypted with (its policy lets EventBridge publish). */
  topicKeyAlias: string;
  rules: EventRule[];
  tags: Tags;
  /** What to know before attaching them, shown with the generated code. */
  notes: string[];
}

export interface GuardrailOptions {
  config: RoleshiftConfig;
  adminRolePatterns?: string[];
}

function sorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

/**
 * The guardrails that keep IAM users from coming back: an SCP, a boundary for teams that create
 * their own roles, and EventBridge alarms on the events that matter. Break-glass users from the
 * plan keep working and get their own console-login alarm.
 */
export function planGuardrails(plan: MigrationPlan, options: GuardrailOptions): Guardrails {
  const breakGlass = plan.users.filter((user) => user.strategy === 'keep-break-glass');
  const exempt = sorted([
    ...(options.adminRolePatterns ?? DEFAULT_ADMIN_ROLE_PATTERNS),
    ...breakGlass.map((user) => user.userArn),
  ]);
  const exceptionUsers = `arn:aws:iam::*:user${EXCEPTION_PATH}*`;
  const scp: PolicyDocument = {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'DenyIamUserCredentials',
        Effect: 'Deny',
        Action: USER_CREDENTIAL_ACTIONS,
        NotResource: [exceptionUsers],
        Condition: { ArnNotLike: { 'aws:PrincipalArn': exempt } },
      },
      {
        Sid: 'DenyExceptionUsersUnlessApprover',
        Effect: 'Deny',
        Action: USER_CREDENTIAL_ACTIONS,
        Resource: [exceptionUsers],
        Condition: {
          ArnNotLike: { 'aws:PrincipalArn': exempt },
          StringNotEquals: { [`aws:PrincipalTag/${EXCEPTION_APPROVER_TAG}`]: 'true' },
        },
      },
    ],
  };
  const permissionsBoundary = delegatedBoundary(BOUNDARY_NAME);
  const cloudTrailCall = (eventNames: string[]): Record<string, unknown> => ({
    source: ['aws.iam'],
    'detail-type': ['AWS API Call via CloudTrail'],
    detail: { eventSource: ['iam.amazonaws.com'], eventName: eventNames },
  });
  const rules: EventRule[] = [
    {
      name: 'roleshift-iam-create-user',
      description: 'An IAM user was created',
      eventPattern: cloudTrailCall(['CreateUser']),
    },
    {
      name: 'roleshift-iam-create-access-key',
      description: 'An IAM access key was created',
      eventPattern: cloudTrailCall(['CreateAccessKey']),
    },
    {
      name: 'roleshift-iam-create-login-profile',
      description: 'An IAM user got a console password',
      eventPattern: cloudTrailCall(['CreateLoginProfile', 'UpdateLoginProfile']),
    },
    {
      name: 'roleshift-root-activity',
      description: 'The root user did something',
      eventPattern: {
        'detail-type': ['AWS API Call via CloudTrail', 'AWS Console Sign In via CloudTrail'],
        detail: { userIdentity: { type: ['Root'] } },
      },
    },
  ];
  const breakGlassNames = sorted(breakGlass.map((user) => user.userName));
  if (breakGlassNames.length > 0) {
    rules.push({
      name: 'roleshift-break-glass-login',
      description: 'A break-glass user signed in to the console',
      eventPattern: {
        source: ['aws.signin'],
        'detail-type': ['AWS Console Sign In via CloudTrail'],
        detail: { eventName: ['ConsoleLogin'], userIdentity: { type: ['IAMUser'], userName: breakGlassNames } },
      },
    });
  }
  const tags: Tags = { 'managed-by': 'roleshift' };
  for (const [key, value] of Object.entries(options.config.ownershipDefaults)) tags[key] = tagValue(value);
  return {
    scpName: 'roleshift-deny-iam-user-credentials',
    scp,
    boundaryName: BOUNDARY_NAME,
    boundaryDescription: `${BOUNDARY_MARKER}: permissions boundary for roles that teams create themselves (under ${DELEGATED_PATH})`,
    permissionsBoundary,
    topicName: 'roleshift-guardrail-alerts',
    topicKeyAlias: 'alias/roleshift-guardrail-alerts',
    rules,
    tags: Object.fromEntries(Object.entries(tags).sort(([a], [b]) => (a < b ? -1 : 1))),
    notes: [
      'Attach the SCP to the organization root or OUs only after every user in the plan is migrated or an approved exception.',
      `Exception users live under the path ${EXCEPTION_PATH}; principals tagged ${EXCEPTION_APPROVER_TAG}=true may manage them.`,
      'IAM and sign-in events reach EventBridge in us-east-1 only: deploy the rules and topic there, in every account.',
      'Subscribe your on-call address or chat webhook to the SNS topic (encrypted with its own KMS key, which EventBridge may use).',
      `Roles that teams create under ${BOUNDARY_NAME} must carry it and live under the path ${DELEGATED_PATH}: only those can be created, changed or passed from within the boundary.`,
    ],
  };
}
