import { describe, expect, it } from 'vitest';
import { findUnknownActions } from './action-catalog.js';

describe('findUnknownActions', () => {
  it('Given real, wildcard, misspelt and unresolved actions, When checked against the IAM reference data, Then only the ones matching nothing are returned', async () => {
    const unknown = await findUnknownActions([
      {
        Statement: [
          {
            Effect: 'Allow',
            Action: ['s3:GetObject', 's3:Get*', 'sts:AssumeRoleWithWebIdentity', '*', 'ec2:*', '*:Describe*'],
            Resource: '*',
          },
          {
            Effect: 'Allow',
            Action: [
              's3:GetObjcet',
              'sts:AssumeRoleWithWebIdentities',
              'nosuchservice:Do',
              's3:Zz*',
              'GetObject',
              '${var.action}',
            ],
            Resource: '*',
          },
          { Effect: 'Allow', NotAction: 'iam:CreateUsr', Resource: '*' },
        ],
      },
      'not a policy',
    ]);
    expect([...unknown].sort()).toEqual([
      'GetObject',
      'iam:CreateUsr',
      'nosuchservice:Do',
      's3:GetObjcet',
      's3:Zz*',
      'sts:AssumeRoleWithWebIdentities',
    ]);
  });

  it('Given action names in another case, When checked, Then they are known (IAM action names ignore case)', async () => {
    expect(
      await findUnknownActions([
        { Statement: [{ Effect: 'Allow', Action: ['S3:getobject', 'IAM:PassRole'], Resource: '*' }] },
      ]),
    ).toEqual(new Set());
  });
});
