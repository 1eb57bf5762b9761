import { describe, expect, it } from 'vitest';
import { NEVER, UNKNOWN, whenAt } from '../model/when.js';
import {
  buildAccount,
  buildGap,
  buildKey,
  buildRoot,
  buildSnapshot,
  buildUser,
} from '../../test/fixtures/build-snapshot.js';
import { countHeadline } from '../model/headline.js';
import { renderSummary, summarizeSnapshot } from './summary.js';

const NOW = new Date('2026-11-23T12:00:00Z');
const daysAgo = (days: number) => whenAt(new Date(NOW.getTime() - days * 86_400_000));
const withPassword = { enabled: true, lastUsed: daysAgo(1), lastChanged: daysAgo(100), nextRotation: NEVER };

function estate() {
  return buildSnapshot(
    [
      buildAccount('111111111111', {
        alias: 'acme-prod',
        users: [
          buildUser('alice', { password: withPassword }),
          buildUser('deploy', { accessKeys: [buildKey({ lastRotated: daysAgo(400), lastUsed: daysAgo(1) })] }),
          buildUser('bob', {
            password: withPassword,
            accessKeys: [
              buildKey({ slot: 1, lastRotated: daysAgo(30), lastUsed: daysAgo(50) }),
              buildKey({ slot: 2, id: 'AKIAOLD', status: 'Inactive', lastRotated: daysAgo(2000), lastUsed: NEVER }),
            ],
          }),
          buildUser('nobody'),
        ],
        root: buildRoot('111111111111', { accessKeys: [buildKey({ id: null, lastUsed: UNKNOWN })] }),
      }),
      buildAccount('222222222222', {
        users: [
          buildUser(
            'contractor',
            { accessKeys: [buildKey({ id: 'AKIACONTRACTOR', lastRotated: daysAgo(730), lastUsed: NEVER })] },
            '222222222222',
          ),
          buildUser('mystery', { accessKeys: [buildKey({ lastRotated: UNKNOWN, lastUsed: UNKNOWN })] }, '222222222222'),
        ],
        root: buildRoot('222222222222', { accessKeys: [], accessKeysPresent: true }),
      }),
      buildAccount('333333333333', { root: null }),
    ],
    { gaps: [buildGap({ accountId: '333333333333' })] },
  );
}

describe('summarizeSnapshot', () => {
  it('Given a mixed estate, When summarised, Then users with long-lived credentials are split by kind', () => {
    const summary = summarizeSnapshot(estate(), NOW);
    expect(summary.accounts).toBe(3);
    expect(summary.users).toBe(6);
    expect(summary.longLived).toEqual({ total: 5, passwordOnly: 1, keysOnly: 3, both: 1 });
    expect(summary.activeKeys).toBe(4);
  });

  it('Given an inactive key older than every active one, When summarised, Then the oldest active key ignores it', () => {
    const summary = summarizeSnapshot(estate(), NOW);
    expect(summary.oldestActiveKey).toEqual({
      accountId: '222222222222',
      userName: 'contractor',
      slot: 1,
      keyId: 'AKIACONTRACTOR',
      days: 730,
    });
  });

  it('Given two active keys of the same age, When summarised, Then the oldest is the one first by account, user and slot, wherever the snapshot lists it', () => {
    const key = (slot: 1 | 2, id: string) => buildKey({ slot, id, lastRotated: daysAgo(900) });
    const summary = summarizeSnapshot(
      buildSnapshot([
        buildAccount('333333333333', {
          users: [buildUser('zed', { accessKeys: [key(1, 'AKIAZED')] }, '333333333333')],
        }),
        buildAccount('111111111111', {
          users: [
            buildUser('mia', { accessKeys: [key(1, 'AKIAMIA1'), key(2, 'AKIAMIA2')] }, '111111111111'),
            buildUser('ann', { accessKeys: [key(2, 'AKIAANN2'), key(1, 'AKIAANN1')] }, '111111111111'),
          ],
        }),
      ]),
      NOW,
    );
    expect(summary.oldestActiveKey).toMatchObject({ accountId: '111111111111', userName: 'ann', slot: 1, days: 900 });
  });

  it('Given keys used long ago, never used, and of unknown use, When summarised, Then only the first two count as unused (longest first)', () => {
    const summary = summarizeSnapshot(estate(), NOW);
    expect(summary.unusedKeys.thresholdDays).toBe(45);
    expect(summary.unusedKeys.keys.map((key) => [key.userName, key.days])).toEqual([
      ['contractor', 730],
      ['bob', 50],
    ]);
    expect(summary.unusedKeys.unknown).toBe(1);
  });

  it('Given a stricter threshold, When summarised, Then it replaces the default', () => {
    const summary = summarizeSnapshot(estate(), NOW, { unusedCredentialDays: 60 });
    expect(summary.unusedKeys.keys.map((key) => key.userName)).toEqual(['contractor']);
  });

  it('Given a root key in the report and one known only from the account summary, When summarised, Then both count', () => {
    const summary = summarizeSnapshot(estate(), NOW);
    expect(summary.rootKeys).toEqual({ count: 2, accountIds: ['111111111111', '222222222222'] });
  });

  it('Given gaps, When summarised, Then they are carried, not dropped', () => {
    expect(summarizeSnapshot(estate(), NOW).gaps).toHaveLength(1);
  });

  it('Given an estate, When the headline is counted, Then it matches what history shows', () => {
    expect(countHeadline(estate())).toEqual({
      accounts: 3,
      users: 6,
      usersWithLongLivedCredentials: 5,
      usersWithPassword: 2,
      usersWithActiveKeys: 4,
      activeKeys: 4,
      rootKeys: 2,
      gaps: 1,
    });
  });
});

