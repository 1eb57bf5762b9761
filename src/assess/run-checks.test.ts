import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildAccount,
  buildContext,
  buildKey,
  buildRole,
  buildSnapshot,
  buildUser,
  daysAgo,
  registerEntry,
} from '../../test/assess/builders.js';
import { NEVER, UNKNOWN } from '../model/when.js';
import { FindingSchema } from '../model/finding.js';
import type { CheckDefinition } from './check.js';
import type { Role } from '../model/snapshot.js';
import type { TrustRule } from '../policy/trust/rule.js';
import { checkById, RULES } from './registry.js';
import { runChecks, trustFindings } from './run-checks.js';

function trustRuleOf(id: string): TrustRule {
  const rule = RULES.trustPolicy.find((candidate) => candidate.id === id);
  if (!rule) throw new Error(`no trust rule ${id}`);
  return rule;
}

function trustRuleTitle(id: string): string {
  return trustRuleOf(id).title;
}

const exploding: CheckDefinition = {
  id: 'exploding',
  title: 'A check with a bug',
  severity: 'high',
  rationale: 'exists to prove a crash is contained',
  remediation: 'none',
  references: { cis: [], securityHub: [], links: [] },
  parameters: () => ({}),
  evaluate: () => {
    throw new TypeError('cannot read properties of undefined');
  },
};

describe('runChecks', () => {
  const snapshot = buildSnapshot([
    buildAccount('111111111111', {
      users: [
        buildUser('old-key', { accessKeys: [buildKey({ lastRotated: daysAgo(400), lastUsed: daysAgo(1) })] }),
        buildUser('clean'),
      ],
    }),
  ]);

  it('Given a check that throws among good ones, When run, Then it becomes one error finding and the others still report', () => {
    const rotation = checkById('access-key-rotation');
    if (!rotation) throw new Error('registry lost access-key-rotation');
    const findings = runChecks(snapshot, buildContext(snapshot), [exploding, rotation]);
    expect(findings.map((f) => `${f.checkId}:${f.status}:${f.resourceName}`)).toEqual([
      'exploding:error:snapshot',
      'access-key-rotation:fail:111111111111/old-key',
    ]);
    expect(findings[0]?.message).toContain('cannot read properties of undefined');
    expect(findings[0]?.severity).toBe('high');
  });

  it('Given the whole catalogue, When run, Then only failures become findings, each valid against the Finding schema and carrying its references', () => {
    const findings = runChecks(snapshot, buildContext(snapshot));
    for (const f of findings) expect(FindingSchema.parse(f)).toEqual(f);
    expect(findings.some((f) => f.resourceName.endsWith('/clean') && f.checkId !== 'unregistered-user')).toBe(false);
    const rotation = findings.find((f) => f.checkId === 'access-key-rotation');
    expect(rotation?.references).toEqual({ cis: ['1.14'], securityHub: ['IAM.3'], links: expect.any(Array) });
    expect(findings.every((f) => f.status === 'fail')).toBe(true);
  });
});

describe('runChecks on arbitrary estates', () => {
  it('Given random users, policies and register entries, When every check runs, Then no check crashes', () => {
    const when = fc.constantFrom(NEVER, UNKNOWN, daysAgo(1), daysAgo(60), daysAgo(4000));
    const statement = fc.record({
      Effect: fc.constantFrom('Allow', 'Deny', 'Maybe'),
      Action: fc.oneof(
        fc.constantFrom('*', 'iam:*', 'iam:PassRole', 's3:GetObject'),
        fc.array(fc.string({ maxLength: 12 }), { maxLength: 3 }),
      ),
      Resource: fc.oneof(fc.constant('*'), fc.string({ maxLength: 30 })),
    });
    const document = fc.oneof(
      fc.record({ Version: fc.constant('2012-10-17'), Statement: fc.array(statement, { maxLength: 3 }) }),
      fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 })),
    );
    const user = fc.record({
      name: fc.string({ minLength: 1, maxLength: 20 }),
      password: fc.boolean(),
      lastUsed: when,
      keyUsed: when,
      keyRotated: when,
      policies: fc.array(document, { maxLength: 2 }),
      mfa: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(user, { maxLength: 5 }),
        fc.array(fc.string({ minLength: 1, maxLength: 10 }), { maxLength: 3 }),
        (specs, registered) => {
          const users = specs.map((s, i) =>
            buildUser(`${s.name}-${i}`, {
              password: { enabled: s.password, lastUsed: s.lastUsed, lastChanged: s.keyRotated, nextRotation: NEVER },
              mfaActive: s.mfa,
              accessKeys: [buildKey({ lastUsed: s.keyUsed, lastRotated: s.keyRotated })],
              inlinePolicies: s.policies.map((document, n) => ({
                name: `p${n}`,
                document: document as Record<string, unknown>,
              })),
            }),
          );
          const snapshot = buildSnapshot([
            buildAccount('111111111111', { users, identityCenter: { inUse: true, evidence: [] } }),
          ]);
          const exceptions = registered.map((name) =>
            registerEntry({
              user: name,
              controls: { sourceIp: true, scopedPolicy: true, rotationDays: 30 },
              reviewEveryDays: 10,
            }),
          );
          const errors = runChecks(snapshot, buildContext(snapshot, { exceptions })).filter(
            (f) => f.status === 'error',
          );
          expect(errors).toEqual([]);
        },
      ),
      { numRuns: 150 },
    );
  });
});

/** A role with only the trust policy these tests are about. */
function role(name: string, trustPolicy: Record<string, unknown>, accountId: string): Role {
  return buildRole(name, {}, { trustPolicy, roleId: null, maxSessionDuration: null }, accountId);
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
      title: trustRuleTitle('trust-cross-account-no-external-id'),
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

describe('trustFindings with a rule that throws', () => {
  const exploder: TrustRule = {
    ...trustRuleOf('trust-public'),
    id: 'trust-exploding',
    evaluate: (target) => {
      if (target.subject.resourceName === 'broken') throw new TypeError('cannot read properties of undefined');
      return [];
    },
  };
  const open = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }],
  };
  const snapshot = buildSnapshot([
    buildAccount('111111111111', { roles: [role('broken', open, '111111111111'), role('open', open, '111111111111')] }),
  ]);

  it('Given a trust rule that throws on one role, When findings are made, Then that role gets an error finding and every other rule and role still reports', () => {
    const findings = trustFindings(snapshot, [exploder, trustRuleOf('trust-public')]);
    expect(findings.map((f) => `${f.checkId}:${f.status}:${f.resourceName}`)).toEqual([
      'trust-exploding:error:broken',
      'trust-public:fail:broken',
      'trust-public:fail:open',
    ]);
    expect(findings[0]).toMatchObject({
      resourceType: 'role',
      resourceArn: 'arn:aws:iam::111111111111:role/broken',
      accountId: '111111111111',
    });
    expect(findings[0]?.message).toContain('failed to run on broken: cannot read properties of undefined');
  });
});
