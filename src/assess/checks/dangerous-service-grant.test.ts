import { describe, expect, it } from 'vitest';
import {
  allow,
  buildAccount,
  buildContext,
  buildGroup,
  buildManagedPolicy,
  buildSnapshot,
  buildUser,
  policyDoc,
} from '../../../test/assess/builders.js';
import type { Role } from '../../model/snapshot.js';
import { UNKNOWN } from '../../model/when.js';
import { checkById } from '../registry.js';

const ACCOUNT = '111111111111';

function role(name: string, overrides: Partial<Role> = {}): Role {
  return {
    arn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
    name,
    roleId: null,
    path: '/',
    createDate: UNKNOWN,
    description: null,
    maxSessionDuration: null,
    tags: {},
    trustPolicy: policyDoc({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }),
    attachedPolicies: [],
    inlinePolicies: [],
    permissionsBoundary: null,
    lastUsed: UNKNOWN,
    lastUsedRegion: null,
    instanceProfiles: [],
    ...overrides,
  };
}

const inline = (name: string, ...statements: Array<Record<string, unknown>>) => ({
  inlinePolicies: [{ name, document: policyDoc(...statements) }],
});

/** Names state the verdict: `fail-...` must fail, `pass-...` must pass. */
function verdicts(): Record<string, string> {
  const account = buildAccount(ACCOUNT, {
    users: [
      buildUser('fail-cloudtrail-star', inline('trail', allow('cloudtrail:*'))),
      buildUser('fail-not-action', inline('most', { Effect: 'Allow', NotAction: ['iam:*', 's3:*'], Resource: '*' })),
      buildUser('fail-not-action-but-kms', inline('no-keys', { Effect: 'Allow', NotAction: 'kms:*', Resource: '*' })),
      buildUser('pass-read-only', inline('read', allow(['cloudtrail:Describe*', 'kms:List*']))),
      buildUser(
        'pass-cloudtrail-one-trail',
        inline('one', allow('cloudtrail:*', `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/x`)),
      ),
      buildUser('pass-full-admin', inline('admin', allow('*'))),
    ],
    groups: [
      buildGroup('fail-cloudshell', {
        attachedPolicies: [{ arn: 'arn:aws:iam::aws:policy/AWSCloudShellFullAccess', name: 'AWSCloudShellFullAccess' }],
      }),
      buildGroup('fail-marketplace', inline('buy', allow('aws-marketplace:Subscribe'))),
    ],
    roles: [
      role('fail-assume-any', inline('hop', allow('sts:AssumeRole'))),
      role('pass-assume-one', inline('hop', allow('sts:AssumeRole', `arn:aws:iam::${ACCOUNT}:role/target`))),
    ],
    policies: [
      buildManagedPolicy('fail-kms-wildcard-service', policyDoc(allow('km*:*'))),
      buildManagedPolicy('pass-scoped', policyDoc(allow('kms:Decrypt', `arn:aws:kms:us-east-1:${ACCOUNT}:key/k`))),
    ],
  });
  const snapshot = buildSnapshot([account]);
  const check = checkById('dangerous-service-grant');
  if (!check) throw new Error('no check');
  const out: Record<string, string> = {};
  for (const result of check.evaluate(snapshot, buildContext(snapshot)))
    out[result.resourceName.replace(`${ACCOUNT}/`, '')] = `${result.status}: ${result.message}`;
  return out;
}

describe('the dangerous service-wide grant check (Prowler iam_policy_no_full_access_*, IAM.21)', () => {
  it('Given principals and customer policies whose names state the verdict, When checked, Then each gets that verdict', () => {
    const results = verdicts();
    for (const [name, verdict] of Object.entries(results)) {
      if (name.startsWith('fail-')) expect(verdict, name).toMatch(/^fail: /);
      if (name.startsWith('pass-')) expect(verdict, name).toMatch(/^pass: /);
    }
    expect(Object.keys(results)).toHaveLength(12);
  });

  it('Given a NotAction that leaves cloudtrail and kms, When checked, Then the finding names both and the policy', () => {
    expect(verdicts()['fail-not-action']).toBe(
      'fail: grants cloudtrail:* (inline policy most), kms:* (inline policy most), cloudshell:* (inline policy most), aws-marketplace:Subscribe on * (inline policy most), sts:AssumeRole on * (inline policy most)',
    );
    expect(verdicts()['fail-not-action-but-kms']).not.toContain('kms:*');
    expect(verdicts()['fail-cloudshell']).toBe(
      'fail: grants cloudshell:* (arn:aws:iam::aws:policy/AWSCloudShellFullAccess)',
    );
  });
});
