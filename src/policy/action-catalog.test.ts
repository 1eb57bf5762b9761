import { describe, expect, it } from 'vitest';
import { loadIamCatalog, unknownActions } from './action-catalog.js';

describe('unknownActions', () => {
  it('Given real, wildcard, misspelt and unresolved actions, When checked against the IAM reference data, Then only the ones matching nothing are returned', async () => {
    const unknown = unknownActions(await loadIamCatalog(), [
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
      unknownActions(await loadIamCatalog(), [
        { Statement: [{ Effect: 'Allow', Action: ['S3:getobject', 'IAM:PassRole'], Resource: '*' }] },
      ]),
    ).toEqual(new Set());
  });
});

describe('loadIamCatalog', () => {
  it('Given a wildcard Action, When expanded against the catalogue, Then it names exactly the real actions it grants', async () => {
    const catalog = await loadIamCatalog();
    const names = catalog
      .expand('iam:Attach*')
      .map((a) => a.name)
      .sort();
    expect(names).toEqual(['iam:AttachGroupPolicy', 'iam:AttachRolePolicy', 'iam:AttachUserPolicy']);
    expect(catalog.expand('IAM:passrole').map((a) => a.name)).toEqual(['iam:PassRole']);
    expect(catalog.expand('s3:NoSuchThing')).toEqual([]);
    expect(catalog.expand('*').length).toBeGreaterThan(15_000);
  });

  it('Given an action, When looked up, Then its resource types and their ARN formats come from the reference data', async () => {
    const catalog = await loadIamCatalog();
    expect(catalog.action('iam:PassRole')?.resourceTypes).toEqual([{ name: 'role', required: true }]);
    expect(catalog.action('iam:ListRoles')?.wildcardOnly).toBe(true);
    expect(catalog.resourceArnFormat('lambda', 'function')).toBe(
      'arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}',
    );
  });
});
