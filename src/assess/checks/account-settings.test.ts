import { describe, expect, it } from 'vitest';
import {
  buildAccount,
  buildContext,
  buildGap,
  buildGroup,
  buildSnapshot,
  buildUser,
  NOW,
} from '../../../test/assess/builders.js';
import type { Account, PasswordPolicy, SamlProvider, ServerCertificate } from '../../model/snapshot.js';
import { UNKNOWN, whenAt } from '../../model/when.js';
import { checkById } from '../registry.js';

/**
 * The account-wide checks Prowler also runs: the password policy (CIS 1.8, 1.9), the support
 * role (CIS 1.17), expired server certificates (CIS 1.19) and SAML beside Identity Center. Account
 * ids state the verdict: 1xx must fail, 2xx must pass, 3xx must get no verdict.
 */
function verdictsOf(id: string, accounts: Account[]): Record<string, string> {
  const check = checkById(id);
  if (!check) throw new Error(`no check ${id}`);
  const snapshot = buildSnapshot(accounts);
  const out: Record<string, string> = {};
  for (const result of check.evaluate(snapshot, buildContext(snapshot)))
    out[result.resourceName] = `${result.status}: ${result.message}`;
  return out;
}

const STRONG: PasswordPolicy = {
  state: 'set',
  minimumLength: 14,
  requireUppercase: true,
  requireLowercase: true,
  requireNumbers: true,
  requireSymbols: true,
  maxAgeDays: 90,
  reusePrevention: 24,
  allowUsersToChange: true,
  hardExpiry: false,
};

function withPolicy(accountId: string, policy: PasswordPolicy | null | undefined): Account {
  return buildAccount(accountId, { passwordPolicy: policy });
}

describe('the password policy checks (CIS 1.8, 1.9; Security Hub IAM.7, IAM.11-17)', () => {
  it.each([
    ['password-policy-length', { minimumLength: 13 }, 'requires 13 characters (fewer than 14)'],
    ['password-policy-reuse', { reusePrevention: 5 }, 'remembers only 5 previous passwords'],
    ['password-policy-reuse', { reusePrevention: null }, 'does not prevent password reuse'],
    ['password-policy-complexity', { requireSymbols: false, requireLowercase: false }, 'a lowercase letter, a symbol'],
    ['password-policy-expiry', { maxAgeDays: null }, 'passwords never expire'],
    ['password-policy-expiry', { maxAgeDays: 91 }, 'after 91 days'],
  ] as const)(
    'Given a policy weaker than %s asks (%o), When checked, Then that account fails, the strong one passes, the unread one gets no verdict',
    (id, weaker, message) => {
      const verdicts = verdictsOf(id, [
        withPolicy('100000000001', { ...STRONG, ...weaker }),
        withPolicy('100000000002', { state: 'none' }),
        withPolicy('200000000001', STRONG),
        withPolicy('300000000001', null),
        withPolicy('300000000002', undefined),
      ]);
      expect(Object.keys(verdicts).sort()).toEqual(['100000000001', '100000000002', '200000000001']);
      expect(verdicts['100000000001']).toMatch(/^fail: /);
      expect(verdicts['100000000001']).toContain(message);
      expect(verdicts['100000000002']).toMatch(/^fail: the account has no password policy/);
      expect(verdicts['200000000001']).toMatch(/^pass: /);
    },
  );
});

describe('the support role check (CIS 1.17, IAM.18)', () => {
  it('Given AWSSupportAccess on a group in one account and on nobody in another, When checked, Then the first passes naming the group and the second fails', () => {
    const support = { arn: 'arn:aws:iam::aws:policy/AWSSupportAccess', name: 'AWSSupportAccess' };
    const verdicts = verdictsOf('support-role', [
      buildAccount('200000000001', { groups: [buildGroup('responders', { attachedPolicies: [support] })] }),
      buildAccount('100000000001', {
        users: [
          buildUser('ann', {
            attachedPolicies: [{ arn: 'arn:aws:iam::100000000001:policy/AWSSupportAccessLookalike', name: 'x' }],
          }),
        ],
      }),
    ]);
    expect(verdicts).toEqual({
      '200000000001': 'pass: AWSSupportAccess is attached to group responders',
      '100000000001': 'fail: no user, group or role has AWSSupportAccess attached',
    });
  });
});

