import { describe, expect, it } from 'vitest';
import { buildAccount, buildKey, buildSnapshot, buildUser } from '../../test/fixtures/build-snapshot.js';
import type { Classification, UserClass } from '../model/classification.js';
import type { Snapshot } from '../model/snapshot.js';
import type { PrincipalUsage, Usage } from '../model/usage.js';
import {
  computeKpis,
  creationTimes,
  deletedUsers,
  exceptionReviews,
  kpisToRecord,
  percentile,
  remediationsFromJournal,
  type JournalEntry,
} from './kpis.js';

const NOW = new Date('2026-11-23T00:00:00Z');

function classifier(classes: Record<string, UserClass>): (snapshot: Snapshot) => Classification[] {
  return (snapshot) =>
    snapshot.accounts.flatMap((account) =>
      account.users.map((user) => ({
        accountId: account.accountId,
        userName: user.name,
        userArn: user.arn,
        class: classes[user.name] ?? 'unknown',
        ciProvider: null,
        runsOn: null,
        confidence: 1,
        evidence: [],
        personKey: null,
      })),
    );
}

function principal(arn: string, type: string, events: number, sessionIssuerArn: string | null = null): PrincipalUsage {
  return {
    arn,
    type,
    accountId: '111111111111',
    userName: null,
    sessionIssuerArn,
    consoleLogins: { total: 0, withMfa: 0, withoutMfa: 0, failed: 0 },
    events,
    firstSeen: '2026-11-01T00:00:00Z',
    lastSeen: '2026-11-02T00:00:00Z',
    actions: [],
    addresses: [],
    userAgents: [],
    regions: [],
    errors: {},
  };
}

const users = [
  buildUser('alice', {
    password: {
      enabled: true,
      lastUsed: { state: 'never' },
      lastChanged: { state: 'never' },
      nextRotation: { state: 'never' },
    },
  }),
  buildUser('ci', { accessKeys: [buildKey(), buildKey({ slot: 2, id: 'AKIAEXAMPLEKEY000002', status: 'Inactive' })] }),
  buildUser('breakglass', { accessKeys: [buildKey({ id: 'AKIAEXAMPLEKEY000003' })] }),
  buildUser('bob'),
];
const classes = classifier({ alice: 'human', ci: 'ci-cd', breakglass: 'break-glass', bob: 'human' });

describe('computeKpis', () => {
  it('Given humans, machines and a break-glass user, When scored, Then only users with a long-lived credential count, by class', () => {
    const kpis = computeKpis({
      snapshot: buildSnapshot([buildAccount('111111111111', { users })]),
      classify: classes,
      now: NOW,
    });
    expect(kpis.usersWithLongLivedCredentials).toEqual({ total: 3, humans: 1, machines: 1, breakGlass: 1, unknown: 0 });
    expect(kpis.activeAccessKeys).toBe(2);
    expect(kpis.humanAccess).toBeNull();
  });

  it('Given usage with Identity Center, SAML and human IAM-user events, When scored, Then the IdP share is their ratio', () => {
    const usage: Usage = {
      source: {
        engine: 'duckdb',
        origin: 'x',
        since: null,
        until: null,
        filesRead: 1,
        filesSkipped: 0,
        unreadable: [],
        records: 100,
        badRecords: 0,
      },
      principals: [
        principal(
          'arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_Admin_abc/alice@example.com',
          'AssumedRole',
          60,
        ),
        principal(
          'arn:aws:sts::111111111111:assumed-role/okta-dev/alice',
          'AssumedRole',
          15,
          'arn:aws:iam::111111111111:role/okta-dev',
        ),
        principal('arn:aws:iam::111111111111:user/alice', 'IAMUser', 25),
        principal('arn:aws:iam::111111111111:user/ci', 'IAMUser', 500),
      ],
      accessKeys: [],
      federatedSessions: [
        {
          kind: 'saml',
          provider: 'arn:aws:iam::111111111111:saml-provider/okta',
          subject: 'alice',
          repository: null,
          ref: null,
          roleArn: 'arn:aws:iam::111111111111:role/okta-dev',
          events: 1,
          firstSeen: '2026-11-01T00:00:00Z',
          lastSeen: '2026-11-01T00:00:00Z',
        },
      ],
    };
    const kpis = computeKpis({
      snapshot: buildSnapshot([buildAccount('111111111111', { users })], { usage }),
      classify: classes,
      now: NOW,
    });
    expect(kpis.humanAccess).toEqual({ idpEvents: 75, iamUserEvents: 25, idpShare: 0.75 });
  });

  it('Given remediations and exceptions, When scored, Then median/p90 days and review ages are computed', () => {
    const remediations = [10, 20, 30, 40, 100].map((days, i) => ({
      accountId: '111111111111',
      userName: `u${i}`,
      userCreatedAt: '2026-01-01T00:00:00Z',
      remediatedAt: new Date(Date.parse('2026-01-01T00:00:00Z') + days * 86_400_000).toISOString(),
      kind: 'deleted' as const,
    }));
    const kpis = computeKpis({
      snapshot: buildSnapshot([buildAccount('111111111111', { users: [] })]),
      classify: classes,
      now: NOW,
      remediations,
      exceptions: [
        {
          accountId: '111111111111',
          userName: 'vendor',
          registeredAt: '2026-01-01T00:00:00Z',
          lastReviewedAt: '2026-11-13T00:00:00Z',
        },
        { accountId: '111111111111', userName: 'legacy', registeredAt: '2026-08-25T00:00:00Z', lastReviewedAt: null },
      ],
    });
    expect(kpis.daysToRemediation).toEqual({ count: 5, median: 30, p90: 100 });
    expect(kpis.exceptionReviewAgeDays).toEqual([
      { accountId: '111111111111', userName: 'legacy', days: 90 },
      { accountId: '111111111111', userName: 'vendor', days: 10 },
    ]);
    expect(kpisToRecord(kpis)).toMatchObject({
      days_to_remediation_median: 30,
      days_to_remediation_p90: 100,
      exception_review_age_max_days: 90,
      users_long_lived_total: 0,
    });
  });

  it('Given no usage and no remediations, When flattened, Then unknown KPIs are absent, not zero', () => {
    const record = kpisToRecord(
      computeKpis({ snapshot: buildSnapshot([buildAccount('111111111111', { users })]), classify: classes, now: NOW }),
    );
    expect(record).not.toHaveProperty('human_idp_share');
    expect(record).not.toHaveProperty('days_to_remediation_median');
    expect(record.users_long_lived_humans).toBe(1);
  });

  it.each([
    [[], 0.5, null],
    [[7], 0.9, 7],
    [[1, 2, 3, 4], 0.5, 2],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9, 9],
  ])('Given %j, When the %s percentile is taken, Then it is %s', (values, p, expected) => {
    expect(percentile(values, p)).toBe(expected);
  });
});

