import { describe, expect, it } from 'vitest';
import type { OrgAccount } from '../model/organization.js';
import { selectAccounts } from './select-accounts.js';

const account = (accountId: string, ouPath: string[], status = 'ACTIVE', ouIds: string[] = []): OrgAccount => ({
  accountId,
  name: `acct-${accountId}`,
  status,
  ouPath,
  ouIds,
  joinedAt: { state: 'unknown' },
});

const org = [
  account('111111111111', ['Root']),
  account('222222222222', ['Root', 'Workloads', 'Prod'], 'ACTIVE', ['r-root', 'ou-work-1', 'ou-prod-1']),
  account('333333333333', ['Root', 'Workloads', 'Dev'], 'ACTIVE', ['r-root', 'ou-work-1', 'ou-dev-1']),
  account('444444444444', ['Root', 'Suspended'], 'SUSPENDED'),
];

const none = { accounts: [], excludeAccounts: [], ous: [] };

describe('selectAccounts', () => {
  it('given no filter, when selecting, then every active account is scanned and the suspended one is a gap', () => {
    const { selected, gaps } = selectAccounts(org, none);
    expect(selected.map((a) => a.accountId)).toEqual(['111111111111', '222222222222', '333333333333']);
    expect(gaps).toEqual([expect.objectContaining({ accountId: '444444444444', errorCode: 'AccountSuspended' })]);
  });

  it('given an OU name, when selecting, then only accounts under it are scanned', () => {
    const { selected } = selectAccounts(org, { ...none, ous: ['workloads'] });
    expect(selected.map((a) => a.accountId)).toEqual(['222222222222', '333333333333']);
  });

  it('given an OU id, when selecting, then only accounts under that OU are scanned', () => {
    const { selected } = selectAccounts(org, { ...none, ous: ['ou-dev-1'] });
    expect(selected.map((a) => a.accountId)).toEqual(['333333333333']);
  });

  it('given explicit and excluded ids, when selecting, then exclusion wins and unknown ids are gaps', () => {
    const { selected, gaps } = selectAccounts(org, {
      accounts: ['111111111111', '222222222222', '999999999999'],
      excludeAccounts: ['222222222222'],
      ous: [],
    });
    expect(selected.map((a) => a.accountId)).toEqual(['111111111111']);
    expect(gaps.map((g) => [g.accountId, g.errorCode])).toEqual([['999999999999', 'AccountNotFound']]);
  });
});
