import { describe, expect, it } from 'vitest';
import {
  ADMINISTRATOR_ACCESS,
  allow,
  buildAccount,
  buildContext,
  buildGroup,
  buildSnapshot,
  buildUser,
  deny,
  policyDoc,
} from '../../../test/assess/builders.js';
import type { MfaDevice, User } from '../../model/snapshot.js';
import { UNKNOWN } from '../../model/when.js';
import { checkById } from '../registry.js';

/**
 * The administrator MFA checks Prowler runs (iam_user_hardware_mfa_enabled,
 * iam_administrator_access_with_mfa), with admin decided by the evaluator. User names state the
 * verdict: fail-*, pass-*, none-* (no verdict).
 */
const ACCOUNT = '111111111111';
const VIRTUAL: MfaDevice = { serial: `arn:aws:iam::${ACCOUNT}:mfa/phone`, kind: 'virtual', enabledAt: UNKNOWN };
const HARDWARE: MfaDevice = { serial: null, kind: 'hardware', enabledAt: UNKNOWN };
const ADMIN_INLINE = [{ name: 'all', document: policyDoc(allow('*')) }];

function verdictsOf(
  id: string,
  users: User[],
  groups = [buildGroup('admins', { attachedPolicies: [ADMINISTRATOR_ACCESS] })],
) {
  const check = checkById(id);
  if (!check) throw new Error(`no check ${id}`);
  const snapshot = buildSnapshot([buildAccount(ACCOUNT, { users, groups })]);
  const out: Record<string, string> = {};
  for (const result of check.evaluate(snapshot, buildContext(snapshot)))
    out[result.resourceName.slice(ACCOUNT.length + 1)] = `${result.status}: ${result.message}`;
  return out;
}

describe('admin-hardware-mfa (Prowler iam_user_hardware_mfa_enabled, for administrators)', () => {
  it('Given administrators by policy and by group with virtual, hardware, no and unreadable MFA, When checked, Then virtual and none fail, hardware passes, unreadable gets no verdict', () => {
    const verdicts = verdictsOf('admin-hardware-mfa', [
      buildUser('fail-virtual', { inlinePolicies: ADMIN_INLINE, mfaActive: true, mfaDevices: [VIRTUAL] }),
      buildUser('fail-virtual-through-group', { groups: ['admins'], mfaActive: true, mfaDevices: [VIRTUAL] }),
      buildUser('fail-no-mfa', { attachedPolicies: [ADMINISTRATOR_ACCESS] }),
      buildUser('pass-hardware', { groups: ['admins'], mfaActive: true, mfaDevices: [HARDWARE] }),
      buildUser('none-devices-unread', { groups: ['admins'], mfaActive: true, mfaDevices: [] }),
      buildUser('none-not-admin', { mfaActive: true, mfaDevices: [VIRTUAL] }),
    ]);
    expect(verdicts).toEqual({
      'fail-virtual': 'fail: administrator whose MFA is a virtual device',
      'fail-virtual-through-group': 'fail: administrator whose MFA is a virtual device',
      'fail-no-mfa': 'fail: administrator with no MFA device at all',
      'pass-hardware': 'pass: administrator with a hardware MFA device',
    });
  });

  it('Given AdministratorAccess beside a Deny on everything, When checked, Then the user is no administrator and gets no verdict', () => {
    const verdicts = verdictsOf('admin-hardware-mfa', [
      buildUser('none-denied', {
        attachedPolicies: [ADMINISTRATOR_ACCESS],
        inlinePolicies: [{ name: 'deny', document: policyDoc(deny('*')) }],
        mfaActive: true,
        mfaDevices: [VIRTUAL],
      }),
    ]);
    expect(verdicts).toEqual({});
  });
});

describe('admin-group-member-without-mfa (Prowler iam_administrator_access_with_mfa)', () => {
  it('Given members of an AdministratorAccess group, an inline-admin group and a read-only group, When checked, Then members of the admin groups without MFA fail and the others are judged or skipped', () => {
    const groups = [
      buildGroup('admins', { attachedPolicies: [ADMINISTRATOR_ACCESS] }),
      buildGroup('ops', { inlinePolicies: ADMIN_INLINE }),
      buildGroup('readers', { inlinePolicies: [{ name: 'read', document: policyDoc(allow('s3:GetObject')) }] }),
    ];
    const verdicts = verdictsOf(
      'admin-group-member-without-mfa',
      [
        buildUser('fail-admins', { groups: ['admins'] }),
        buildUser('fail-both', { groups: ['admins', 'ops', 'readers'] }),
        buildUser('pass-with-mfa', { groups: ['ops'], mfaActive: true, mfaDevices: [VIRTUAL] }),
        buildUser('none-readers', { groups: ['readers'] }),
        buildUser('none-admin-by-own-policy', { attachedPolicies: [ADMINISTRATOR_ACCESS] }),
      ],
      groups,
    );
    expect(verdicts).toEqual({
      'fail-admins': 'fail: member of administrator group admins without MFA',
      'fail-both': 'fail: member of administrator groups admins, ops without MFA',
      'pass-with-mfa': 'pass: member of administrator group ops with MFA',
    });
  });
});
