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
