import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../config.js';
import { requestContext } from '../policy/condition.js';
import { scpsPermit } from '../policy/evaluate.js';
import { decide } from '../policy/evaluator/decide.js';
import { documentLayers } from '../policy/evaluator/evaluator.js';
import { requestKnowledge } from '../policy/evaluator/knowledge.js';
import { NOW, planningEstate, PROD, SEED, CATALOG } from '../../test/generate/estate.js';
import { planGuardrails } from './guardrails.js';
import { planMigration } from './plan.js';

const FULL_AWS_ACCESS = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

function guardrails(): ReturnType<typeof planGuardrails> {
  const { snapshot, classifications } = planningEstate();
  const plan = planMigration(snapshot, {
    classifications,
    config: DEFAULT_CONFIG,
    now: NOW,
    externalIdSeed: SEED,
    catalog: CATALOG,
  });
  return planGuardrails(plan, { config: { ...DEFAULT_CONFIG, ownershipDefaults: { owner: 'security' } } });
}

const developer = `arn:aws:iam::${PROD}:role/developer`;
const ordinaryUser = `arn:aws:iam::${PROD}:user/new-user`;
const exceptionUser = `arn:aws:iam::${PROD}:user/roleshift-exception/signing-service`;

describe('the guardrail SCP', () => {
  it.each([
    ['a developer role creating a user', developer, {}, 'iam:CreateUser', ordinaryUser, false],
    ['a developer role creating an access key', developer, {}, 'iam:CreateAccessKey', ordinaryUser, false],
    ['a developer role giving a user a password', developer, {}, 'iam:CreateLoginProfile', ordinaryUser, false],
    ['a developer role resetting a password', developer, {}, 'iam:UpdateLoginProfile', ordinaryUser, false],
    ['a developer role creating an exception user', developer, {}, 'iam:CreateUser', exceptionUser, false],
    [
      'an exception-tagged principal creating an exception user',
      developer,
      { 'aws:PrincipalTag/roleshift:exception-approver': 'true' },
      'iam:CreateUser',
      exceptionUser,
      true,
    ],
    [
      'an exception-tagged principal rotating an exception key',
      developer,
      { 'aws:PrincipalTag/roleshift:exception-approver': 'true' },
      'iam:CreateAccessKey',
      exceptionUser,
      true,
    ],
    [
      'an exception-tagged principal creating an ordinary user',
      developer,
      { 'aws:PrincipalTag/roleshift:exception-approver': 'true' },
      'iam:CreateUser',
      ordinaryUser,
      false,
    ],
    [
      'a principal tagged approver=false creating an exception user',
      developer,
      { 'aws:PrincipalTag/roleshift:exception-approver': 'false' },
      'iam:CreateUser',
      exceptionUser,
      false,
    ],
    [
      'the organization access role creating a user',
      `arn:aws:iam::${PROD}:role/OrganizationAccountAccessRole`,
      {},
      'iam:CreateUser',
      ordinaryUser,
      true,
    ],
    [
      'the Identity Center admin role creating a user',
      `arn:aws:iam::${PROD}:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_AdministratorAccess_0123abcd`,
      {},
      'iam:CreateUser',
      ordinaryUser,
      true,
    ],
    [
      'the break-glass user creating an access key',
      `arn:aws:iam::${PROD}:user/breakglass`,
      {},
      'iam:CreateAccessKey',
      ordinaryUser,
      true,
    ],
    ['a developer role creating a role', developer, {}, 'iam:CreateRole', `arn:aws:iam::${PROD}:role/app`, true],
    ['a developer role reading S3', developer, {}, 's3:GetObject', 'arn:aws:s3:::bucket/key', true],
  ])(
    'Given %s, when the SCP is evaluated, then permitted is %s',
    (_label, principalArn, tags, action, resource, permitted) => {
      const context = requestContext({ 'aws:PrincipalArn': principalArn, ...tags });
      expect(scpsPermit([FULL_AWS_ACCESS, guardrails().scp], { action, resource, context })).toBe(permitted);
    },
  );
});

