import { describe, expect, it } from 'vitest';
import { NEVER, whenAt } from '../model/when.js';
import { buildAccount, staleReportWarnings, type AccountSources } from './build-account.js';
import { CREDENTIAL_REPORT_COLUMNS, parseCredentialReportCsv } from './credential-report.js';
import { normalizeGaad } from './gaad.js';
import type { VirtualMfaDevice } from './iam-lists.js';

const ACCOUNT = '111111111111';
const arnOf = (name: string) => `arn:aws:iam::${ACCOUNT}:user/${name}`;

function report(rows: Array<{ user: string; arn: string; mfa?: boolean; key?: boolean }>) {
  const lines = rows.map((row) =>
    CREDENTIAL_REPORT_COLUMNS.map((column) => {
      if (column === 'user') return row.user;
      if (column === 'arn') return row.arn;
      if (column === 'user_creation_time') return '2024-01-01T00:00:00+00:00';
      if (column === 'mfa_active') return String(row.mfa ?? false);
      if (column === 'access_key_1_active') return String(row.key ?? false);
      if (column === 'access_key_1_last_rotated') return row.key ? '2024-02-01T00:00:00+00:00' : 'N/A';
      if (column.endsWith('_active') || column === 'password_enabled') return 'false';
      return 'N/A';
    }).join(','),
  );
  return parseCredentialReportCsv(
    [CREDENTIAL_REPORT_COLUMNS.join(','), ...lines].join('\n'),
    'r.csv',
    whenAt('2026-11-23T08:00:00Z'),
  );
}

function sources(overrides: Partial<AccountSources> = {}): AccountSources {
  return {
    accountId: ACCOUNT,
    gaad: normalizeGaad(
      [{ UserDetailList: ['alice', 'bob'].map((name) => ({ UserName: name, Arn: arnOf(name), Path: '/' })) }],
      'g.json',
    ),
    credentialReport: report([
      { user: 'alice', arn: arnOf('alice'), mfa: true },
      { user: 'bob', arn: arnOf('bob'), mfa: true },
    ]),
    virtualMfaDevices: [],
    accountSummary: null,
    aliases: null,
    oidcProviders: null,
    samlProviders: null,
    passwordPolicy: null,
    serverCertificates: null,
    ...overrides,
  };
}

describe('buildAccount MFA kinds', () => {
  it('Given alice has a virtual device and bob MFA without one, When built, Then alice is virtual and bob hardware', () => {
    const devices: VirtualMfaDevice[] = [
      {
        serial: `arn:aws:iam::${ACCOUNT}:mfa/alice`,
        userArn: arnOf('alice'),
        enabledAt: whenAt('2025-01-01T00:00:00Z'),
      },
    ];
    const { account } = buildAccount(sources({ virtualMfaDevices: devices }));
    const [alice, bob] = account.users;
    expect(alice?.mfaDevices).toEqual([
      { serial: `arn:aws:iam::${ACCOUNT}:mfa/alice`, kind: 'virtual', enabledAt: whenAt('2025-01-01T00:00:00Z') },
    ]);
    expect(bob?.mfaDevices).toEqual([{ serial: null, kind: 'hardware', enabledAt: { state: 'unknown' } }]);
  });

  it('Given the virtual device list could not be read, When built, Then no device kind is guessed', () => {
    const { account } = buildAccount(sources({ virtualMfaDevices: null }));
    expect(account.users.every((user) => user.mfaActive && user.mfaDevices.length === 0)).toBe(true);
  });

  it.each([
    ['the root serial', { serial: `arn:aws:iam::${ACCOUNT}:mfa/root-account-mfa-device`, userArn: null }, false],
    [
      'assigned to the root ARN',
      { serial: `arn:aws:iam::${ACCOUNT}:mfa/x`, userArn: `arn:aws:iam::${ACCOUNT}:root` },
      false,
    ],
    ['no root device', null, true],
  ] as const)(
    'Given root MFA on and a virtual device list with %s, When built, Then hardwareMfa is %s',
    (_label, device, hardware) => {
      const devices: VirtualMfaDevice[] = device === null ? [] : [{ ...device, enabledAt: NEVER }];
      const { account } = buildAccount(
        sources({ virtualMfaDevices: devices, accountSummary: { AccountMFAEnabled: 1, AccountAccessKeysPresent: 0 } }),
      );
      expect(account.root).toMatchObject({ mfaActive: true, hardwareMfa: hardware, accessKeysPresent: false });
    },
  );
});

