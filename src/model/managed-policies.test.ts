import { describe, expect, it } from 'vitest';
import { findManagedPolicy } from './managed-policies.js';
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