describe('the delegated-role permissions boundary', () => {
  const boundaryArn = `arn:aws:iam::${PROD}:policy/roleshift/roleshift-boundary`;
  const delegated = (name: string) => `arn:aws:iam::${PROD}:role/roleshift-delegated/${name}`;
  const outside = `arn:aws:iam::${PROD}:role/admin`;
  const withBoundary = { 'iam:PermissionsBoundary': boundaryArn };
  it.each([
    ['creating a delegated role with the same boundary', 'iam:CreateRole', delegated('app'), withBoundary, 'allowed'],
    ['creating a delegated role without a boundary', 'iam:CreateRole', delegated('app'), {}, 'denied'],
    [
      'creating a delegated role with another boundary',
      'iam:CreateRole',
      delegated('app'),
      { 'iam:PermissionsBoundary': `arn:aws:iam::${PROD}:policy/open` },
      'denied',
    ],
    ['creating a role outside the delegated path', 'iam:CreateRole', outside, withBoundary, 'denied'],
    [
      'attaching a policy to a role with the boundary',
      'iam:AttachRolePolicy',
      delegated('app'),
      withBoundary,
      'allowed',
    ],
    ['attaching a policy to a role without it', 'iam:AttachRolePolicy', outside, {}, 'denied'],
    ['writing the inline policy of a role without it', 'iam:PutRolePolicy', outside, {}, 'denied'],
    ['changing the trust of a role without it', 'iam:UpdateAssumeRolePolicy', outside, {}, 'denied'],
    ['passing a delegated role', 'iam:PassRole', delegated('app'), {}, 'allowed'],
    ['passing a role outside the delegated path', 'iam:PassRole', outside, {}, 'denied'],
    ['adding a user to a group', 'iam:AddUserToGroup', `arn:aws:iam::${PROD}:group/admins`, {}, 'denied'],
    [
      'editing a managed policy outside the delegated path',
      'iam:CreatePolicyVersion',
      `arn:aws:iam::${PROD}:policy/deploy`,
      {},
      'denied',
    ],
    ['editing the boundary itself', 'iam:CreatePolicyVersion', boundaryArn, {}, 'denied'],
    ['creating a user', 'iam:CreateUser', `arn:aws:iam::${PROD}:user/u`, {}, 'denied'],
    ['removing a role boundary', 'iam:DeleteRolePermissionsBoundary', delegated('app'), withBoundary, 'denied'],
    ['leaving the organization', 'organizations:LeaveOrganization', '*', {}, 'denied'],
    ['writing to DynamoDB', 'dynamodb:PutItem', `arn:aws:dynamodb:us-east-1:${PROD}:table/t`, {}, 'allowed'],
  ])(
    'Given a delegated role %s, when the boundary is evaluated, then it is %s',
    (_label, action, resource, keys, decision) => {
      const layers = documentLayers([guardrails().permissionsBoundary]);
      expect(decide(layers, { action, resource, knowledge: requestKnowledge(keys) }).decision).toBe(decision);
    },
  );

  it('Given the boundary, then its description carries the marker lint grades boundaries by, and no statement allows "*"', () => {
    const result = guardrails();
    expect(`${result.boundaryName} ${result.boundaryDescription}`).toContain('roleshift-boundary');
    const statements = result.permissionsBoundary.Statement as Array<Record<string, unknown>>;
    expect(statements.filter((statement) => statement.Effect === 'Allow' && statement.Action !== undefined)).toEqual(
      [],
    );
  });
});

describe('planGuardrails', () => {
  it('Given a break-glass user in the plan, when guardrails are planned, then its console login alarms and the alarms cover the four events', () => {
    const result = guardrails();
    expect(result.rules.map((rule) => rule.name)).toEqual([
      'roleshift-iam-create-user',
      'roleshift-iam-create-access-key',
      'roleshift-iam-create-login-profile',
      'roleshift-root-activity',
      'roleshift-break-glass-login',
    ]);
    expect(result.rules.at(-1)?.eventPattern).toMatchObject({ detail: { userIdentity: { userName: ['breakglass'] } } });
    expect(result.tags).toEqual({ 'managed-by': 'roleshift', owner: 'security' });
  });

  it('Given the SCP, when serialised, then it fits the 5,120-character SCP limit', () => {
    expect(JSON.stringify(guardrails().scp).length).toBeLessThan(5120);
  });
});