describe('KPI registers: the remediation journal and the exceptions register', () => {
  const op = (
    kind: JournalEntry['kind'],
    userName: string,
    finishedAt: string | null,
    status: JournalEntry['status'] = 'done',
  ): JournalEntry => ({ kind, accountId: '111111111111', userName, status, finishedAt });

  it.each([
    ['a finished finish', [op('finish', 'a', '2026-10-01T00:00:00Z')], ['a']],
    ['a pending finish', [op('finish', 'a', null, 'pending')], []],
    ['a start only (keys switched off, user kept)', [op('start', 'a', '2026-10-01T00:00:00Z')], []],
    [
      'a finish undone by a later restore',
      [op('finish', 'a', '2026-10-01T00:00:00Z'), op('restore', 'a', '2026-10-02T00:00:00Z')],
      [],
    ],
    [
      'a restore, then a second finish',
      [
        op('restore', 'a', '2026-10-02T00:00:00Z'),
        op('finish', 'a', '2026-10-01T00:00:00Z'),
        op('finish', 'a', '2026-10-05T00:00:00Z'),
      ],
      ['a'],
    ],
  ])('Given %s, When the journal is read, Then the deleted users are %j', (_name, journal, expected) => {
    expect(deletedUsers(journal).map((user) => user.userName)).toEqual(expected);
  });

  it('Given deletions with and without a known creation time, When turned into remediations, Then only the measurable ones count, with the last deletion time', () => {
    const journal = [
      op('finish', 'old', '2026-10-11T00:00:00Z'),
      op('finish', 'unseen', '2026-10-11T00:00:00Z'),
      op('restore', 'old', '2026-10-12T00:00:00Z'),
      op('finish', 'old', '2026-10-21T00:00:00Z'),
    ];
    const snapshot = buildSnapshot([
      buildAccount('111111111111', {
        users: [buildUser('old', { createDate: { state: 'at', at: '2026-10-01T00:00:00Z' } })],
      }),
    ]);
    const remediations = remediationsFromJournal(journal, creationTimes(snapshot));
    expect(remediations).toEqual([
      {
        accountId: '111111111111',
        userName: 'old',
        userCreatedAt: '2026-10-01T00:00:00Z',
        remediatedAt: '2026-10-21T00:00:00Z',
        kind: 'deleted',
      },
    ]);
    const kpis = computeKpis({ snapshot, classify: classes, now: NOW, remediations });
    expect(kpis.daysToRemediation).toEqual({ count: 1, median: 20, p90: 20 });
  });

  it('Given register entries reviewed and never reviewed, When scored, Then reviewed ones have an age, never-reviewed ones sort first and are counted', () => {
    const exceptions = exceptionReviews([
      { account: '111111111111', user: 'vendor', lastReviewed: '2026-08-25' },
      { account: '111111111111', user: 'sftp', lastReviewed: null },
    ]);
    const kpis = computeKpis({ snapshot: buildSnapshot([]), classify: classes, now: NOW, exceptions });
    expect(kpis.exceptionReviewAgeDays).toEqual([
      { accountId: '111111111111', userName: 'sftp', days: null },
      { accountId: '111111111111', userName: 'vendor', days: 90 },
    ]);
    const record = kpisToRecord(kpis);
    expect(record.exception_review_age_max_days).toBe(90);
    expect(record.exceptions_never_reviewed).toBe(1);
    expect(record.exceptions).toBe(2);
  });
});
