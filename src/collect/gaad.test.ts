import { describe, expect, it } from 'vitest';
import { InputFileError } from '../errors.js';
import { gaadPageContinues, normalizeGaad } from './gaad.js';

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
    ).toThrow(/^g\.json: RoleDetailList\[0\]\.AssumeRolePolicyDocument: policy document is not valid JSON$/);
  });

  it('Given a user without an Arn, When normalised, Then the error gives the path of the entry', () => {
    expect(() => normalizeGaad([{ UserDetailList: [{ UserName: 'u' }] }], 'g.json')).toThrow(
      'g.json: UserDetailList[0].Arn: missing',
    );
  });
});

describe('normalizeGaad never drops what it cannot read (issue 15: silent undercounts)', () => {
  const user = (name: string, extra: Record<string, unknown> = {}) => ({
    UserName: name,
    Arn: `arn:aws:iam::111111111111:user/${name}`,
    ...extra,
  });
  const cases: Array<[string, unknown, string]> = [
    [
      'UserDetailList given as an object ({"member": [...]})',
      { UserDetailList: { member: [user('a'), user('b')] } },
      'UserDetailList: expected an array, found an object',
    ],
    [
      'a user entry that is a string',
      { UserDetailList: [user('a'), user('b'), user('c'), 'd'] },
      'UserDetailList[3]: expected an object, found a string',
    ],
    ['a user entry that is null', { UserDetailList: [null] }, 'UserDetailList[0]: expected an object, found null'],
    [
      'Tags given as an object',
      { UserDetailList: [user('a', { Tags: { owner: 'alice' } })] },
      'UserDetailList[0].Tags: expected an array, found an object',
    ],
    [
      'Tags given as null',
      { UserDetailList: [user('a', { Tags: null })] },
      'UserDetailList[0].Tags: expected an array, found null',
    ],
    [
      'a tag without a Key',
      { UserDetailList: [user('a', { Tags: [{ Value: 'x' }] })] },
      'UserDetailList[0].Tags[0].Key: missing',
    ],
    [
      'GroupList given as a string',
      { UserDetailList: [user('a', { GroupList: 'admins' })] },
      'UserDetailList[0].GroupList: expected an array, found a string',
    ],
    [
      'a group name that is a number',
      { UserDetailList: [user('a', { GroupList: ['admins', 7] })] },
      'UserDetailList[0].GroupList[1]: expected a string, found a number',
    ],
    [
      'an attached policy without an ARN',
      { UserDetailList: [user('a', { AttachedManagedPolicies: [{ PolicyName: 'x' }] })] },
      'UserDetailList[0].AttachedManagedPolicies[0].PolicyArn: missing',
    ],
    [
      'a CreateDate that is not a date',
      { UserDetailList: [user('a', { CreateDate: 'root:x:0:0' })] },
      'UserDetailList[0].CreateDate: expected a date',
    ],
    ['RoleDetailList given as a number', { RoleDetailList: 3 }, 'RoleDetailList: expected an array, found a number'],
    ['a page that is an array', [user('a')], 'the document: expected an object, found an array'],
  ];

  it.each(cases)(
    'Given %s, When normalised, Then an input error gives the path and never the value',
    (_label, page, message) => {
      const error = (() => {
        try {
          normalizeGaad([page], 'g.json');
          return null;
        } catch (caught) {
          return caught;
        }
      })();
      expect(error).toBeInstanceOf(InputFileError);
      expect((error as Error).message).toBe(`g.json: ${message}`);
      expect((error as Error).message).not.toContain('root:x');
    },
  );

  it.each([
    ['IsTruncated with a Marker (--no-paginate)', { UserDetailList: [], IsTruncated: true, Marker: 'm' }, true],
    ['a NextToken (--max-items)', { UserDetailList: [], NextToken: 'eyJNYXJrZXIiOm51bGx9' }, true],
    ['the merged CLI output', { UserDetailList: [] }, false],
    ['the last page', { UserDetailList: [], IsTruncated: false }, false],
  ])('Given a page with %s, When asked whether more pages follow, Then the answer is %s', (_label, page, continues) => {
    expect(gaadPageContinues(page)).toBe(continues);
  });
});
