import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ONE_ACCOUNT_DIR, ONE_ACCOUNT_FILES } from '../../test/fixtures/one-account-export.js';
import type { Gap } from '../model/snapshot.js';
import { collectFromFiles } from './files.js';

const CORPUS = fileURLToPath(new URL('../../test/fixtures/corpus/', import.meta.url));
const NOW = new Date('2026-11-23T10:00:00Z');
const options = { now: () => NOW };
const ACCOUNT = '123456789012';
const ONE_ACCOUNT = ONE_ACCOUNT_DIR;
const COMPLETE: readonly string[] = ONE_ACCOUNT_FILES;

const scratch = mkdtempSync(join(tmpdir(), 'roleshift-completeness-'));
let counter = 0;
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A copy of the complete one-account export, minus `without`, with `replace` written over it. */
function exportFolder(without: string[] = [], replace: Record<string, string> = {}, parent?: string): string {
  const dir = join(parent ?? scratch, parent === undefined ? `case-${++counter}` : '');
  mkdirSync(dir, { recursive: true });
  for (const name of COMPLETE.filter((file) => !without.includes(file))) {
    copyFileSync(join(ONE_ACCOUNT, name), join(dir, name));
  }
  for (const [name, text] of Object.entries(replace)) writeFileSync(join(dir, name), text);
  return dir;
}

const gaad = () =>
  JSON.parse(readFileSync(join(ONE_ACCOUNT, 'get-account-authorization-details.json'), 'utf8')) as Record<
    string,
    unknown[]
  >;

function codes(gaps: readonly Gap[]): string[] {
  return gaps.map((gap) => `${gap.api} ${gap.errorCode}`);
}

