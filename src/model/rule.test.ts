import { describe, expect, it } from 'vitest';
import { buildAccount, buildRoot, buildUser } from '../../test/fixtures/build-snapshot.js';
import { buildGroup, buildManagedPolicy } from '../../test/assess/builders.js';
import {
  accountSubject,
  failed,
  groupSubject,
  passed,
  policySubject,
  roleSubject,
  rootSubject,
  userSubject,
} from './rule.js';
import type { Role } from './snapshot.js';

const ACCOUNT = '111111111111';

describe('rule subjects', () => {
  const account = buildAccount(ACCOUNT, { alias: 'acme-prod' });
  const role = { arn: `arn:aws:iam::${ACCOUNT}:role/deploy`, name: 'deploy' } as Role;

  it.each([
    ['a user', userSubject(account, buildUser('alice')), 'user', `${ACCOUNT}/alice`],
    ['a group', groupSubject(account, buildGroup('admins')), 'group', `${ACCOUNT}/admins`],
    ['a role', roleSubject(account, role), 'role', 'deploy'],
    [
      'a managed policy',
      policySubject(account, buildManagedPolicy('deploy-all', null)),
      'policy',
      `${ACCOUNT}/deploy-all`,
    ],
    ['the root user', rootSubject(account, buildRoot(ACCOUNT)), 'root', `${ACCOUNT}/<root>`],
    ['an account', accountSubject(account), 'account', `${ACCOUNT} (acme-prod)`],
  ] as const)(
    'Given %s, When named as a subject, Then it has its type, its account and a readable name',
    (_label, subject, type, name) => {
      expect(subject).toMatchObject({ accountId: ACCOUNT, resourceType: type, resourceName: name });
    },
  );

  it('Given a subject, When a rule passes or fails on it, Then the result carries the subject and the verdict', () => {
    const subject = groupSubject(account, buildGroup('admins'));
    expect(passed(subject, 'fine')).toEqual({ status: 'pass', ...subject, message: 'fine' });
    expect(failed(subject, 'admin', { severity: 'critical' })).toEqual({
      status: 'fail',
      ...subject,
      message: 'admin',
      severity: 'critical',
    });
  });
});
