import { describe, expect, it } from 'vitest';
import { analyzeIdentityPolicy, analyzeManagedPolicyArn } from './analyze.js';

describe('analyzeIdentityPolicy', () => {
  it.each([
    [{ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }, ['identity-full-admin']],
    [{ Statement: [{ Effect: 'Allow', Action: '*:*', Resource: ['*'] }] }, ['identity-full-admin']],
    [
      {
        Statement: [
          { Effect: 'Allow', Action: '*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } },
        ],
      },
      [],
    ],
    [{ Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }, []],
    [{ Statement: [{ Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::bucket/*' }] }, []],
    [{ Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] }, []],
    ['not json', ['identity-unparseable']],
  ])('Given %j, When analysed, Then %j', (doc, expected) => {
    expect(analyzeIdentityPolicy(doc).map((i) => i.ruleId)).toEqual(expected);
  });

  it.each([
    ['arn:aws:iam::aws:policy/AdministratorAccess', 'identity-admin-managed-policy'],
    ['arn:aws-us-gov:iam::aws:policy/IAMFullAccess', 'identity-admin-managed-policy'],
    ['arn:aws:iam::aws:policy/ReadOnlyAccess', null],
    ['arn:aws:iam::111122223333:policy/AdministratorAccess', null],
  ])('Given attached %s, When analysed, Then %s', (arn, expected) => {
    expect(analyzeManagedPolicyArn(arn)?.ruleId ?? null).toBe(expected);
  });
});
