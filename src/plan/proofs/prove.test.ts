import { describe, expect, it } from 'vitest';
import { buildAccount, buildSnapshot } from '../../../test/fixtures/build-snapshot.js';
import { NOW } from '../../../test/generate/estate.js';
import { ACCOUNT, proofEstatePlan } from '../../../test/generate/proof-estate.js';
import type { PolicyDocument } from '../../model/snapshot.js';
import { createEvaluator } from '../../policy/evaluator/evaluator.js';
import type { StrategyContext } from '../strategies/context.js';
import type { RoleArtifact, UserPlan } from '../types.js';
import { proveTrust } from './trust.js';

const plan = proofEstatePlan().users;
const doc = (...Statement: unknown[]): PolicyDocument => ({ Version: '2012-10-17', Statement });
const userPlan = (name: string): UserPlan => {
  const found = plan.find((user) => user.userName === name);
  if (found === undefined) throw new Error(`no plan for ${name}`);
  return found;
};
const policyOf = (user: UserPlan) =>
  (user.artifacts.find((artifact): artifact is RoleArtifact => artifact.kind === 'role')?.permissions.inlinePolicy
    ?.Statement ?? []) as Array<Record<string, unknown>>;

describe('replacement proofs', () => {
  it('Given a deploy user passing roles, When planned, Then PassRole is granted on exactly the roles its calls passed, per service, and the proof passes', () => {
    const deployer = userPlan('deployer');
    const passes = policyOf(deployer).filter((statement) => (statement.Action as string[]).includes('iam:PassRole'));
    expect(passes).toEqual([
      {
        Sid: 'PassRoleToCloudformation',
        Effect: 'Allow',
        Action: ['iam:PassRole'],
        Resource: [`arn:aws:iam::${ACCOUNT}:role/cfn-exec`],
        Condition: { StringEquals: { 'iam:PassedToService': 'cloudformation.amazonaws.com' } },
      },
      {
        Sid: 'PassRoleToEc2',
        Effect: 'Allow',
        Action: ['iam:PassRole'],
        Resource: [`arn:aws:iam::${ACCOUNT}:role/web-instance`],
        Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
      },
      {
        // Which role CreateFunction passed was not kept: the granted scope, narrowed to roles Lambda can assume.
        Sid: 'PassRoleToLambda',
        Effect: 'Allow',
        Action: ['iam:PassRole'],
        Resource: [`arn:aws:iam::${ACCOUNT}:role/web-fn`, `arn:aws:iam::${ACCOUNT}:role/web-other`],
        Condition: { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } },
      },
    ]);
    expect(policyOf(deployer).find((statement) => statement.Sid === 'Cloudformation')?.Resource).toEqual([
      `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/web-*/*`,
    ]);
    expect(deployer.proof?.verdict).toBe('proven');
    expect(deployer.proof?.observedAllowed).toMatchObject({ status: 'passed', failures: [] });
    expect(deployer.proof?.observedAllowed.checked).toBeGreaterThanOrEqual(5);
    expect(deployer.proof?.withinCurrent).toMatchObject({ status: 'passed', failures: [] });
    expect(deployer.proof?.trust).toMatchObject({ status: 'passed', checked: 1 });
    expect(deployer.blockers).toEqual([]);
  });

  it('Given a person whose policy names ${aws:username}, When mirrored into a permission set, Then the observed call fails proof (a) and blocks the plan', () => {
    const dana = userPlan('dana');
    expect(dana.strategy).toBe('identity-center');
    expect(dana.proof?.verdict).toBe('failed');
    expect(dana.proof?.observedAllowed.failures).toEqual([
      's3:GetObject on arn:aws:s3:::home/dana/notes.txt: denied to the replacement (no-allow)',
    ]);
    expect(dana.blockers).toContainEqual(
      expect.stringMatching(/^Proof failed: an observed call would be denied: s3:GetObject/),
    );
  });

  it('Given a user whose boundary narrows AdministratorAccess, When mirrored into a role without the boundary, Then proof (b) fails over the catalogue', () => {
    const bounded = userPlan('bounded');
    expect(bounded.proof?.withinCurrent.status).toBe('failed');
    expect(bounded.proof?.withinCurrent.failures[0]).toMatch(
      /the replacement allows it, the user is denied it today \(boundary/,
    );
    expect(bounded.proof?.withinCurrent.failures.some((line) => line.startsWith('s3:'))).toBe(false);
    expect(bounded.blockers).toContainEqual(
      expect.stringMatching(/^Proof failed: the replacement allows what the user may not do today/),
    );
  });

  it('Given reads seen without their resource and a Deny of one of them on one bucket today, When planned from usage, Then proof (b) finds the replacement wider for that read alone', () => {
    const reader = userPlan('reader');
    expect(policyOf(reader)).toEqual([
      { Sid: 'S3', Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectTagging'], Resource: ['*'] },
    ]);
    expect(reader.proof?.withinCurrent.failures).toEqual([
      's3:GetObject on every resource: the replacement allows it, the user is denied it today (explicit-deny: read)',
    ]);
  });

  it('Given two members of one group that differ only in a tag its Deny reads, When their reads are proven, Then only the restricted one fails proof (b)', () => {
    expect(userPlan('tagged-open').proof?.withinCurrent).toMatchObject({ status: 'passed', failures: [] });
    expect(userPlan('tagged-restricted').proof?.withinCurrent.failures).toEqual([
      's3:GetObject on every resource: the replacement allows it, the user is denied it today (explicit-deny: read-unless-restricted)',
    ]);
  });

  it('Given a mirror whose only difference from the user is ${aws:username} in an Allow Resource, When proven, Then proof (b) needs no request: the role can only have less', () => {
    expect(userPlan('self-service').proof?.withinCurrent).toMatchObject({ status: 'passed', checked: 0 });
  });

  it('Given a mirror that would lose a Deny on ${aws:username}, When proven, Then proof (b) asks every request instead of taking the mirror as the user', () => {
    expect(userPlan('self-deny').proof?.withinCurrent.checked).toBeGreaterThan(0);
  });

  it('Given a role trusting every AWS principal, When its trust is proven, Then proof (c) fails with the trust rule', () => {
    const snapshot = buildSnapshot([buildAccount(ACCOUNT)]);
    const role = {
      kind: 'role',
      accountId: ACCOUNT,
      name: 'wide',
      trustPolicy: doc({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }),
    } as RoleArtifact;
    const check = proveTrust({ snapshot, evaluator: createEvaluator(snapshot, { now: NOW }) } as StrategyContext, [
      role,
    ]);
    expect(check.status).toBe('failed');
    expect(check.failures[0]).toMatch(/^wide: trust-public \(critical\)/);
  });
});
