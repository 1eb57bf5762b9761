import { describe, expect, it } from 'vitest';
import cases from './trust.cases.json' with { type: 'json' };
import { analyzeTrustPolicy, TRUST_RULES, trustFindings, type TrustContext } from './trust.js';
import { buildAccount, buildSnapshot } from '../../test/fixtures/build-snapshot.js';
import type { Role } from '../model/snapshot.js';
import { NEVER } from '../model/when.js';

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
    expect(Object.keys(TRUST_RULES).filter((id) => !covered.has(id))).toEqual([]);
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

function role(name: string, trustPolicy: Record<string, unknown>, accountId: string): Role {
  return {
    arn: `arn:aws:iam::${accountId}:role/${name}`,
    name,
    roleId: null,
    path: '/',
    createDate: NEVER,
    description: null,
    maxSessionDuration: null,
    tags: {},
    trustPolicy,
    attachedPolicies: [],
    inlinePolicies: [],
    permissionsBoundary: null,
    lastUsed: NEVER,
    lastUsedRegion: null,
    instanceProfiles: [],
  };
}

describe('trustFindings', () => {
  it('Given two scanned accounts trusting each other and a vendor, When findings are made, Then only the vendor trust is cross-account', () => {
    const trust = (principal: string) => ({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole' }],
    });
    const snapshot = buildSnapshot([
      buildAccount('111111111111', {
        roles: [
          role('from-b', trust('arn:aws:iam::222222222222:role/deployer'), '111111111111'),
          role('vendor', trust('arn:aws:iam::999999999999:root'), '111111111111'),
        ],
      }),
      buildAccount('222222222222', {
        roles: [
          role(
            'ec2',
            { Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
            '222222222222',
          ),
        ],
      }),
    ]);
    const findings = trustFindings(snapshot);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      checkId: 'trust-cross-account-no-external-id',
      severity: 'high',
      status: 'fail',
      accountId: '111111111111',
      resourceType: 'role',
      resourceArn: 'arn:aws:iam::111111111111:role/vendor',
      resourceName: 'vendor',
      title: TRUST_RULES['trust-cross-account-no-external-id'].title,
    });
  });

  it('Given a service-linked role, When findings are made, Then it is skipped: AWS owns its trust policy', () => {
    const linked = {
      ...role(
        'AWSServiceRoleForConfig',
        { Statement: [{ Effect: 'Allow', Principal: { Service: 'config.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
        '111111111111',
      ),
      path: '/aws-service-role/config.amazonaws.com/',
    };
    const ordinary = { ...linked, name: 'config-recorder', path: '/' };
    const findings = trustFindings(buildSnapshot([buildAccount('111111111111', { roles: [linked, ordinary] })]));
    expect(findings.map((f) => [f.resourceName, f.checkId])).toEqual([
      ['config-recorder', 'trust-service-confused-deputy'],
    ]);
  });

  it('Given an Organization member that was not scanned, When findings are made, Then trust in it is not cross-account', () => {
    const snapshot = buildSnapshot([
      buildAccount('111111111111', {
        roles: [
          role(
            'from-member',
            {
              Statement: [
                { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::333333333333:role/ci' }, Action: 'sts:AssumeRole' },
              ],
            },
            '111111111111',
          ),
        ],
      }),
    ]);
    expect(trustFindings(snapshot)).toHaveLength(1);
    const withOrg = {
      ...snapshot,
      organization: {
        id: 'o-abc',
        managementAccountId: '111111111111',
        accounts: [
          {
            accountId: '333333333333',
            name: 'ci',
            status: 'ACTIVE',
            ouPath: ['Root'],
            ouIds: ['r-1'],
            joinedAt: NEVER,
          },
        ],
        scps: [],
      },
    };
    expect(trustFindings(withOrg)).toEqual([]);
  });
});
