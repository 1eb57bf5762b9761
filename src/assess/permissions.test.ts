import { describe, expect, it } from 'vitest';
import { buildAccount, buildSnapshot, buildUser } from '../../test/fixtures/build-snapshot.js';
import { CATALOG } from '../../test/generate/estate.js';
import type { Account, ManagedPolicy, Snapshot, User } from '../model/snapshot.js';
import { plannedPermissions } from '../plan/permissions/sources.js';
import { createEvaluator } from '../policy/evaluator/evaluator.js';

const NOW = new Date('2026-01-01T00:00:00Z');

/** The evaluator's verdict on one action PowerUserAccess grants, for the user `deployer`. */
function deployerMayRunInstances(snapshot: Snapshot) {
  const evaluator = createEvaluator(snapshot, { now: NOW });
  const principal = evaluator.principal('arn:aws:iam::111111111111:user/deployer');
  if (!principal) throw new Error('the user is missing from the snapshot');
  return evaluator.evaluate(principal, 'ec2:RunInstances', '*');
}

const POWER_USER: ManagedPolicy = {
  arn: 'arn:aws:iam::aws:policy/PowerUserAccess',
  name: 'PowerUserAccess',
  path: '/',
  awsManaged: true,
  attachmentCount: null,
  defaultVersionId: 'v5',
  document: {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*'], Resource: '*' }],
  },
};

describe('AWS managed policies kept once per scan', () => {
  const user = buildUser('deployer', { attachedPolicies: [{ arn: POWER_USER.arn, name: POWER_USER.name }] });
  const account = buildAccount('111111111111', { users: [user], policies: [] });

  it('Given the policy only in the scan-wide list, When the evaluator reads the user, Then its statements decide and nothing is unread', () => {
    const verdict = deployerMayRunInstances(buildSnapshot([account], { awsManagedPolicies: [POWER_USER] }));
    expect(verdict.unread).toEqual([]);
    expect(verdict.decision).toBe('allowed');
    expect(verdict.statements.map((entry) => entry.source.name)).toEqual(['PowerUserAccess']);
  });

  it('Given an old snapshot keeping the policy in the account, When evaluated, Then it reads the same', () => {
    const old: Account = { ...account, policies: [POWER_USER] };
    expect(deployerMayRunInstances(buildSnapshot([old]))).toEqual(
      deployerMayRunInstances(buildSnapshot([account], { awsManagedPolicies: [POWER_USER] })),
    );
  });

  it('Given an administrator policy only in the scan-wide list, When the replacement is planned, Then its document is read and the plan says admin', () => {
    const everything: ManagedPolicy = {
      ...POWER_USER,
      arn: 'arn:aws:iam::aws:policy/EverythingForTest',
      name: 'EverythingForTest',
      document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
    };
    const admin = buildUser('admin', { attachedPolicies: [{ arn: everything.arn, name: everything.name }] });
    const withAdmin = { ...account, users: [admin] };
    const planned = (snapshot: Snapshot, on: Account, user: User) =>
      plannedPermissions({
        snapshot,
        account: on,
        user,
        usage: undefined,
        evaluator: createEvaluator(snapshot, { now: NOW }),
        catalog: CATALOG,
      });
    const scanWide = buildSnapshot([withAdmin], { awsManagedPolicies: [everything] });
    expect(planned(scanWide, withAdmin, admin).admin).toBe(true);
    const without = buildSnapshot([withAdmin]);
    expect(planned(without, withAdmin, admin).admin).toBe(false);
  });
});