describe('a file scan says what it could not read, as gaps (issue 15 point 1, issue 17 point 2)', () => {
  it('Given every file a live scan reads, When read, Then there is no gap and every file is recorded', async () => {
    const dir = exportFolder();
    const snapshot = await collectFromFiles(dir, options);
    expect(snapshot.gaps).toEqual([]);
    expect(snapshot.collection.inputs?.files.map((file) => file.path).sort()).toEqual([...COMPLETE].sort());
    expect(snapshot.collection.inputs?.files.every((file) => file.accountId === ACCOUNT && !file.continues)).toBe(true);
  });

  it('Given GAAD without a credential report, When read, Then the unknown credentials are a gap, not a zero', async () => {
    const dir = exportFolder(['get-credential-report.json']);
    const snapshot = await collectFromFiles(dir, options);
    expect(snapshot.accounts[0]?.users).toHaveLength(3);
    expect(snapshot.gaps).toEqual([
      {
        accountId: ACCOUNT,
        region: null,
        api: 'iam:GetCredentialReport',
        errorCode: 'FileMissing',
        message: `no get-credential-report.json (get-credential-report output) in ${dir}: console passwords, access keys, MFA and root credentials of every user are unknown`,
      },
    ]);
  });

  it.each([
    ['list-virtual-mfa-devices.json', 'iam:ListVirtualMFADevices', 'virtual or hardware'],
    ['get-account-summary.json', 'iam:GetAccountSummary', 'root access keys'],
    ['list-account-aliases.json', 'iam:ListAccountAliases', 'alias is unknown'],
    ['list-open-id-connect-providers.json', 'iam:ListOpenIDConnectProviders', 'OIDC identity providers are unknown'],
    ['list-saml-providers.json', 'iam:ListSAMLProviders', 'SAML providers are unknown'],
    ['get-account-password-policy.json', 'iam:GetAccountPasswordPolicy', 'password policy is unknown'],
    ['list-server-certificates.json', 'iam:ListServerCertificates', 'certificates stored in IAM are unknown'],
  ])(
    'Given an export without %s, When read, Then a gap names the file and what the snapshot lacks',
    async (file, api, lacks) => {
      const dir = exportFolder([file]);
      const snapshot = await collectFromFiles(dir, options);
      expect(snapshot.gaps).toHaveLength(1);
      expect(snapshot.gaps[0]).toMatchObject({ accountId: ACCOUNT, api, errorCode: 'FileMissing' });
      expect(snapshot.gaps[0]?.message).toContain(`no ${file} `);
      expect(snapshot.gaps[0]?.message).toContain(lacks);
    },
  );

  it.each([
    ['IsTruncated with a Marker (--no-paginate)', { IsTruncated: true, Marker: 'bWFya2Vy' }],
    ['a NextToken (--max-items)', { NextToken: 'eyJNYXJrZXIiOiBudWxsfQ==' }],
  ])(
    'Given a GAAD with %s, When read, Then the export is a truncated gap, not a complete account',
    async (_label, marker) => {
      const dir = exportFolder([], {
        'get-account-authorization-details.json': JSON.stringify({ ...gaad(), ...marker }),
      });
      const snapshot = await collectFromFiles(dir, options);
      expect(codes(snapshot.gaps)).toEqual(['iam:GetAccountAuthorizationDetails Truncated']);
      expect(snapshot.gaps[0]?.message).toMatch(/says more pages follow .* export again without --max-items/);
      expect(snapshot.collection.inputs?.files.find((file) => file.kind === 'gaad')?.continues).toBe(true);
    },
  );

  it('Given GAAD saved as two pages and a summary whose counts match, When read, Then the pages are accepted whole', async () => {
    const full = gaad();
    const dir = exportFolder(['get-account-authorization-details.json'], {
      'get-account-authorization-details-1.json': JSON.stringify({
        UserDetailList: full.UserDetailList?.slice(0, 2),
        IsTruncated: true,
        Marker: 'm1',
      }),
      'get-account-authorization-details-2.json': JSON.stringify({
        ...full,
        UserDetailList: full.UserDetailList?.slice(2),
        IsTruncated: false,
      }),
    });
    const snapshot = await collectFromFiles(dir, options);
    expect(snapshot.gaps).toEqual([]);
    expect(snapshot.accounts[0]?.users).toHaveLength(3);
  });

  it('Given the first GAAD page only, When read, Then the count mismatch and the truncation are both gaps', async () => {
    const full = gaad();
    const dir = exportFolder([], {
      'get-account-authorization-details.json': JSON.stringify({
        ...full,
        UserDetailList: full.UserDetailList?.slice(0, 2),
        IsTruncated: true,
        Marker: 'm1',
      }),
    });
    const snapshot = await collectFromFiles(dir, options);
    expect(codes(snapshot.gaps)).toEqual([
      'iam:GetAccountAuthorizationDetails Truncated',
      'iam:GetAccountAuthorizationDetails Incomplete',
    ]);
    expect(snapshot.gaps[1]?.message).toBe(
      `the authorization details in ${dir} list 2 users, IAM's account summary counts 3: a page is missing or the export was filtered`,
    );
  });

  it('Given a GAAD exported with --filter User (no roles), When read, Then the summary shows the roles are missing', async () => {
    const full = gaad();
    const dir = exportFolder([], {
      'get-account-authorization-details.json': JSON.stringify({ UserDetailList: full.UserDetailList }),
    });
    const snapshot = await collectFromFiles(dir, options);
    expect(codes(snapshot.gaps)).toEqual([
      'iam:GetAccountAuthorizationDetails Incomplete',
      'iam:GetAccountAuthorizationDetails Incomplete',
    ]);
    expect(snapshot.gaps.map((gap) => gap.message.match(/list 0 (\w+)/)?.[1])).toEqual(['groups', 'roles']);
  });

  it('Given a user created after the credential report, When read, Then its unknown credentials are a gap', async () => {
    const full = gaad();
    const newcomer = { UserName: 'newcomer', Arn: `arn:aws:iam::${ACCOUNT}:user/newcomer`, Path: '/' };
    const summary = JSON.parse(readFileSync(join(ONE_ACCOUNT, 'get-account-summary.json'), 'utf8')) as {
      SummaryMap: Record<string, number>;
    };
    const dir = exportFolder([], {
      'get-account-authorization-details.json': JSON.stringify({
        ...full,
        UserDetailList: [...(full.UserDetailList ?? []), newcomer],
      }),
      'get-account-summary.json': JSON.stringify({ SummaryMap: { ...summary.SummaryMap, Users: 4 } }),
    });
    const snapshot = await collectFromFiles(dir, options);
    expect(snapshot.gaps).toEqual([
      {
        accountId: ACCOUNT,
        region: null,
        api: 'iam:GetCredentialReport',
        errorCode: 'Incomplete',
        message: `1 user(s) in the authorization details in ${dir} are not in its credential report (created after it was generated?): their passwords and keys are unknown; export both again together`,
      },
    ]);
  });

  it('Given a virtual MFA list that says more pages follow, When read, Then it is a truncated gap', async () => {
    const dir = exportFolder([], {
      'list-virtual-mfa-devices.json': JSON.stringify({ VirtualMFADevices: [], NextToken: 'abc' }),
    });
    expect(codes((await collectFromFiles(dir, options)).gaps)).toEqual(['iam:ListVirtualMFADevices Truncated']);
  });
});

