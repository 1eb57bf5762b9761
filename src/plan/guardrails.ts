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

export interface EventRule {
  name: string;
  description: string;
  eventPattern: Record<string, unknown>;
}

export interface Guardrails {
  scpName: string;
  scp: PolicyDocument;
  boundaryName: string;
  permissionsBoundary: PolicyDocument;
  topicName: string;
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
  const boundaryName = 'roleshift-delegated-boundary';
  const boundaryArn = `arn:aws:iam::*:policy/roleshift/${boundaryName}`;
  const permissionsBoundary: PolicyDocument = {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'AllowWithinBoundary', Effect: 'Allow', Action: '*', Resource: '*' },
      { Sid: 'DenyUserCredentials', Effect: 'Deny', Action: USER_CREDENTIAL_ACTIONS, Resource: '*' },
      {
        Sid: 'DenyRolesWithoutThisBoundary',
        Effect: 'Deny',
        Action: ['iam:CreateRole', 'iam:PutRolePermissionsBoundary'],
        Resource: '*',
        Condition: { StringNotLike: { 'iam:PermissionsBoundary': boundaryArn } },
      },
      {
        Sid: 'DenyBoundaryRemoval',
        Effect: 'Deny',
        Action: ['iam:DeleteRolePermissionsBoundary', 'iam:DeleteUserPermissionsBoundary'],
        Resource: '*',
      },
      {
        Sid: 'DenyBoundaryEdits',
        Effect: 'Deny',
        Action: [
          'iam:CreatePolicyVersion',
          'iam:DeletePolicy',
          'iam:DeletePolicyVersion',
          'iam:SetDefaultPolicyVersion',
        ],
        Resource: boundaryArn,
      },
      {
        Sid: 'DenyOrganizationAndAccountChanges',
        Effect: 'Deny',
        Action: ['account:*', 'organizations:*'],
        Resource: '*',
      },
    ],
  };
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
    boundaryName,
    permissionsBoundary,
    topicName: 'roleshift-guardrail-alerts',
    rules,
    tags: Object.fromEntries(Object.entries(tags).sort(([a], [b]) => (a < b ? -1 : 1))),
    notes: [
      'Attach the SCP to the organization root or OUs only after every user in the plan is migrated or an approved exception.',
      `Exception users live under the path ${EXCEPTION_PATH}; principals tagged ${EXCEPTION_APPROVER_TAG}=true may manage them.`,
      'IAM and sign-in events reach EventBridge in us-east-1 only: deploy the rules and topic there, in every account.',
      'Subscribe your on-call address or chat webhook to the SNS topic.',
    ],
  };
}
