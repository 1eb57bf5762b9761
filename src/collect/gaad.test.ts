import { describe, expect, it } from 'vitest';
import { normalizeGaad } from './gaad.js';

const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] };

describe('normalizeGaad', () => {
  it.each([
    ['URL-encoded (AWS API)', encodeURIComponent(JSON.stringify(doc))],
    ['raw JSON text (moto)', JSON.stringify(doc)],
    ['an object (AWS CLI)', doc],
  ])('Given an inline policy document as %s, When normalised, Then it is the decoded object', (_label, document) => {
    const gaad = normalizeGaad(
      [
        {
          UserDetailList: [
            {
              UserName: 'u',
              Arn: 'arn:aws:iam::111111111111:user/u',
              UserPolicyList: [{ PolicyName: 'p', PolicyDocument: document }],
            },
          ],
        },
      ],
      'g.json',
    );
    expect(gaad.users[0]?.inlinePolicies).toEqual([{ name: 'p', document: doc }]);
  });

  it('Given dates as Date objects (SDK), ISO strings (CLI) and space-separated (cloudsplaining), When normalised, Then all are the same instant', () => {
    const user = (name: string, CreateDate: unknown) => ({
      UserName: name,
      Arn: `arn:aws:iam::111111111111:user/${name}`,
      CreateDate,
    });
    const gaad = normalizeGaad(
      [
        {
          UserDetailList: [
            user('a', new Date('2023-03-09T10:41:45Z')),
            user('b', '2023-03-09T10:41:45+00:00'),
            user('c', '2023-03-09 10:41:45+00:00'),
          ],
        },
      ],
      'g.json',
    );
    expect(new Set(gaad.users.map((u) => JSON.stringify(u.createDate)))).toEqual(
      new Set(['{"state":"at","at":"2023-03-09T10:41:45Z"}']),
    );
  });

  it('Given two pages, When normalised, Then they are merged, de-duplicated and sorted by ARN', () => {
    const role = (name: string) => ({
      RoleName: name,
      Arn: `arn:aws:iam::111111111111:role/${name}`,
      AssumeRolePolicyDocument: doc,
    });
    const gaad = normalizeGaad(
      [{ RoleDetailList: [role('zeta'), role('alpha')] }, { RoleDetailList: [role('mid'), role('alpha')] }],
      'g.json',
    );
    expect(gaad.roles.map((r) => r.name)).toEqual(['alpha', 'mid', 'zeta']);
  });

  it('Given a managed policy without PolicyName (moto) and two versions, When normalised, Then the name comes from the ARN and the default version is the document', () => {
    const v1 = { Version: '2012-10-17', Statement: [] };
    const gaad = normalizeGaad(
      [
        {
          Policies: [
            {
              Arn: 'arn:aws:iam::111111111111:policy/team/deploy-artifacts',
              DefaultVersionId: 'v2',
              PolicyVersionList: [
                { VersionId: 'v1', IsDefaultVersion: false, Document: encodeURIComponent(JSON.stringify(v1)) },
                { VersionId: 'v2', IsDefaultVersion: true, Document: encodeURIComponent(JSON.stringify(doc)) },
              ],
            },
          ],
        },
      ],
      'g.json',
    );
    expect(gaad.policies[0]).toMatchObject({
      name: 'deploy-artifacts',
      defaultVersionId: 'v2',
      document: doc,
      awsManaged: false,
    });
  });

  it.each([
    ['absent (old export)', undefined, 'unknown'],
    ['{} (never used)', {}, 'never'],
    ['with a date', { LastUsedDate: '2026-10-01T00:00:00Z', Region: 'eu-west-1' }, 'at'],
  ])('Given RoleLastUsed %s, When normalised, Then lastUsed is %s', (_label, RoleLastUsed, state) => {
    const gaad = normalizeGaad(
      [
        {
          RoleDetailList: [
            { RoleName: 'r', Arn: 'arn:aws:iam::111111111111:role/r', AssumeRolePolicyDocument: doc, RoleLastUsed },
          ],
        },
      ],
      'g.json',
    );
    expect(gaad.roles[0]?.lastUsed.state).toBe(state);
  });

  it('Given tags in any order, When normalised, Then they are a record with sorted keys', () => {
    const gaad = normalizeGaad(
      [
        {
          UserDetailList: [
            {
              UserName: 'u',
              Arn: 'arn:aws:iam::111111111111:user/u',
              Tags: [
                { Key: 'z', Value: '1' },
                { Key: 'a', Value: '2' },
              ],
            },
          ],
        },
      ],
      'g.json',
    );
    expect(Object.keys(gaad.users[0]?.tags ?? {})).toEqual(['a', 'z']);
  });

  it('Given a trust policy that is not JSON, When normalised, Then the error names the file and the role', () => {
    expect(() =>
      normalizeGaad(
        [
          {
            RoleDetailList: [
              { RoleName: 'r', Arn: 'arn:aws:iam::111111111111:role/r', AssumeRolePolicyDocument: '%7Bbroken' },
            ],
          },
        ],
        'g.json',
      ),
    ).toThrow(/^g\.json: authorization details: trust policy of role r: /);
  });

  it('Given a user without an Arn, When normalised, Then the error says which', () => {
    expect(() => normalizeGaad([{ UserDetailList: [{ UserName: 'u' }] }], 'g.json')).toThrow(
      'g.json: authorization details: user u has no Arn',
    );
  });
});
