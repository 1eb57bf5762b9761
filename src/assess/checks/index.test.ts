import { describe, expect, it } from 'vitest';
import {
  allow,
  buildAccount,
  buildContext,
  ADMINISTRATOR_ACCESS,
  buildGroup,
  buildKey,
  buildManagedPolicy,
  buildRole,
  buildRoot,
  buildSnapshot,
  buildUser,
  daysAgo,
  deny,
  NOW,
  PASSWORD_USED,
  policyDoc,
  promised,
  verdicts,
} from '../../../test/assess/builders.js';
import { RoleshiftConfigSchema } from '../../config.js';
import type { PrincipalAccess } from '../../model/access-advisor.js';
import type { Account, Snapshot, User } from '../../model/snapshot.js';
import { NEVER, UNKNOWN, whenAt } from '../../model/when.js';
import type { CheckContext } from '../check.js';
import { checkById } from '../registry.js';

const ACCOUNT = '111111111111';

interface UserCase {
  check: string;
  /** Users whose names say the verdict: `pass-...` must pass, `fail-...` must fail, others get no result. */
  users: User[];
  account?: Partial<Account>;
  context?: Partial<CheckContext>;
}

function snapshotOf(users: User[], account: Partial<Account> = {}): Snapshot {
  return buildSnapshot([buildAccount(ACCOUNT, { users, ...account })]);
}

function run(id: string, snapshot: Snapshot, context: Partial<CheckContext> = {}) {
  const check = checkById(id);
  if (!check) throw new Error(`no check ${id}`);
  return check.evaluate(snapshot, buildContext(snapshot, context));
}

const key = buildKey;
const withPassword = { password: PASSWORD_USED, mfaActive: true };

/** An access advisor report generated 2026-11-22: used services by namespace and last use (null: never). */
function advised(name: string, services: Record<string, string | null>, complete = true): PrincipalAccess {
  return {
    arn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
    kind: 'user',
    generatedAt: whenAt('2026-11-22T00:00:00Z'),
    complete,
    services: Object.entries(services).map(([service, last]) => ({
      service,
      name: service,
      lastAuthenticated: last === null ? NEVER : whenAt(last),
      entity: null,
      region: null,
      totalAuthenticatedEntities: null,
      trackedActions: null,
    })),
  };
}

const RECENT = '2026-11-01T00:00:00Z';
const LONG_AGO = '2026-03-01T00:00:00Z';

