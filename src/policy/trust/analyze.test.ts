import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import cases from './analyze.cases.json' with { type: 'json' };
import { analyzeTrustPolicy } from './analyze.js';
import type { TrustContext } from './issue.js';

interface TrustCase {
  name: string;
  policy: unknown;
  context?: TrustContext;
  expect: Array<{ ruleId: string; severity: string }>;
}

function signature(list: ReadonlyArray<{ ruleId: string; severity: string }>): string[] {
  return list.map((i) => `${i.ruleId}/${i.severity}`).sort();
}

describe('analyzeTrustPolicy — case table (trust.cases.json)', () => {
  it.each((cases.cases as TrustCase[]).map((c) => [c.name, c] as const))(
    'Given %s, When analysed, Then exactly the expected issues are reported',
    (_name, c) => {
      const issues = analyzeTrustPolicy(c.policy, c.context ?? {});
      expect(signature(issues)).toEqual(signature(c.expect));
    },
  );

  it('Given the case table, When its rule ids are listed, Then every trust rule is exercised by at least one case', () => {
    const covered = new Set((cases.cases as TrustCase[]).flatMap((c) => c.expect.map((e) => e.ruleId)));
    const rules = readdirSync(new URL('./rules/', import.meta.url)).map((file) => file.replace(/\.ts$/, ''));
    expect(rules.filter((id) => !covered.has(id))).toEqual([]);
  });
});

describe('analyzeTrustPolicy — locations and wording', () => {
  const gh = (condition: unknown) => ({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
      {
        Effect: 'Allow',
        Principal: { Federated: 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com' },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: condition,
      },
    ],
  });

  it('Given a loose second value in the second statement, When analysed, Then the pointer names that statement, key and value', () => {
    const issues = analyzeTrustPolicy(
      gh({
        StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
        StringLike: { 'token.actions.githubusercontent.com:sub': ['repo:o/r:ref:refs/heads/main', 'repo:o/*'] },
      }),
      {},
    );
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      ruleId: 'oidc-subject-tenant-wide',
      statementIndex: 1,
      pointer: '/Statement/1/Condition/StringLike/token.actions.githubusercontent.com:sub/1',
    });
  });

  it('Given a policy without sub, When analysed, Then the message says why it matters', () => {
    const [first] = analyzeTrustPolicy(
      gh({ StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' } }),
      {},
    );
    expect(first?.message).toMatch(/any GitHub Actions user anywhere/);
  });

  it('Given StringEquals with a star, When analysed, Then the message says the policy is broken and what StringLike would do', () => {
    const [first] = analyzeTrustPolicy(
      gh({
        StringEquals: {
          'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
          'token.actions.githubusercontent.com:sub': 'repo:*',
        },
      }),
      {},
    );
    expect(first?.message).toMatch(/literally/);
    expect(first?.message).toMatch(/any GitHub owner/);
  });

  it('Given issues of several severities, When analysed, Then the gravest come first', () => {
    const issues = analyzeTrustPolicy(
      {
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'sts:AssumeRole' },
          { Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' },
        ],
      },
      {},
    );
    expect(issues.map((i) => i.severity)).toEqual(['critical', 'low']);
  });
});
