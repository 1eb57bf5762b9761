import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { InputFileError, UserInputError } from '../errors.js';
import type { Snapshot, User } from '../model/snapshot.js';
import { SnapshotSchema } from '../model/snapshot.js';
import { kindFromName } from './file-kinds.js';
import { collectFromFiles } from './files.js';

const CORPUS = fileURLToPath(new URL('../../test/fixtures/corpus/', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../../test/fixtures/collect/', import.meta.url));
const NOW = new Date('2026-11-23T10:00:00Z');
const options = { now: () => NOW };

const scratch = mkdtempSync(join(tmpdir(), 'roleshift-files-'));
let counter = 0;
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A fresh folder holding the given files: [name, corpus path] copies or [name, text] contents. */
function folder(files: Array<[string, { corpus: string } | { text: string }]>, parent?: string): string {
  const dir = join(parent ?? scratch, parent === undefined ? `case-${++counter}` : '');
  mkdirSync(dir, { recursive: true });
  for (const [name, source] of files) {
    if ('corpus' in source) copyFileSync(join(CORPUS, source.corpus), join(dir, name));
    else writeFileSync(join(dir, name), source.text);
  }
  return dir;
}

function userNamed(snapshot: Snapshot, name: string): User {
  const user = snapshot.accounts.flatMap((account) => account.users).find((candidate) => candidate.name === name);
  if (user === undefined) throw new Error(`no user ${name}`);
  return user;
}

describe('collectFromFiles on the field corpus', () => {
  it.each([
    ['cloudsplaining/example.json', '200611803367', 41, 3, 75, 56, true],
    ['cloudsplaining/example-authz-details.json', '012345678901', 3, 2, 3, 32, false],
    ['cloudsplaining/example_authz_v2.json', '012345678901', 1, 1, 2, 2, false],
    ['cloudmapper/iam-get-account-authorization-details.json', '123456789012', 2, 1, 4, 2, false],
  ] as const)(
    'Given %s alone, When read, Then account %s has %i users, %i groups, %i roles, %i policies',
    (file, accountId, users, groups, roles, policies, identityCenter) => {
      return collectFromFiles(folder([['gaad.json', { corpus: file }]]), options).then((snapshot) => {
        expect(snapshot.accounts).toHaveLength(1);
        const account = snapshot.accounts[0];
        expect(account).toMatchObject({ accountId, credentialReport: null, root: null });
        expect([
          account?.users.length,
          account?.groups.length,
          account?.roles.length,
          account?.policies.length,
        ]).toEqual([users, groups, roles, policies]);
        expect(account?.identityCenter.inUse).toBe(identityCenter);
        expect(account?.users.every((user) => !user.inCredentialReport)).toBe(true);
        expect(snapshot.collection.warnings).toEqual([
          `account ${accountId}: no credential report: passwords, access keys and MFA of ${users} user(s) are unknown`,
        ]);
      });
    },
  );

  it('Given cloudsplaining example.json, When read, Then Identity Center evidence names the AWSReservedSSO roles and the AWSSSO provider', async () => {
    const snapshot = await collectFromFiles(
      folder([['example.json', { corpus: 'cloudsplaining/example.json' }]]),
      options,
    );
    const evidence = snapshot.accounts[0]?.identityCenter.evidence ?? [];
    expect(evidence.filter((line) => line.startsWith('role AWSReservedSSO_'))).toHaveLength(2);
    expect(evidence.some((line) => line.startsWith('SAML provider AWSSSO_b937d2dff24f2774_DO_NOT_DELETE'))).toBe(true);
  });

  it.each([
    [
      'the get-credential-report JSON (plain-CSV Content)',
      'iam-get-credential-report.json',
      'cloudmapper/iam-get-credential-report.json',
    ],
    [
      'the bare CSV without a trailing newline',
      'iam-get-credential-report.Content.csv',
      'cloudmapper/iam-get-credential-report.Content.csv',
    ],
    [
      'the decoded CSV saved under a .json name',
      'get-credential-report.json',
      'cloudmapper/iam-get-credential-report.Content.csv',
    ],
  ])(
    'Given cloudmapper GAAD and %s, When read, Then the credential facts are right',
    async (_label, name, corpusFile) => {
      const dir = folder([
        [
          'iam-get-account-authorization-details.json',
          { corpus: 'cloudmapper/iam-get-account-authorization-details.json' },
        ],
        [name, { corpus: corpusFile }],
      ]);
      const snapshot = await collectFromFiles(dir, options);
      const account = snapshot.accounts[0];
      expect(account?.credentialReport?.rows).toBe(3);
      expect(account?.root).toMatchObject({ mfaActive: true, accessKeysPresent: true });
      expect(account?.root?.accessKeys).toEqual([
        expect.objectContaining({ status: 'Active', lastUsedService: 'ecr', lastUsedRegion: 'us-east-1' }),
      ]);
      const auditor = userNamed(snapshot, 'auditor_tmp');
      expect(auditor.accessKeys).toEqual([
        expect.objectContaining({ slot: 1, status: 'Active', lastUsed: { state: 'never' } }),
      ]);
      const user = userNamed(snapshot, 'user');
      expect(user.accessKeys.map((key) => key.status)).toEqual(['Active', 'Active']);
      expect(user).toMatchObject({ mfaActive: false, password: { enabled: true }, inCredentialReport: true });
    },
  );

  it('Given the committed cloudmapper-csv fixture folder, When read, Then it validates against the Snapshot schema', async () => {
    const snapshot = await collectFromFiles(join(FIXTURES, 'cloudmapper-csv'), options);
    expect(SnapshotSchema.safeParse(snapshot).success).toBe(true);
    expect(snapshot.collection).toMatchObject({
      source: 'files',
      origin: join(FIXTURES, 'cloudmapper-csv'),
      apiCalls: {},
    });
    // A bare CSV carries no generated time, so no age warning can be given.
    expect(snapshot.accounts[0]?.credentialReport?.generatedAt).toEqual({ state: 'unknown' });
  });

  it('Given one sub-folder per account beside a README and a CloudTrail folder, When read, Then both accounts come back sorted by id', async () => {
    const root = join(scratch, `multi-${++counter}`);
    folder([['example.json', { corpus: 'cloudsplaining/example.json' }]], join(root, 'lab'));
    folder([['gaad.json', { corpus: 'cloudmapper/iam-get-account-authorization-details.json' }]], join(root, 'demo'));
    writeFileSync(join(root, 'README.md'), 'not data');
    folder([['trail.json.gz', { text: 'gzip bytes' }]], join(root, 'cloudtrail'));
    const snapshot = await collectFromFiles(root, options);
    expect(snapshot.accounts.map((account) => account.accountId)).toEqual(['123456789012', '200611803367']);
  });

  it('Given GAAD split into two pages, When read, Then the pages are merged', async () => {
    const full = JSON.parse(readFileSync(join(CORPUS, 'cloudsplaining/example.json'), 'utf8')) as Record<
      string,
      unknown[]
    >;
    const first = {
      UserDetailList: full.UserDetailList?.slice(0, 20),
      GroupDetailList: full.GroupDetailList,
      RoleDetailList: [],
      Policies: [],
      IsTruncated: true,
      Marker: 'm',
    };
    const second = {
      UserDetailList: full.UserDetailList?.slice(20),
      GroupDetailList: [],
      RoleDetailList: full.RoleDetailList,
      Policies: full.Policies,
      IsTruncated: false,
    };
    const dir = folder([
      ['get-account-authorization-details-1.json', { text: JSON.stringify(first) }],
      ['get-account-authorization-details-2.json', { text: JSON.stringify(second) }],
    ]);
    const account = (await collectFromFiles(dir, options)).accounts[0];
    expect([account?.users.length, account?.roles.length, account?.policies.length]).toEqual([41, 75, 56]);
  });

  it('Given the OIDC list names two providers and only one get file is there, When read, Then both are kept and a gap names the missing one', async () => {
    const arn = (host: string) => `arn:aws:iam::123456789012:oidc-provider/${host}`;
    const dir = folder([
      ['gaad.json', { corpus: 'cloudmapper/iam-get-account-authorization-details.json' }],
      [
        'list-open-id-connect-providers.json',
        {
          text: JSON.stringify({
            OpenIDConnectProviderList: [
              { Arn: arn('token.actions.githubusercontent.com') },
              { Arn: arn('gitlab.com') },
            ],
          }),
        },
      ],
      [
        'get-open-id-connect-provider-github.json',
        {
          text: JSON.stringify({
            Url: 'token.actions.githubusercontent.com',
            ClientIDList: ['sts.amazonaws.com'],
            ThumbprintList: [],
            CreateDate: '2026-01-01T00:00:00Z',
          }),
        },
      ],
    ]);
    const snapshot = await collectFromFiles(dir, options);
    expect(snapshot.accounts[0]?.oidcProviders.map((provider) => [provider.arn, provider.clientIds])).toEqual([
      [arn('gitlab.com'), []],
      [arn('token.actions.githubusercontent.com'), ['sts.amazonaws.com']],
    ]);
    expect(snapshot.gaps).toContainEqual({
      accountId: '123456789012',
      region: null,
      api: 'iam:GetOpenIDConnectProvider',
      errorCode: 'FileMissing',
      message: `no get-open-id-connect-provider file for ${arn('gitlab.com')} in ${dir}: its audiences (client ids) and thumbprints are unknown`,
    });
  });

  it('Given an empty GAAD in a folder named after the account, When read, Then the folder name is the account id', async () => {
    const root = join(scratch, `named-${++counter}`);
    const empty = {
      text: JSON.stringify({ UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [] }),
    };
    const dir = folder([['gaad.json', empty]], join(root, '444455556666'));
    const snapshot = await collectFromFiles(dir, options);
    expect(snapshot.accounts.map((account) => [account.accountId, account.users.length])).toEqual([
      ['444455556666', 0],
    ]);
    const unnamed = folder([['gaad.json', empty]], join(root, 'somewhere'));
    await expect(collectFromFiles(unnamed, options)).rejects.toThrow(
      `${unnamed}: cannot tell the account id: no ARN in the files names one; name the folder after the 12-digit account id`,
    );
  });

  it('Given a report older than 4 hours, When read, Then a warning says so', async () => {
    const dir = folder([
      ['gaad.json', { corpus: 'cloudmapper/iam-get-account-authorization-details.json' }],
      ['get-credential-report.json', { corpus: 'cloudmapper/iam-get-credential-report.json' }],
    ]);
    const snapshot = await collectFromFiles(dir, options);
    expect(snapshot.collection.warnings).toContain(
      'account 123456789012: the credential report was generated 2019-05-07T15:40:22Z, 2756 day(s) ago (AWS caches it; changes since then are not in it)',
    );
  });
});

describe('collectFromFiles on bad input: one line naming the file and the problem', () => {
  const gaad = { corpus: 'cloudmapper/iam-get-account-authorization-details.json' } as const;
  const header =
    'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';

  const cases: Array<[string, Array<[string, { corpus: string } | { text: string }]>, string | RegExp, string]> = [
    [
      'malformed JSON',
      [['gaad.json', { text: '{"UserDetailList": [ {"UserName": ' }]],
      /gaad\.json: ends before the JSON is complete: is the file truncated\?$/,
      'gaad.json',
    ],
    [
      'an empty file',
      [
        ['gaad.json', gaad],
        ['get-credential-report.json', { text: '\n' }],
      ],
      /get-credential-report\.json: is empty$/,
      'get-credential-report.json',
    ],
    [
      'a CSV with the wrong header',
      [
        ['gaad.json', gaad],
        ['report.csv', { text: 'name,arn,created\nbob,arn:aws:iam::123456789012:user/bob,2020-01-01\n' }],
      ],
      /report\.csv: not an IAM credential report: header missing user, user_creation_time, .*; unexpected name, created$/,
      'report.csv',
    ],
    [
      'a truncated CSV',
      [
        ['gaad.json', gaad],
        [
          'credential-report.csv',
          { text: `${header}\nbob,arn:aws:iam::123456789012:user/bob,2020-01-01T00:00:00+00:00,false` },
        ],
      ],
      /credential-report\.csv: credential report line 2 has 4 columns, the header 22: is the file truncated\?$/,
      'credential-report.csv',
    ],
    [
      'a broken trust policy in the second GAAD page',
      [
        ['gaad-1.json', gaad],
        [
          'gaad-2.json',
          {
            text: JSON.stringify({
              RoleDetailList: [
                { RoleName: 'r', Arn: 'arn:aws:iam::123456789012:role/r', AssumeRolePolicyDocument: '%7Bbroken' },
              ],
            }),
          },
        ],
      ],
      /gaad-2\.json: RoleDetailList\[0\]\.AssumeRolePolicyDocument: policy document is not valid JSON$/,
      'gaad-2.json',
    ],
    [
      'a file that is not what its name says',
      [['get-credential-report.json', gaad]],
      /get-credential-report\.json: holds get-account-authorization-details output, not what its name says \(get-credential-report output\)$/,
      'get-credential-report.json',
    ],
    [
      'a JSON roleshift does not read',
      [
        ['gaad.json', gaad],
        ['notes.json', { text: '{"hello": "world"}' }],
      ],
      /notes\.json: not a file roleshift reads: expected AWS CLI JSON output of get-account-authorization-details/,
      'notes.json',
    ],
    [
      'a folder with no GAAD',
      [['get-credential-report.json', { corpus: 'cloudmapper/iam-get-credential-report.json' }]],
      /: no get-account-authorization-details output here: run `aws iam get-account-authorization-details --output json > get-account-authorization-details.json` for this account \(roleshift export-script prints every command\)$/,
      '',
    ],
    [
      'two credential reports for one account',
      [
        ['gaad.json', gaad],
        ['a-credential-report.json', { corpus: 'cloudmapper/iam-get-credential-report.json' }],
        ['b-credential-report.csv', { corpus: 'cloudmapper/iam-get-credential-report.Content.csv' }],
      ],
      /b-credential-report\.csv: a second get-credential-report output for the same account \(the first is .*a-credential-report\.json\); keep one$/,
      'b-credential-report.csv',
    ],
  ];

  it.each(cases)(
    'Given %s, When read, Then InputFileError says what is wrong',
    async (_label, files, message, file) => {
      const dir = folder(files);
      const before = readdirSync(dir);
      const error = await collectFromFiles(dir, options).then(
        () => null,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(InputFileError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain('\n');
      if (file !== '') expect((error as InputFileError).file).toBe(join(dir, file));
      expect(readdirSync(dir)).toEqual(before);
    },
  );

  it('Given an empty directory, When read, Then a UserInputError names it', async () => {
    const dir = folder([['README.md', { text: 'only docs' }]]);
    const error = await collectFromFiles(dir, options).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UserInputError);
    expect((error as Error).message).toBe(
      `${dir}: no AWS CLI output files (.json or .csv) here: put get-account-authorization-details and get-credential-report outputs in it, or one sub-folder per account`,
    );
  });

  it('Given a folder that does not exist, When read, Then the error says so', async () => {
    await expect(collectFromFiles(join(scratch, 'nope'), options)).rejects.toThrow(
      `${join(scratch, 'nope')}: no such folder`,
    );
  });

  it('Given files of two accounts in one folder, When read, Then the error asks for one sub-folder each', async () => {
    const dir = folder([
      ['a.json', { corpus: 'cloudsplaining/example.json' }],
      ['b.json', { corpus: 'cloudsplaining/example_authz_v2.json' }],
    ]);
    await expect(collectFromFiles(dir, options)).rejects.toThrow(
      `${dir}: the files describe more than one account (012345678901, 200611803367): put each account's files in its own sub-folder`,
    );
  });
});

describe('collectFromFiles reads what the AWS CLI writes on any platform (issue 15 point 10)', () => {
  const gaadText = () => readFileSync(join(CORPUS, 'cloudmapper/iam-get-account-authorization-details.json'), 'utf8');

  it.each([
    ['a UTF-8 byte-order mark', (text: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])],
    ['UTF-16LE with a byte-order mark (PowerShell >)', (text: string) => Buffer.from(`\uFEFF${text}`, 'utf16le')],
  ])('Given a GAAD saved with %s, When read, Then it reads like the UTF-8 file', async (_label, encode) => {
    const plain = await collectFromFiles(folder([['gaad.json', { text: gaadText() }]]), options);
    const dir = join(scratch, `encoded-${++counter}`);
    mkdirSync(dir);
    writeFileSync(join(dir, 'gaad.json'), encode(gaadText()));
    const encoded = await collectFromFiles(dir, options);
    expect(encoded.accounts).toEqual(plain.accounts);
  });

  it('Given /etc/passwd copied in as a .json file, When read, Then the error never shows its content', async () => {
    const dir = folder([['get-account-authorization-details.json', { text: 'root:x:0:0:root:/root:/bin/bash\n' }]]);
    const error = (await collectFromFiles(dir, options).catch((caught: unknown) => caught)) as Error;
    expect(error).toBeInstanceOf(InputFileError);
    expect(error.message).toMatch(/: is not JSON \(it does not start with \{ or \[\): save the AWS CLI output/);
    expect(error.message).not.toContain('root');
  });

  it('Given a symbolic link loop among the files, When read, Then one input error names it (exit 2, not 4)', async () => {
    const dir = folder([['gaad.json', { text: gaadText() }]]);
    symlinkSync(join(dir, 'b.json'), join(dir, 'a.json'));
    symlinkSync(join(dir, 'a.json'), join(dir, 'b.json'));
    const error = (await collectFromFiles(dir, options).catch((caught: unknown) => caught)) as Error;
    expect(error).toBeInstanceOf(InputFileError);
    expect(error.message).toBe(`${join(dir, 'a.json')}: is a symbolic link loop: remove it or point it at a file`);
  });
});

describe('kindFromName', () => {
  it.each([
    ['get-account-authorization-details.json', 'gaad'],
    ['iam-get-credential-report.Content.csv', 'credential-report'],
    ['list-open-id-connect-providers.json', 'oidc-list'],
    ['get-open-id-connect-provider-token.actions.githubusercontent.com.json', 'oidc-get'],
    ['list-virtual-mfa-devices.json', 'virtual-mfa'],
    ['example.json', null],
  ])('Given %s, When named, Then the kind is %s', (name, kind) => {
    expect(kindFromName(name)).toBe(kind);
  });
});