const USER_CASES: UserCase[] = [
  {
    check: 'access-advisor-unused-services',
    users: [
      buildUser('fail-s3-unused-for-months'),
      buildUser('fail-kms-never-used'),
      buildUser('pass-uses-every-service'),
      buildUser('none-no-access-advisor-report'),
      // Unread pages may list unused services: no pass on a partial report.
      buildUser('none-partial-report-all-used'),
    ],
    account: {
      accessAdvisor: {
        principals: [
          advised('fail-s3-unused-for-months', { s3: LONG_AGO, sqs: RECENT }),
          advised('fail-kms-never-used', { kms: null, sqs: RECENT }),
          advised('pass-uses-every-service', { s3: RECENT, sqs: RECENT }),
          advised('none-partial-report-all-used', { sqs: RECENT }, false),
        ],
      },
    },
  },
  {
    check: 'user-with-temporary-credentials',
    users: [
      buildUser('fail-key-calls-s3-directly', { accessKeys: [key()] }),
      buildUser('pass-key-only-assumes-roles', { accessKeys: [key()] }),
      buildUser('pass-key-never-used-anything', { accessKeys: [key()] }),
      buildUser('none-no-keys', {}),
      buildUser('none-keys-but-no-report', { accessKeys: [key()] }),
      buildUser('none-partial-report-only-sts', { accessKeys: [key()] }),
    ],
    account: {
      accessAdvisor: {
        principals: [
          advised('fail-key-calls-s3-directly', { s3: LONG_AGO, sts: RECENT }),
          advised('pass-key-only-assumes-roles', { iam: RECENT, sts: RECENT, s3: null }),
          advised('pass-key-never-used-anything', { s3: null }),
          advised('none-no-keys', { s3: RECENT }),
          advised('none-partial-report-only-sts', { sts: RECENT }, false),
        ],
      },
    },
  },
  {
    check: 'compromised-key-quarantine',
    users: [
      buildUser('fail-quarantined-v3', {
        accessKeys: [key()],
        attachedPolicies: [
          { arn: 'arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV3', name: 'AWSCompromisedKeyQuarantineV3' },
        ],
      }),
      buildUser('fail-quarantined-first-version', {
        attachedPolicies: [
          { arn: 'arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantine', name: 'AWSCompromisedKeyQuarantine' },
        ],
      }),
      buildUser('fail-quarantined-v2-in-govcloud', {
        attachedPolicies: [
          {
            arn: 'arn:aws-us-gov:iam::aws:policy/AWSCompromisedKeyQuarantineV2',
            name: 'AWSCompromisedKeyQuarantineV2',
          },
        ],
      }),
      buildUser('pass-read-only', {
        attachedPolicies: [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess', name: 'ReadOnlyAccess' }],
      }),
      // Only AWS attaches its quarantine policy: a customer policy of the same name is not that signal.
      buildUser('pass-customer-policy-named-like-quarantine', {
        attachedPolicies: [
          {
            arn: `arn:aws:iam::${ACCOUNT}:policy/AWSCompromisedKeyQuarantineV3`,
            name: 'AWSCompromisedKeyQuarantineV3',
          },
        ],
      }),
    ],
  },
  {
    check: 'console-password-without-mfa',
    users: [
      buildUser('fail-no-mfa', { password: PASSWORD_USED }),
      buildUser('pass-mfa', { password: PASSWORD_USED, mfaActive: true }),
      buildUser('none-keys-only', { accessKeys: [key()] }),
    ],
  },
  {
    check: 'access-key-at-initial-setup',
    users: [
      buildUser('fail-password-and-unused-key', { ...withPassword, accessKeys: [key({ lastUsed: NEVER })] }),
      buildUser('pass-password-and-used-key', { ...withPassword, accessKeys: [key()] }),
      buildUser('pass-password-and-inactive-unused-key', {
        ...withPassword,
        accessKeys: [key({ status: 'Inactive', lastUsed: NEVER })],
      }),
      buildUser('none-no-password', { accessKeys: [key({ lastUsed: NEVER })] }),
    ],
  },
  {
    check: 'unused-credentials',
    users: [
      // CIS semantics: a key never used counts from its rotation (creation) date.
      buildUser('fail-never-used-key-created-long-ago', {
        accessKeys: [key({ lastUsed: NEVER, lastRotated: daysAgo(120) })],
      }),
      buildUser('pass-never-used-key-created-recently', {
        accessKeys: [key({ lastUsed: NEVER, lastRotated: daysAgo(10) })],
      }),
      buildUser('fail-key-last-used-60-days-ago', { accessKeys: [key({ lastUsed: daysAgo(60) })] }),
      buildUser('fail-key-last-used-exactly-45-days-ago', { accessKeys: [key({ lastUsed: daysAgo(45) })] }),
      buildUser('pass-key-used-44-days-ago', { accessKeys: [key({ lastUsed: daysAgo(44) })] }),
      buildUser('fail-password-never-used-changed-long-ago', {
        password: { enabled: true, lastUsed: NEVER, lastChanged: daysAgo(90), nextRotation: NEVER },
        mfaActive: true,
      }),
      buildUser('pass-password-never-used-set-yesterday', {
        password: { enabled: true, lastUsed: NEVER, lastChanged: daysAgo(1), nextRotation: NEVER },
      }),
      buildUser('fail-password-used-long-ago', {
        password: { enabled: true, lastUsed: daysAgo(100), lastChanged: daysAgo(300), nextRotation: NEVER },
      }),
      buildUser('pass-password-used-recently', withPassword),
      buildUser('pass-unknown-last-use-is-no-verdict-on-that-key', { accessKeys: [key({ lastUsed: UNKNOWN })] }),
      buildUser('none-inactive-key-only', { accessKeys: [key({ status: 'Inactive', lastUsed: daysAgo(400) })] }),
    ],
  },
  {
    check: 'multiple-active-keys',
    users: [
      buildUser('fail-two-active', { accessKeys: [key(), key({ slot: 2, id: 'AKIAEXAMPLEKEY000002' })] }),
      buildUser('pass-one-active-one-inactive', { accessKeys: [key(), key({ slot: 2, status: 'Inactive' })] }),
      buildUser('none-no-keys'),
    ],
  },
  {
    check: 'access-key-rotation',
    users: [
      buildUser('fail-91-days', { accessKeys: [key({ lastRotated: daysAgo(91) })] }),
      buildUser('pass-90-days', { accessKeys: [key({ lastRotated: daysAgo(90) })] }),
      buildUser('none-old-but-inactive', { accessKeys: [key({ status: 'Inactive', lastRotated: daysAgo(900) })] }),
    ],
  },
  {
    check: 'user-attached-policies',
    users: [
      buildUser('fail-managed', {
        attachedPolicies: [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess', name: 'ReadOnlyAccess' }],
      }),
      buildUser('fail-inline', { inlinePolicies: [{ name: 'own', document: policyDoc(allow('s3:GetObject')) }] }),
      buildUser('pass-groups-only', { groups: ['readers'] }),
    ],
  },
  {
    check: 'full-admin-access',
    account: {
      groups: [
        buildGroup('fail-admins', { attachedPolicies: [ADMINISTRATOR_ACCESS] }),
        buildGroup('fail-inline-admins', { inlinePolicies: [{ name: 'all', document: policyDoc(allow('*:*')) }] }),
        buildGroup('pass-readers', { inlinePolicies: [{ name: 'read', document: policyDoc(allow('s3:Get*')) }] }),
      ],
      policies: [
        buildManagedPolicy('fail-customer-admin', policyDoc(allow('*'))),
        buildManagedPolicy(
          'fail-customer-not-action-allow-list',
          policyDoc({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }),
        ),
        buildManagedPolicy('pass-customer-scoped', policyDoc(allow('s3:*', 'arn:aws:s3:::bucket/*'))),
        buildManagedPolicy('pass-customer-star-beside-deny-star', policyDoc(allow('*'), deny('*'))),
        buildManagedPolicy('s3-only-boundary', policyDoc(allow('s3:*')), { awsManaged: true }),
      ],
    },
    users: [
      buildUser('fail-admin-through-group', { groups: ['fail-admins'] }),
      buildUser('fail-admin-through-group-inline-star-colon-star', { groups: ['fail-inline-admins'] }),
      buildUser('fail-admin-inline', {
        inlinePolicies: [{ name: 'god', document: policyDoc(allow(['s3:GetObject', '*'], ['*'])) }],
      }),
      buildUser('fail-admin-customer-managed', {
        attachedPolicies: [{ arn: `arn:aws:iam::${ACCOUNT}:policy/fail-customer-admin`, name: 'fail-customer-admin' }],
      }),
      buildUser('fail-admin-under-mfa-condition', {
        inlinePolicies: [
          {
            name: 'mfa',
            document: policyDoc(allow('*', '*', { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } })),
          },
        ],
      }),
      buildUser('pass-admin-beside-deny-everything', {
        attachedPolicies: [ADMINISTRATOR_ACCESS],
        inlinePolicies: [{ name: 'deny', document: policyDoc(deny('*')) }],
      }),
      buildUser('pass-admin-capped-by-a-boundary', {
        attachedPolicies: [ADMINISTRATOR_ACCESS],
        permissionsBoundary: { arn: `arn:aws:iam::${ACCOUNT}:policy/s3-only-boundary`, type: 'Policy' },
      }),
      buildUser('pass-star-on-one-bucket', {
        inlinePolicies: [{ name: 'x', document: policyDoc(allow('*', 'arn:aws:s3:::b')) }],
      }),
      buildUser('pass-reader', { groups: ['pass-readers'] }),
    ],
  },
  {
    check: 'human-user-with-identity-center',
    account: { identityCenter: { inUse: true, evidence: ['AWSReservedSSO_Admin'] } },
    users: [
      buildUser('fail.person', { ...withPassword, accessKeys: [key()] }),
      buildUser('pass-github-deployer', { accessKeys: [key()] }),
    ],
  },
  {
    check: 'machine-user-console-password',
    users: [
      buildUser('fail-gitlab-runner', { password: { ...PASSWORD_USED, lastUsed: NEVER }, accessKeys: [key()] }),
      buildUser('pass-datadog-integration', { accessKeys: [key()] }),
      buildUser('none.person', withPassword),
    ],
  },
  {
    check: 'break-glass-hygiene',
    users: [
      buildUser('fail-breakglass-with-key', {
        password: { ...PASSWORD_USED, lastUsed: NEVER },
        mfaActive: true,
        mfaDevices: [{ serial: 'arn:aws:iam::111111111111:u2f/x', kind: 'hardware', enabledAt: daysAgo(100) }],
        accessKeys: [key()],
      }),
      buildUser('fail-breakglass-virtual-mfa', {
        password: { ...PASSWORD_USED, lastUsed: NEVER },
        mfaActive: true,
        mfaDevices: [{ serial: 'arn:aws:iam::111111111111:mfa/x', kind: 'virtual', enabledAt: daysAgo(100) }],
      }),
      buildUser('pass-breakglass-hardware-no-keys', {
        password: { ...PASSWORD_USED, lastUsed: NEVER },
        mfaActive: true,
        mfaDevices: [{ serial: 'arn:aws:iam::111111111111:u2f/y', kind: 'hardware', enabledAt: daysAgo(100) }],
      }),
      buildUser('none.person', withPassword),
    ],
  },
  {
    check: 'privilege-escalation',
    account: {
      roles: [
        buildRole(
          'pass-admin-role-no-one-trusts',
          { Service: ['lambda.amazonaws.com'] },
          { attachedPolicies: [ADMINISTRATOR_ACCESS] },
        ),
        buildRole(
          'fail-role-writing-its-own-policy',
          { Service: ['ec2.amazonaws.com'] },
          {
            inlinePolicies: [
              {
                name: 'p',
                document: policyDoc(
                  allow('iam:PutRolePolicy', `arn:aws:iam::${ACCOUNT}:role/fail-role-writing-its-own-policy`),
                ),
              },
            ],
          },
        ),
        buildRole(
          'pass-plain-role',
          { Service: ['ec2.amazonaws.com'] },
          {
            inlinePolicies: [{ name: 'p', document: policyDoc(allow('s3:GetObject')) }],
          },
        ),
      ],
      groups: [
        buildGroup('fail-key-admins', {
          inlinePolicies: [
            { name: 'k', document: policyDoc(allow('iam:CreateAccessKey', `arn:aws:iam::${ACCOUNT}:user/*`)) },
          ],
        }),
      ],
    },
    users: [
      buildUser('fail-create-key-any-user', {
        inlinePolicies: [{ name: 'p', document: policyDoc(allow('iam:CreateAccessKey')) }],
      }),
      buildUser('fail-create-key-through-group', { groups: ['fail-key-admins'] }),
      buildUser('pass-update-login-of-a-user-no-stronger', {
        inlinePolicies: [
          {
            name: 'p',
            document: policyDoc(allow('iam:UpdateLoginProfile', `arn:aws:iam::${ACCOUNT}:user/pass-self-service`)),
          },
        ],
      }),
      buildUser('fail-attach-policy-to-self', {
        inlinePolicies: [
          {
            name: 'p',
            document: policyDoc(
              allow('iam:AttachUserPolicy', `arn:aws:iam::${ACCOUNT}:user/fail-attach-policy-to-self`),
            ),
          },
        ],
      }),
      buildUser('fail-iam-wildcard', { inlinePolicies: [{ name: 'p', document: policyDoc(allow('iam:*')) }] }),
      buildUser('fail-passrole-to-lambda-with-an-admin-role', {
        inlinePolicies: [
          { name: 'p', document: policyDoc(allow(['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'])) },
        ],
      }),
      buildUser('pass-passrole-without-compute', {
        inlinePolicies: [{ name: 'p', document: policyDoc(allow('iam:PassRole'), allow('s3:*')) }],
      }),
      buildUser('pass-self-service', {
        inlinePolicies: [
          {
            name: 'p',
            document: policyDoc(
              allow(['iam:CreateAccessKey', 'iam:UpdateLoginProfile'], `arn:aws:iam::${ACCOUNT}:user/\${aws:username}`),
            ),
          },
        ],
      }),
      buildUser('pass-denied-explicitly', {
        inlinePolicies: [{ name: 'p', document: policyDoc(allow('iam:CreateAccessKey'), deny('iam:*')) }],
      }),
      buildUser('pass-admin-reported-elsewhere', { attachedPolicies: [ADMINISTRATOR_ACCESS] }),
    ],
  },
  {
    check: 'admin-role',
    account: {
      roles: [
        buildRole(
          'fail-admin-role-of-another-account',
          { AWS: ['arn:aws:iam::999999999999:root'] },
          {
            attachedPolicies: [ADMINISTRATOR_ACCESS],
          },
        ),
        buildRole(
          'fail-admin-role-inline-star-trusting-anyone',
          { AWS: ['*'] },
          {
            inlinePolicies: [{ name: 'all', document: policyDoc(allow('*:*')) }],
          },
        ),
        buildRole(
          'pass-read-only-role',
          { AWS: ['arn:aws:iam::999999999999:root'] },
          {
            inlinePolicies: [{ name: 'read', document: policyDoc(allow('s3:Get*')) }],
          },
        ),
        buildRole(
          'pass-admin-role-beside-deny-everything',
          { Service: ['ec2.amazonaws.com'] },
          {
            attachedPolicies: [ADMINISTRATOR_ACCESS],
            inlinePolicies: [{ name: 'deny', document: policyDoc(deny('*')) }],
          },
        ),
        buildRole(
          'AWSServiceRoleForSupport',
          { Service: ['support.amazonaws.com'] },
          { path: '/aws-service-role/support.amazonaws.com/', attachedPolicies: [ADMINISTRATOR_ACCESS] },
        ),
      ],
    },
    users: [],
  },
  {
    check: 'unregistered-user',
    users: [
      buildUser('fail-keys-unregistered', { accessKeys: [key()] }),
      buildUser('pass-registered', { accessKeys: [key()] }),
      buildUser('pass-migrating', { accessKeys: [key()] }),
      buildUser('pass-no-credentials-left', { accessKeys: [key({ status: 'Inactive' })] }),
    ],
    context: {
      migrating: new Set([`arn:aws:iam::${ACCOUNT}:user/pass-migrating`]),
      exceptions: [
        {
          account: ACCOUNT,
          user: 'pass-registered',
          reason: 'r',
          owner: 'o',
          expires: '2027-01-01',
          reviewEveryDays: null,
          lastReviewed: null,
          controls: {},
          source: { file: 'x.yaml', line: 2 },
        },
      ],
    },
  },
];

describe('user checks (fixture names say the verdict)', () => {
  it.each(USER_CASES)(
    'Given users named by their verdict, When $check runs, Then exactly the promised ones pass and fail',
    ({ check, users, account, context }) => {
      const results = run(check, snapshotOf(users, account), context);
      const names = [
        ...users.map((u) => u.name),
        ...(account?.policies ?? []).filter((p) => !p.awsManaged).map((p) => p.name),
        ...(account?.groups ?? []).map((g) => g.name),
        ...(account?.roles ?? []).filter((r) => !r.path.startsWith('/aws-service-role/')).map((r) => r.name),
      ];
      expect(verdicts(results)).toEqual(promised(names));
    },
  );
});

describe('root checks', () => {
  const cases = [
    {
      check: 'root-access-key',
      roots: {
        fail: buildRoot('111111111111', { accessKeys: [buildKey({ id: null })], accessKeysPresent: true }),
        fail2: buildRoot('222222222222', { accessKeys: [], accessKeysPresent: true }),
        pass: buildRoot('333333333333', { accessKeys: [buildKey({ status: 'Inactive', id: null })] }),
      },
    },
    {
      check: 'root-mfa',
      roots: {
        fail: buildRoot('111111111111', { mfaActive: false }),
        pass: buildRoot('222222222222', { mfaActive: true }),
      },
    },
    {
      check: 'root-hardware-mfa',
      roots: {
        fail: buildRoot('111111111111', { mfaActive: true, hardwareMfa: false }),
        fail2: buildRoot('222222222222', { mfaActive: false, hardwareMfa: null }),
        pass: buildRoot('333333333333', { mfaActive: true, hardwareMfa: true }),
        // hardwareMfa null with MFA on: the source cannot tell, so no verdict at all.
        none: buildRoot('444444444444', { mfaActive: true, hardwareMfa: null }),
      },
    },
    {
      check: 'root-recent-use',
      roots: {
        fail: buildRoot('111111111111', { passwordLastUsed: daysAgo(3) }),
        fail2: buildRoot('222222222222', {
          passwordLastUsed: NEVER,
          accessKeys: [buildKey({ lastUsed: daysAgo(10), id: null })],
        }),
        pass: buildRoot('333333333333', { passwordLastUsed: daysAgo(400) }),
        pass2: buildRoot('444444444444', { passwordLastUsed: NEVER }),
      },
    },
  ];
  it.each(cases)(
    'Given roots named by their verdict, When $check runs, Then exactly the promised accounts fail',
    ({ check, roots }) => {
      const entries = Object.entries(roots);
      const snapshot = buildSnapshot(entries.map(([, root]) => buildAccount(root.arn.split(':')[4] ?? '', { root })));
      const results = run(check, snapshot);
      const verdictOf = new Map(entries.map(([name, root]) => [root.arn.split(':')[4], name]));
      const got = results.map((r) => `${verdictOf.get(r.accountId ?? '')}:${r.status}`).sort();
      const want = entries
        .filter(([name]) => name !== 'none')
        .map(([name]) => `${name}:${name.startsWith('fail') ? 'fail' : 'pass'}`)
        .sort();
      expect(got).toEqual(want);
    },
  );

  it('Given an account whose root could not be read, When the root checks run, Then they give no verdict rather than a pass', () => {
    const snapshot = buildSnapshot([buildAccount(ACCOUNT, { root: null })]);
    for (const id of ['root-access-key', 'root-mfa', 'root-hardware-mfa', 'root-recent-use'])
      expect(run(id, snapshot)).toEqual([]);
  });
});

describe('unused-credentials: CIS semantics, not Prowler', () => {
  it('Given a key created 100 days ago and never used, When checked, Then it fails (Prowler would pass it) and the message says never used', () => {
    const user = buildUser('forgotten', {
      accessKeys: [buildKey({ id: 'AKIAFORGOTTEN0000001', lastUsed: NEVER, lastRotated: daysAgo(100) })],
    });
    const [result] = run('unused-credentials', snapshotOf([user]));
    expect(result?.status).toBe('fail');
    expect(result?.message).toContain('AKIAFORGOTTEN0000001 never used, created 100 days ago');
  });

  it('Given the threshold set to 30 days in config, When a key unused for 35 days is checked, Then it fails', () => {
    const config = RoleshiftConfigSchema.parse({ thresholds: { unusedCredentialDays: 30 } });
    const user = buildUser('idle', { accessKeys: [buildKey({ lastUsed: daysAgo(35) })] });
    expect(run('unused-credentials', snapshotOf([user]), { config })[0]?.status).toBe('fail');
    expect(run('unused-credentials', snapshotOf([user]))[0]?.status).toBe('pass');
  });
});

describe('person-in-several-accounts', () => {
  it('Given the same person in two accounts (once by name, once by e-mail tag), When checked, Then all three users fail and the loner passes', () => {
    const human = { password: PASSWORD_USED, mfaActive: true };
    const snapshot = buildSnapshot([
      buildAccount('111111111111', {
        users: [buildUser('jane.doe', human, '111111111111'), buildUser('solo.person', human, '111111111111')],
      }),
      buildAccount('222222222222', { users: [buildUser('jane.doe', human, '222222222222')] }),
      buildAccount('333333333333', {
        users: [buildUser('jdoe', { ...human, tags: { email: 'Jane.Doe@example.com' } }, '333333333333')],
      }),
    ]);
    const results = run('person-in-several-accounts', snapshot);
    expect(
      results
        .filter((r) => r.status === 'fail')
        .map((r) => r.resourceName)
        .sort(),
    ).toEqual(['111111111111/jane.doe', '222222222222/jane.doe', '333333333333/jdoe']);
    expect(results.filter((r) => r.status === 'pass').map((r) => r.resourceName)).toEqual(['111111111111/solo.person']);
  });
});

describe('stale-credential-report', () => {
  it('Given reports generated 1 h, 5 h and never, When checked at NOW with the 4 h default, Then the 5 h and the missing one fail', () => {
    const at = (hours: number) => whenAt(new Date(NOW.getTime() - hours * 3_600_000));
    const snapshot = buildSnapshot([
      buildAccount('111111111111', { credentialReport: { generatedAt: at(1), rows: 1 } }),
      buildAccount('222222222222', { credentialReport: { generatedAt: at(5), rows: 1 } }),
      buildAccount('333333333333', { credentialReport: null }),
    ]);
    const results = run('stale-credential-report', snapshot);
    expect(results.map((r) => `${r.accountId}:${r.status}`)).toEqual([
      '111111111111:pass',
      '222222222222:fail',
      '333333333333:fail',
    ]);
    expect(results[1]?.message).toContain('5 hours old');
  });
});

describe('privilege-escalation messages', () => {
  it('Given a user who can create keys for an administrator, When checked, Then the finding names each step and is critical', () => {
    const admin = buildUser('ops-admin', { attachedPolicies: [ADMINISTRATOR_ACCESS] });
    const user = buildUser('deployer', {
      inlinePolicies: [
        { name: 'deploy', document: policyDoc(allow('iam:CreateAccessKey', `arn:aws:iam::${ACCOUNT}:user/ops-*`)) },
      ],
    });
    const found = run('privilege-escalation', snapshotOf([admin, user])).find((r) =>
      r.resourceName.endsWith('/deployer'),
    );
    expect(found).toMatchObject({ status: 'fail', severity: 'critical' });
    expect(found?.message).toBe(
      'can become administrator in one step: (1) user/deployer uses iam:CreateAccessKey on user/ops-admin to become user/ops-admin (assumes the user has fewer than two access keys (or the principal may delete one)) [create-access-key]',
    );
  });

  it('Given a chain of roles ending at an administrator, When checked, Then each step names who assumes whom', () => {
    const snapshot = snapshotOf(
      [buildUser('dev', { inlinePolicies: [{ name: 'a', document: policyDoc(allow('sts:AssumeRole')) }] })],
      {
        roles: [
          buildRole(
            'hop',
            { AWS: [`arn:aws:iam::${ACCOUNT}:user/dev`] },
            {
              inlinePolicies: [{ name: 'a', document: policyDoc(allow('sts:AssumeRole')) }],
            },
          ),
          buildRole('top', { AWS: [`arn:aws:iam::${ACCOUNT}:role/hop`] }, { attachedPolicies: [ADMINISTRATOR_ACCESS] }),
        ],
      },
    );
    const dev = run('privilege-escalation', snapshot).find((r) => r.resourceName.endsWith('/dev'));
    expect(dev?.message).toBe(
      'can become administrator in 2 steps: (1) user/dev uses sts:AssumeRole on role/hop to become role/hop [sts-assume-role]; (2) role/hop uses sts:AssumeRole on role/top to become role/top [sts-assume-role]',
    );
    const top = run('admin-role', snapshot).find((r) => r.resourceName === 'top');
    expect(top).toMatchObject({ status: 'fail', severity: 'high' });
    expect(top?.message).toContain('can be assumed by role/hop');
  });
});

describe('admin-role severity', () => {
  it('Given administrator roles trusted by anyone, another account, a service and nobody, When checked, Then the severity follows who can assume them', () => {
    const admin = { attachedPolicies: [ADMINISTRATOR_ACCESS] };
    const snapshot = snapshotOf([], {
      roles: [
        buildRole('anyone', { AWS: ['*'] }, admin),
        buildRole('partner', { AWS: ['arn:aws:iam::999999999999:root'] }, admin),
        buildRole('service', { Service: ['ec2.amazonaws.com'] }, admin),
        buildRole('nobody', {}, { ...admin, trustPolicy: policyDoc() }),
      ],
    });
    const severities = Object.fromEntries(run('admin-role', snapshot).map((r) => [r.resourceName, r.severity]));
    expect(severities).toEqual({ anyone: 'critical', partner: 'high', service: 'medium', nobody: 'low' });
  });
});

describe('access-advisor-unused-services message', () => {
  it('Given 10 services granted of which 9 unused, When checked, Then the message counts them, names 8 and says how many more', () => {
    const services: Record<string, string | null> = { sqs: RECENT };
    for (const name of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i']) services[`svc-${name}`] = null;
    const snapshot = snapshotOf([buildUser('wide')], { accessAdvisor: { principals: [advised('wide', services)] } });

    const [result] = run('access-advisor-unused-services', snapshot);

    expect(result?.message).toBe(
      '9 of 10 granted service(s) unused for 90+ days (9 never used); removing them takes away svc-a, svc-b, svc-c, svc-d, svc-e, svc-f, svc-g, svc-h and 1 more',
    );
  });
});
