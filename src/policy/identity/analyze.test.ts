import { describe, expect, it } from 'vitest';
import { loadIamCatalog } from '../action-catalog.js';
import { analyzeIdentityPolicy, analyzeManagedPolicyArn, type PolicyJudgement } from './analyze.js';
import cases from './analyze.cases.json' with { type: 'json' };

const JUDGEMENT: Omit<PolicyJudgement, 'usage'> = {
  catalog: await loadIamCatalog(),
  now: new Date('2026-11-23T09:00:00Z'),
  accountId: null,
};

interface Case {
  name: string;
  usage: string;
  document: unknown;
  rules: string[];
  method?: string;
}

describe('analyzeIdentityPolicy, through the evaluator', () => {
  it.each(cases as Case[])('Given $name, When analysed as $usage, Then it reports $rules', (found) => {
    const usage = found.usage === 'boundary' ? 'boundary' : 'identity';
    const issues = analyzeIdentityPolicy(found.document, { ...JUDGEMENT, usage });
    expect(issues.map((i) => i.ruleId)).toEqual(found.rules);
    if (found.method) expect(issues[0]?.message).toContain(`[${found.method}]`);
  });

  it('Given a NotAction allow-list, When analysed, Then the message says which services it leaves out', () => {
    const [issue] = analyzeIdentityPolicy(
      { Statement: [{ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*'], Resource: '*' }] },
      { ...JUDGEMENT, usage: 'identity' },
    );
    expect(issue?.message).toContain('every action of every service but iam:*, organizations:*');
    expect(issue?.pointer).toBe('/Statement/0');
  });

  it('Given pass-role and run-instances, When analysed, Then the escalation names the actions and points at the grant', () => {
    const [issue] = analyzeIdentityPolicy(
      {
        Statement: [
          { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
          { Effect: 'Allow', Action: ['iam:PassRole', 'ec2:RunInstances'], Resource: '*' },
        ],
      },
      { ...JUDGEMENT, usage: 'identity' },
    );
    expect(issue).toMatchObject({ ruleId: 'identity-privilege-escalation', severity: 'high', pointer: '/Statement/1' });
    expect(issue?.message).toContain('iam:PassRole + ec2:RunInstances');
  });
});

describe('analyzeManagedPolicyArn', () => {
  it.each([
    ['arn:aws:iam::aws:policy/AdministratorAccess', 'every action on every resource'],
    ['arn:aws-us-gov:iam::aws:policy/IAMFullAccess', 'can escalate'],
    ['arn:aws:iam::aws:policy/ReadOnlyAccess', null],
    ['arn:aws:iam::111122223333:policy/AdministratorAccess', null],
  ])('Given attached %s, When analysed, Then the issue says %s', (arn, expected) => {
    const issue = analyzeManagedPolicyArn(arn, { ...JUDGEMENT, usage: 'identity' });
    if (expected === null) expect(issue).toBeNull();
    else expect(issue).toMatchObject({ ruleId: 'identity-admin-managed-policy', severity: 'high' });
    if (expected !== null) expect(issue?.message).toContain(expected);
  });
});

describe('escalation held to named roles', () => {
  const EXEC_ROLE = 'arn:aws:iam::222222222222:role/cfn-exec-webapp';
  const STACKS = 'arn:aws:cloudformation:us-east-1:222222222222:stack/webapp-*/*';
  const changeSets = (condition?: unknown) => ({
    Effect: 'Allow',
    Action: ['cloudformation:CreateChangeSet', 'cloudformation:ExecuteChangeSet'],
    Resource: STACKS,
    ...(condition ? { Condition: condition } : {}),
  });
  const passRole = (resource: string) => ({
    Effect: 'Allow',
    Action: 'iam:PassRole',
    Resource: resource,
    Condition: { StringEquals: { 'iam:PassedToService': 'cloudformation.amazonaws.com' } },
  });
  const createStack = { Effect: 'Allow', Action: 'cloudformation:CreateStack', Resource: '*' };

  it.each([
    [
      'change sets held to one role by ArnEquals cloudformation:RoleArn',
      [changeSets({ ArnEquals: { 'cloudformation:RoleArn': EXEC_ROLE } })],
      'low',
    ],
    [
      'change sets held to one role by StringEquals',
      [changeSets({ StringEquals: { 'cloudformation:RoleArn': [EXEC_ROLE] } })],
      'low',
    ],
    ['change sets on stacks of a name, with whatever role the stack has', [changeSets()], 'high'],
    [
      'change sets with any role of a path (ArnLike role/*)',
      [changeSets({ ArnLike: { 'cloudformation:RoleArn': 'arn:aws:iam::222222222222:role/*' } })],
      'medium',
    ],
    [
      'change sets held by ArnEqualsIfExists (a call without a role goes through)',
      [changeSets({ ArnEqualsIfExists: { 'cloudformation:RoleArn': EXEC_ROLE } })],
      'medium',
    ],
    ['PassRole on one named role with CreateStack', [createStack, passRole(EXEC_ROLE)], 'low'],
    [
      'PassRole on a role pattern with CreateStack',
      [createStack, passRole('arn:aws:iam::222222222222:role/cfn-*')],
      'high',
    ],
    ['PassRole on one named role and on every role', [createStack, passRole(EXEC_ROLE), passRole('*')], 'high'],
  ])('Given %s, When linted, Then the escalation is %s', (_name, statements, severity) => {
    const issues = analyzeIdentityPolicy(
      { Version: '2012-10-17', Statement: statements },
      { ...JUDGEMENT, accountId: '222222222222', usage: 'identity' },
    );
    const escalation = issues.find((issue) => issue.ruleId === 'identity-privilege-escalation');
    expect(escalation?.severity).toBe(severity);
    if (severity === 'low') expect(escalation?.message).toContain(`the permissions of role ${EXEC_ROLE} and no other`);
  });
});
