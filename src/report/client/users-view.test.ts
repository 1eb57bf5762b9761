import { describe, expect, it } from 'vitest';
import type { ReportUser, ReportUserExtras } from '../page-model.js';
import { filterRows, type Filters, SortOrders, sortOrder, type UserRow, userRow } from './users-view.js';

const NEVER = { state: 'never' } as const;

function user(name: string, overrides: Partial<ReportUser> = {}): ReportUser {
  return {
    accountId: '111111111111',
    accountAlias: null,
    name,
    arn: `arn:aws:iam::111111111111:user/${name}`,
    path: '/',
    groups: [],
    tags: {},
    password: { enabled: false, lastUsed: NEVER, lastUsedDays: null },
    mfa: { active: false, kinds: [] },
    keys: [],
    longLived: false,
    ...overrides,
  };
}

function extras(overrides: Partial<ReportUserExtras>): ReportUserExtras {
  return {
    class: 'human',
    confidence: 0.9,
    evidence: [],
    findings: [],
    worstSeverity: null,
    plan: null,
    exception: null,
    remediation: { stage: 'not started', at: null, lastError: null },
    ...overrides,
  };
}

const ALL: Filters = { query: '', onlyLongLived: false, userClass: '', account: '', kind: '', severity: '' };
const identity = (rows: readonly UserRow[]) => Int32Array.from(rows, (_row, i) => i);
const names = (rows: readonly UserRow[], order: ArrayLike<number>) =>
  Array.from(order, (index) => rows[index]?.user.name);

describe('filterRows', () => {
  const rows = [
    userRow(user('alice', { password: { enabled: true, lastUsed: NEVER, lastUsedDays: null }, longLived: true }), null),
    userRow(
      user('deploy-bot', { path: '/machines/', tags: { team: 'Platform' } }),
      extras({ class: 'ci-cd', worstSeverity: 'high' }),
    ),
    userRow(user('zed', { accountId: '222222222222' }), extras({ worstSeverity: 'low' })),
  ];

  it.each([
    ['a query over path and tags, in any case', { query: 'MACHINES platform' }, ['deploy-bot']],
    ['only long-lived credentials', { onlyLongLived: true }, ['alice']],
    ['an account', { account: '222222222222' }, ['zed']],
    ['a class (users without one never match)', { userClass: 'human' }, ['zed']],
    ['a credential kind', { kind: 'password' }, ['alice']],
    ['findings at least medium', { severity: 'medium' }, ['deploy-bot']],
    ['no filter', {}, ['alice', 'deploy-bot', 'zed']],
  ] as const)(
    'Given %s, When filtered, Then exactly the matching users remain in order',
    (_name, filters, expected) => {
      expect(names(rows, filterRows(rows, identity(rows), { ...ALL, ...filters }))).toEqual(expected);
    },
  );

  it('Given an order, When filtered, Then the result keeps that order', () => {
    expect(names(rows, filterRows(rows, Int32Array.from([2, 0, 1]), ALL))).toEqual(['zed', 'alice', 'deploy-bot']);
  });
});

describe('sortOrder', () => {
  it.each([
    ['text, ascending', ['b', 'a', 'c', 'a'], false, [1, 3, 0, 2]],
    ['text, descending: ties stay in row order', ['b', 'a', 'c', 'a'], true, [2, 0, 1, 3]],
    ['numbers, with Infinity and negatives', [3, Number.POSITIVE_INFINITY, -1, 3], false, [2, 0, 3, 1]],
    ['numbers, descending', [3, Number.POSITIVE_INFINITY, -1, 3], true, [1, 0, 3, 2]],
    ['text in code-unit order, as < compares', ['b', 'B', '<', 'a'], false, [2, 1, 3, 0]],
  ] as const)(
    'Given %s, When sorted, Then the order is the comparison sort with ties by row',
    (_name, keys, descending, expected) => {
      expect(Array.from(sortOrder(keys, descending))).toEqual(expected);
    },
  );

  it('Given many rows with few distinct keys, When sorted, Then it equals a comparator sort of the same keys', () => {
    const keys = Array.from({ length: 5000 }, (_, i) => (i * 7919) % 97);
    const expected = keys
      .map((key, index) => ({ key, index }))
      .sort((a, b) => b.key - a.key || a.index - b.index)
      .map((entry) => entry.index);
    expect(Array.from(sortOrder(keys, true))).toEqual(expected);
  });
});

describe('SortOrders', () => {
  it('Given a column sorted twice, When asked again, Then its keys were computed once', () => {
    const rows = ['b', 'a', 'c'].map((name) => userRow(user(name), null));
    let calls = 0;
    const orders = new SortOrders(rows, (_column, row) => {
      calls += 1;
      return row.user.name;
    });
    expect(names(rows, orders.order(0, false))).toEqual(['a', 'b', 'c']);
    expect(names(rows, orders.order(0, true))).toEqual(['c', 'b', 'a']);
    expect(orders.order(0, false)).toBe(orders.order(0, false));
    expect(calls).toBe(3);
  });
});
