import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { assessEstate } from '../app/assess.js';
import type { ExceptionEntry } from '../assess/exceptions.js';
import { NEVER, whenAt } from '../model/when.js';
import { buildAccount, buildKey, buildSnapshot, buildUser } from '../../test/fixtures/build-snapshot.js';
import {
  remediationStage,
  reportExtras,
  sortedInPlace,
  type ReportExtras,
  type ReportOperation,
} from './report-data.js';
import { buildEstate } from '../../test/fixtures/build-estate.js';

const NOW = new Date('2026-11-23T12:00:00Z');

function op(overrides: Partial<ReportOperation>): ReportOperation {
  return {
    kind: 'start',
    accountId: '111111111111',
    userName: 'ci',
    status: 'done',
    createdAt: '2026-11-01T00:00:00Z',
    finishedAt: '2026-11-01T00:01:00Z',
    lastError: null,
    ...overrides,
  };
}

describe('remediationStage', () => {
  it.each([
    ['no operation', [], 'not started'],
    ['a finished start', [op({})], 'switched off'],
    ['a start then a rollback', [op({}), op({ kind: 'rollback', createdAt: '2026-11-02T00:00:00Z' })], 'rolled back'],
    [
      'a rollback listed before the newer finish',
      [
        op({ kind: 'rollback', createdAt: '2026-11-02T00:00:00Z' }),
        op({ kind: 'finish', createdAt: '2026-11-03T00:00:00Z' }),
      ],
      'deleted',
    ],
    ['a pending start', [op({ status: 'pending', finishedAt: null })], 'in progress'],
    [
      'a pending start with an error',
      [op({ status: 'pending', finishedAt: null, lastError: 'AccessDenied' })],
      'failed',
    ],
    [
      'a restore after a finish',
      [op({ kind: 'finish' }), op({ kind: 'restore', createdAt: '2026-11-05T00:00:00Z' })],
      'restored',
    ],
  ] as const)('Given %s, When staged, Then the stage is %s', (_name, operations, stage) => {
    expect(remediationStage(operations).stage).toBe(stage);
  });
});

describe('reportExtras of the assessed estate', () => {
  const snapshot = buildSnapshot([
    buildAccount('111111111111', {
      users: [
        buildUser('alice', {
          password: {
            enabled: true,
            lastUsed: whenAt('2026-11-20T00:00:00Z'),
            lastChanged: NEVER,
            nextRotation: NEVER,
          },
          tags: { email: 'alice@example.com' },
        }),
        buildUser('ci', { path: '/ci/', accessKeys: [buildKey({ lastRotated: whenAt('2024-01-01T00:00:00Z') })] }),
      ],
    }),
  ]);
  const exceptions: ExceptionEntry[] = [
    {
      account: '111111111111',
      user: 'ci',
      reason: 'vendor appliance',
      owner: 'ops',
      expires: '2026-01-31',
      reviewEveryDays: 30,
      lastReviewed: null,
      controls: {},
      source: { file: 'x.yaml', line: 3 },
    },
    {
      account: '111111111111',
      user: 'gone',
      reason: 'old',
      owner: 'ops',
      expires: '2027-01-31',
      reviewEveryDays: null,
      lastReviewed: null,
      controls: {},
      source: { file: 'x.yaml', line: 9 },
    },
  ];
  /** The report's view of the estate as the one pipeline assesses it. */
  async function extrasFor(
    register: ExceptionEntry[] | null,
    operations: ReportOperation[] | null,
  ): Promise<ReportExtras> {
    const assessment = await assessEstate(buildEstate(snapshot, NOW, { exceptions: register }));
    return reportExtras({ snapshot, now: NOW, ...assessment, exceptions: register, operations });
  }
  let extras: ReportExtras;
  beforeAll(async () => {
    extras = await extrasFor(exceptions, [op({ userName: 'ci' })]);
  });

  it('Given two users, When assessed, Then each has a class, a plan, and the findings that name it by ARN', () => {
    expect(Object.keys(extras.users).sort()).toEqual(['111111111111/alice', '111111111111/ci']);
    const ci = extras.users['111111111111/ci'];
    expect(ci?.findings.map((f) => f.checkId)).toContain('access-key-rotation');
    expect(ci?.worstSeverity).toBe(ci?.findings[0]?.severity);
    expect(ci?.plan?.strategy).toBeTruthy();
    expect(extras.users['111111111111/alice']?.findings.map((f) => f.checkId)).toContain(
      'console-password-without-mfa',
    );
    expect(extras.users['111111111111/alice']?.class).toBe('human');
  });

  it('Given findings, When indexed, Then they are ordered most severe first and carry CIS and Security Hub ids', () => {
    const findings = extras.users['111111111111/ci']?.findings ?? [];
    const ranks = findings.map((f) => ['info', 'low', 'medium', 'high', 'critical'].indexOf(f.severity));
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    expect(findings.find((f) => f.checkId === 'access-key-rotation')?.cis).toContain('1.14');
  });

  it('Given the register and the journal, When assessed, Then exceptions show expiry, review due and unknown users, and the stage comes from the journal', () => {
    expect(extras.users['111111111111/ci']?.exception).toEqual({
      reason: 'vendor appliance',
      owner: 'ops',
      expires: '2026-01-31',
      expired: true,
    });
    expect(extras.users['111111111111/ci']?.remediation.stage).toBe('switched off');
    expect(extras.users['111111111111/alice']?.remediation.stage).toBe('not started');
    expect(extras.exceptions.map((e) => [e.userName, e.expired, e.reviewOverdueDays, e.userFound])).toEqual([
      ['ci', true, -1, true],
      ['gone', false, null, false],
    ]);
    expect(extras.hasExceptionsRegister).toBe(true);
    expect(extras.hasJournal).toBe(true);
  });

  it('Given no register and no journal, When assessed, Then the report says so rather than showing empty sections as clean', async () => {
    const bare = await extrasFor(null, null);
    expect(bare.hasExceptionsRegister).toBe(false);
    expect(bare.hasJournal).toBe(false);
    expect(bare.users['111111111111/ci']?.exception).toBeNull();
  });
});

describe('sortedInPlace', () => {
  it("given lists short and long with many equal keys, when sorted, then the order is Array.prototype.sort's, ties kept in place", () => {
    const byKey = (a: { key: number }, b: { key: number }) => a.key - b.key;
    fc.assert(
      fc.property(
        fc.array(fc.record({ key: fc.integer({ min: 0, max: 4 }), id: fc.nat() }), { maxLength: 40 }),
        (items) => {
          const expected = [...items].sort(byKey);
          expect(sortedInPlace([...items], byKey)).toEqual(expected);
        },
      ),
    );
  });
});