describe('the security audit role check', () => {
  it('Given SecurityAudit on a role in one account and a customer policy of that name in another, When checked, Then only the AWS managed one counts', () => {
    const verdicts = verdictsOf('security-audit-role', [
      buildAccount('200000000001', {
        users: [
          buildUser('auditor', {
            attachedPolicies: [{ arn: 'arn:aws:iam::aws:policy/SecurityAudit', name: 'SecurityAudit' }],
          }),
        ],
      }),
      buildAccount('100000000001', {
        users: [
          buildUser('fake', {
            attachedPolicies: [{ arn: 'arn:aws:iam::100000000001:policy/SecurityAudit', name: 'SecurityAudit' }],
          }),
        ],
      }),
    ]);
    expect(verdicts).toEqual({
      '200000000001': 'pass: SecurityAudit is attached to user auditor',
      '100000000001': 'fail: no user, group or role has SecurityAudit attached',
    });
  });
});

describe('the expired server certificate check (CIS 1.19, IAM.26)', () => {
  const certificate = (name: string, expiration: ServerCertificate['expiration']): ServerCertificate => ({
    arn: `arn:aws:iam::111111111111:server-certificate/${name}`,
    name,
    id: null,
    path: '/',
    uploadDate: UNKNOWN,
    expiration,
  });

  it('Given certificates that expired, expire later and have no readable expiry, When checked at NOW, Then only the expired one fails', () => {
    const expiredAt = new Date(NOW.getTime() - 1000).toISOString();
    const verdicts = verdictsOf('server-certificate-expired', [
      buildAccount('111111111111', {
        serverCertificates: [
          certificate('fail-expired', whenAt(expiredAt)),
          certificate('pass-valid', whenAt('2027-06-01T00:00:00Z')),
          certificate('none-unknown', UNKNOWN),
        ],
      }),
    ]);
    expect(verdicts).toEqual({
      '111111111111/fail-expired': `fail: the certificate expired on ${expiredAt.slice(0, 10)}`,
      '111111111111/pass-valid': 'pass: the certificate is valid until 2027-06-01',
    });
  });
});

describe('the SAML provider beside Identity Center check', () => {
  const provider = (name: string): SamlProvider => ({
    arn: `arn:aws:iam::111111111111:saml-provider/${name}`,
    name,
    createDate: UNKNOWN,
    validUntil: UNKNOWN,
  });
  const identityCenter = {
    inUse: true,
    evidence: ['role AWSReservedSSO_Admin_0123 (path /aws-reserved/sso.amazonaws.com/)'],
  };

  it('Given an own SAML provider beside Identity Center, one only, Identity Center only and neither, When checked, Then only the first fails and the last gets no verdict', () => {
    const verdicts = verdictsOf('saml-provider-beside-identity-center', [
      buildAccount('100000000001', { samlProviders: [provider('Okta')], identityCenter }),
      buildAccount('200000000001', { samlProviders: [provider('Okta')] }),
      buildAccount('200000000002', { samlProviders: [provider('AWSSSO_0123abcd_DO_NOT_DELETE')], identityCenter }),
      buildAccount('300000000001'),
    ]);
    expect(Object.keys(verdicts).sort()).toEqual(['100000000001', '200000000001', '200000000002']);
    expect(verdicts['100000000001']).toMatch(
      /^fail: IAM SAML provider Okta beside IAM Identity Center \(role AWSReservedSSO_Admin/,
    );
    expect(verdicts['200000000001']).toMatch(/^pass: /);
    expect(verdicts['200000000002']).toBe('pass: people federate through IAM Identity Center only');
  });

  it('Given an account whose SAML providers could not be listed, When checked, Then it gets no verdict rather than a pass', () => {
    const check = checkById('saml-provider-beside-identity-center');
    const snapshot = buildSnapshot([buildAccount('300000000001', { identityCenter })], {
      gaps: [buildGap({ accountId: '300000000001', api: 'iam:ListSAMLProviders', errorCode: 'AccessDenied' })],
    });
    expect(check?.evaluate(snapshot, buildContext(snapshot))).toEqual([]);
  });
});