describe('renderSummary', () => {
  it('Given colour is off, When rendered, Then the text has the numbers and no escape codes', () => {
    const text = renderSummary(summarizeSnapshot(estate(), NOW), { color: false });
    expect(text).not.toContain('\u001b[');
    expect(text).toMatch(
      /IAM users with long-lived credentials\s+at least 5\s+goal: 0 — incomplete: 333333333333 iam:GetAccountAuthorizationDetails AccessDenied \(see the gaps below\)/,
    );
    expect(text).toMatch(/^3 accounts, at least 6 IAM users/);
    expect(text).toMatch(/oldest active key\s+730 days\s+222222222222\/contractor key 1 AKIACONTRACTOR/);
    expect(text).toMatch(/keys unused 45\+ days\s+2\s+1 more with unknown last use/);
    expect(text).toMatch(/root access keys\s+2\s+111111111111, 222222222222/);
    expect(text).toContain('111111111111 (acme-prod)');
  });

  it('Given no gap, When rendered, Then the counts are exact: no "at least", no "incomplete"', () => {
    const text = renderSummary(summarizeSnapshot({ ...estate(), gaps: [] }, NOW), { color: false });
    expect(text).toMatch(/IAM users with long-lived credentials\s+5\s+goal: 0$/m);
    expect(text).not.toMatch(/at least|incomplete/);
  });

  it('Given only gaps that cannot hide a credential (alias, SAML, CloudTrail), When rendered, Then the count is exact but marked incomplete', () => {
    const gaps = [
      buildGap({ api: 'iam:ListAccountAliases', errorCode: 'FileMissing' }),
      buildGap({ api: 'cloudtrail:ReadLogs', errorCode: 'NoSuchBucket', accountId: null }),
    ];
    const summary = summarizeSnapshot({ ...estate(), gaps }, NOW);
    expect(summary.completeness).toEqual({
      complete: false,
      countsAreMinimums: false,
      reasons: ['111111111111 iam:ListAccountAliases FileMissing', 'cloudtrail:ReadLogs NoSuchBucket'],
    });
    expect(renderSummary(summary, { color: false })).toMatch(/credentials\s+5\s+goal: 0 — incomplete: /);
  });

  it('Given six gaps, When rendered, Then four are named and the rest counted', () => {
    const gaps = [1, 2, 3, 4, 5, 6].map((n) => buildGap({ accountId: `${n}`.repeat(12) }));
    const text = renderSummary(summarizeSnapshot({ ...estate(), gaps }, NOW), { color: false });
    expect(text).toContain(
      '444444444444 iam:GetAccountAuthorizationDetails AccessDenied and 2 more (see the gaps below)',
    );
  });

  it('Given colour is on, When rendered, Then stripping the colours gives exactly the plain text (columns line up)', () => {
    const summary = summarizeSnapshot(estate(), NOW);
    const coloured = renderSummary(summary, { color: true });
    expect(coloured).toContain('\u001b[');
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(renderSummary(summary, { color: false }));
  });
});
