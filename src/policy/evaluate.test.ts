import { describe, expect, it } from 'vitest';
import { requestContext } from './condition.js';
import { evaluatePolicy, scpsPermit } from './evaluate.js';

const POLICY = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::logs/*' },
    {
      Effect: 'Deny',
      Action: 's3:DeleteObject',
      Resource: '*',
      Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } },
    },
  ],
};

describe('evaluatePolicy', () => {
  it.each([
    ['an allowed action', 's3:GetObject', 'arn:aws:s3:::logs/a', {}, 'allow'],
    ['another resource', 's3:GetObject', 'arn:aws:s3:::other/a', {}, 'implicit-deny'],
    [
      'a delete without MFA',
      's3:DeleteObject',
      'arn:aws:s3:::logs/a',
      { 'aws:MultiFactorAuthPresent': 'false' },
      'explicit-deny',
    ],
    ['a delete with MFA', 's3:DeleteObject', 'arn:aws:s3:::logs/a', { 'aws:MultiFactorAuthPresent': 'true' }, 'allow'],
    ['an action name in another case', 'S3:getobject', 'arn:aws:s3:::logs/a', {}, 'allow'],
  ])('Given %s, when evaluated, then the decision is %s', (_label, action, resource, context, decision) => {
    expect(evaluatePolicy(POLICY, { action, resource, context: requestContext(context) })).toBe(decision);
  });

  it('Given a document IAM would reject, when evaluated, then it throws instead of deciding', () => {
    expect(() =>
      evaluatePolicy({ Version: '2012-10-17' }, { action: 's3:GetObject', resource: '*', context: requestContext({}) }),
    ).toThrow(/invalid policy/);
  });

  it('Given SCPs at one level, when none allows, then the request is not permitted even without a deny', () => {
    const request = { action: 'ec2:RunInstances', resource: '*', context: requestContext({}) };
    expect(scpsPermit([POLICY], request)).toBe(false);
    expect(
      scpsPermit(
        [POLICY, { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }],
        request,
      ),
    ).toBe(true);
  });
});