describe('a --from folder never hides an account (issue 15 point 1)', () => {
  it('Given files at the top level and account sub-folders, When read, Then every account is read', async () => {
    const root = exportFolder();
    const second = join(root, 'lab');
    mkdirSync(second);
    copyFileSync(join(CORPUS, 'cloudsplaining/example_authz_v2.json'), join(second, 'gaad.json'));
    const snapshot = await collectFromFiles(root, options);
    expect(snapshot.accounts.map((account) => account.accountId)).toEqual(['012345678901', ACCOUNT]);
    expect(codes(snapshot.gaps.filter((gap) => gap.accountId === '012345678901'))).toContain(
      'iam:GetCredentialReport FileMissing',
    );
  });

  it('Given an account sub-folder without authorization details beside a complete one, When read, Then that account is a gap', async () => {
    const root = join(scratch, `root-${++counter}`);
    exportFolder([], {}, join(root, 'prod'));
    exportFolder(['get-account-authorization-details.json'], {}, join(root, 'dev'));
    const snapshot = await collectFromFiles(root, options);
    expect(snapshot.accounts.map((account) => account.accountId)).toEqual([ACCOUNT]);
    expect(snapshot.gaps).toEqual([
      {
        accountId: ACCOUNT,
        region: null,
        api: 'iam:GetAccountAuthorizationDetails',
        errorCode: 'FileMissing',
        message: `no get-account-authorization-details.json (get-account-authorization-details output) in ${join(root, 'dev')}: the account's users, groups, roles and policies are unknown: the account is left out`,
      },
    ]);
  });

  it('Given the organization account list and a folder for one of two active accounts, When read, Then the other is a gap, and so is the missing root access file', async () => {
    const root = join(scratch, `org-${++counter}`);
    exportFolder([], {}, join(root, ACCOUNT));
    const accounts = {
      Accounts: [
        { Id: ACCOUNT, Status: 'ACTIVE' },
        { Id: '210987654321', Status: 'ACTIVE' },
        { Id: '333333333333', Status: 'SUSPENDED' },
      ],
    };
    writeFileSync(join(root, 'organizations-list-accounts.json'), JSON.stringify(accounts));
    const snapshot = await collectFromFiles(root, options);
    expect(snapshot.gaps).toEqual([
      {
        accountId: '210987654321',
        region: null,
        api: 'iam:GetAccountAuthorizationDetails',
        errorCode: 'FolderMissing',
        message: `account 210987654321 is active in ${join(root, 'organizations-list-accounts.json')} but no folder holds its files: its users are unknown`,
      },
      {
        accountId: null,
        region: null,
        api: 'iam:ListOrganizationsFeatures',
        errorCode: 'FileMissing',
        message:
          "no list-organizations-features.json in the management account's folder: whether the member accounts' root credentials are centrally managed is unknown: root-credentials-management gives no verdict",
      },
    ]);
    expect(snapshot.rootAccess).toBeUndefined();
    expect(snapshot.collection.inputs?.files.map((file) => file.path)).toContain('organizations-list-accounts.json');
  });

  it("Given an organization export with list-organizations-features.json in the management account's folder, When read, Then the root access features are kept for that account with no gap", async () => {
    const root = join(scratch, `org-${++counter}`);
    exportFolder([], {}, join(root, ACCOUNT));
    writeFileSync(
      join(root, 'organizations-list-accounts.json'),
      JSON.stringify({ Accounts: [{ Id: ACCOUNT, Status: 'ACTIVE' }] }),
    );
    writeFileSync(
      join(root, ACCOUNT, 'list-organizations-features.json'),
      JSON.stringify({ OrganizationId: 'o-exported', EnabledFeatures: ['RootSessions', 'RootCredentialsManagement'] }),
    );
    const snapshot = await collectFromFiles(root, options);
    expect(snapshot.gaps).toEqual([]);
    expect(snapshot.rootAccess).toEqual({
      organizationId: 'o-exported',
      managementAccountId: ACCOUNT,
      enabledFeatures: ['RootCredentialsManagement', 'RootSessions'],
    });
    expect(snapshot.collection.inputs?.files).toContainEqual(
      expect.objectContaining({ kind: 'organization-features', accountId: ACCOUNT }),
    );
  });

  it('Given list-organizations-features.json in a folder not named after an account, When read, Then an input error says where it belongs', async () => {
    const root = exportFolder();
    writeFileSync(join(root, 'list-organizations-features.json'), JSON.stringify({ EnabledFeatures: [] }));
    await expect(collectFromFiles(root, options)).rejects.toThrow("belongs in the management account's folder");
  });

  it('Given a sub-folder with no data files beside an account, When read, Then it is recorded as skipped and logged', async () => {
    const root = join(scratch, `skip-${++counter}`);
    exportFolder([], {}, join(root, 'prod'));
    mkdirSync(join(root, 'notes'));
    writeFileSync(join(root, 'notes', 'README.md'), 'not data');
    const logged: string[] = [];
    const snapshot = await collectFromFiles(root, { now: () => NOW, log: (line) => logged.push(line) });
    expect(snapshot.collection.inputs?.skippedFolders).toEqual([
      { path: join(root, 'notes'), reason: 'no .json or .csv file directly in it' },
    ]);
    expect(logged).toEqual([`not an account folder: ${join(root, 'notes')} (no .json or .csv file directly in it)`]);
  });
});
