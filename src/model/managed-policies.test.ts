import { describe, expect, it } from 'vitest';
import { AwsManagedPolicyPool, findManagedPolicy } from './managed-policies.js';
import type { ManagedPolicy } from './snapshot.js';

function policy(arn: string, awsManaged: boolean): ManagedPolicy {
  return {
    arn,
    name: arn.split('/').pop() ?? arn,
    path: '/',
    awsManaged,
    attachmentCount: 1,
    defaultVersionId: 'v1',
    document: null,
  };
}

describe('findManagedPolicy', () => {
  const admin = policy('arn:aws:iam::aws:policy/AdministratorAccess', true);
  const own = policy('arn:aws:iam::111111111111:policy/deploy', false);

  it('Given a policy kept in the account, When looked up, Then it is found there', () => {
    expect(findManagedPolicy({}, { policies: [own, admin] }, admin.arn)).toBe(admin);
  });

  it('Given AWS managed policies kept once per scan, When an account attaches one, Then it is found in the scan-wide list', () => {
    expect(findManagedPolicy({ awsManagedPolicies: [admin] }, { policies: [own] }, admin.arn)).toBe(admin);
    expect(findManagedPolicy({ awsManagedPolicies: [admin] }, { policies: [own] }, own.arn)).toBe(own);
  });

  it('Given an ARN in neither list, When looked up, Then nothing is found', () => {
    expect(
      findManagedPolicy({ awsManagedPolicies: [admin] }, { policies: [own] }, 'arn:aws:iam::aws:policy/ReadOnlyAccess'),
    ).toBeUndefined();
  });
});

describe('AwsManagedPolicyPool', () => {
  const admin = { ...policy('arn:aws:iam::aws:policy/AdministratorAccess', true), attachmentCount: 3 };
  const own = policy('arn:aws:iam::111111111111:policy/deploy', false);

  it('Given two accounts with the same AWS managed policy, When pooled, Then it is kept once without a per-account count and both accounts still find it', () => {
    const pool = new AwsManagedPolicyPool();
    const first = pool.take({ policies: [own, admin] });
    const second = pool.take({ policies: [{ ...admin, attachmentCount: 7 }] });
    expect(first.policies).toEqual([own]);
    expect(second.policies).toEqual([]);
    expect(pool.policies()).toEqual([{ ...admin, attachmentCount: null }]);
    const snapshot = { awsManagedPolicies: pool.policies() };
    expect(findManagedPolicy(snapshot, second, admin.arn)?.arn).toBe(admin.arn);
  });

  it('Given an account reporting another default version, When pooled, Then that account keeps its own copy and finds it first', () => {
    const pool = new AwsManagedPolicyPool();
    pool.take({ policies: [admin] });
    const newer = { ...admin, defaultVersionId: 'v2', document: { Version: '2012-10-17', Statement: [] } };
    const account = pool.take({ policies: [newer] });
    expect(account.policies).toEqual([newer]);
    expect(findManagedPolicy({ awsManagedPolicies: pool.policies() }, account, admin.arn)).toBe(newer);
  });

  it('Given the first copy lacks its document, When a later account has it, Then the pool keeps the one with the document', () => {
    const pool = new AwsManagedPolicyPool();
    pool.take({ policies: [admin] });
    const document = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
    pool.take({ policies: [{ ...admin, document }] });
    expect(pool.policies()[0]?.document).toEqual(document);
  });
});