describe('buildAccount root and users', () => {
  it('Given no root row (moto) but an account summary with root keys, When built, Then root comes from the summary', () => {
    const { account } = buildAccount(
      sources({ accountSummary: { AccountMFAEnabled: 0, AccountAccessKeysPresent: 1 } }),
    );
    expect(account.root).toEqual({
      arn: `arn:aws:iam::${ACCOUNT}:root`,
      passwordLastUsed: { state: 'unknown' },
      mfaActive: false,
      hardwareMfa: null,
      accessKeys: [],
      accessKeysPresent: true,
      signingCertificates: [],
    });
  });

  it('Given neither a root row nor a summary, When built, Then root is null (unknown, not clean)', () => {
    expect(buildAccount(sources()).account.root).toBeNull();
  });

  it('Given a user only in GAAD and one only in the report, When built, Then both are kept, flagged and warned about', () => {
    const { account, warnings } = buildAccount(
      sources({
        credentialReport: report([
          { user: 'alice', arn: arnOf('alice') },
          { user: 'ghost', arn: `arn:aws:iam::${ACCOUNT}:user/old/ghost`, key: true },
        ]),
      }),
    );
    expect(account.users.map((user) => [user.name, user.inCredentialReport, user.path])).toEqual([
      ['alice', true, '/'],
      ['bob', false, '/'],
      ['ghost', true, '/old/'],
    ]);
    expect(account.users[1]?.password.lastUsed).toEqual({ state: 'unknown' });
    expect(account.users[2]?.accessKeys).toHaveLength(1);
    expect(warnings).toEqual([
      `account ${ACCOUNT}: 1 user(s) in the authorization details are not in the credential report (created after it was generated?): bob`,
      `account ${ACCOUNT}: 1 user(s) in the credential report are not in the authorization details (deleted since?): ghost`,
    ]);
  });
});

describe('Identity Center detection', () => {
  const ssoRole = {
    RoleName: 'AWSReservedSSO_Admin_0123456789abcdef',
    Path: '/aws-reserved/sso.amazonaws.com/eu-west-1/',
    Arn: `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123456789abcdef`,
    AssumeRolePolicyDocument: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: `arn:aws:iam::${ACCOUNT}:saml-provider/AWSSSO_abc123_DO_NOT_DELETE` },
          Action: 'sts:AssumeRoleWithSAML',
        },
      ],
    },
  };

  it.each([
    ['an AWSReservedSSO role only (trust names the provider)', [ssoRole], null, true],
    [
      'the AWSSSO SAML provider only',
      [],
      [
        {
          arn: `arn:aws:iam::${ACCOUNT}:saml-provider/AWSSSO_abc123_DO_NOT_DELETE`,
          name: 'AWSSSO_abc123_DO_NOT_DELETE',
          createDate: NEVER,
          validUntil: NEVER,
        },
      ],
      true,
    ],
    [
      'an ordinary role named like it outside the reserved path',
      [{ ...ssoRole, Path: '/', AssumeRolePolicyDocument: { Statement: [] } }],
      null,
      false,
    ],
    ['nothing', [], null, false],
  ])('Given %s, When built, Then inUse is %s', (_label, roles, samlProviders, inUse) => {
    const gaad = normalizeGaad([{ RoleDetailList: roles }], 'g.json');
    const { account } = buildAccount(sources({ gaad, samlProviders }));
    expect(account.identityCenter.inUse).toBe(inUse);
    expect(account.identityCenter.evidence.length > 0).toBe(inUse);
  });
});

describe('staleReportWarnings', () => {
  it.each([
    ['3 hours', '2026-11-23T11:00:00Z', 0],
    ['5 hours', '2026-11-23T13:00:00Z', 1],
  ])(
    'Given a report generated %s before now, When checked with 4 hours, Then it gives %s warning(s)',
    (_label, now, count) => {
      const { account } = buildAccount(sources());
      expect(staleReportWarnings([account], new Date(now), 4)).toHaveLength(count);
    },
  );

  it.each([
    ['2026-11-23T13:30:00Z', '5 hour(s) ago'],
    ['2026-11-26T09:00:00Z', '3 day(s) ago'],
  ])('Given now is %s, When warned, Then the age reads %s', (now, age) => {
    const { account } = buildAccount(sources());
    expect(staleReportWarnings([account], new Date(now), 4)).toEqual([
      `account ${ACCOUNT}: the credential report was generated 2026-11-23T08:00:00Z, ${age} (AWS caches it; changes since then are not in it)`,
    ]);
  });

  it('Given three accounts whose reports were generated at the same time, When warned, Then one warning names all three', () => {
    const { account } = buildAccount(sources());
    const accounts = ['111111111111', '222222222222', '333333333333'].map((accountId) => ({ ...account, accountId }));
    expect(staleReportWarnings(accounts, new Date('2026-11-26T09:00:00Z'), 4)).toEqual([
      'accounts 111111111111, 222222222222, 333333333333: the credential reports were generated 2026-11-23T08:00:00Z, 3 day(s) ago (AWS caches it; changes since then are not in it)',
    ]);
  });
});
