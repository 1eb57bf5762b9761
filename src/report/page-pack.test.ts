import { describe, expect, it } from 'vitest';
import type { ExceptionEntry } from '../assess/exceptions.js';
import type { Account, Snapshot, User } from '../model/snapshot.js';
import { NEVER, UNKNOWN, whenAt } from '../model/when.js';
import { buildAccount, buildKey, buildSnapshot, buildUser } from '../../test/fixtures/build-snapshot.js';
import { buildReportData, renderReport } from './html.js';
import {
  extrasSource,
  packedReport,
  packReport,
  packReportJson,
  type PagePack,
  unpackReport,
  withExtras,
} from './page-pack.js';
import type { ReportData } from './page-model.js';
import { assessEstate } from '../app/assess.js';
import {
  lazyReportExtras,
  type LazyReportExtras,
  type ReportAssessment,
  type ReportExtras,
  reportExtras,
} from './report-data.js';
import { buildEstate } from '../../test/fixtures/build-estate.js';

const NOW = new Date('2026-11-23T12:00:00Z');
const PASSWORD = { enabled: true, lastUsed: whenAt('2026-11-20T00:00:00Z'), lastChanged: NEVER, nextRotation: NEVER };

/** People in two accounts (so their Identity Center artifacts repeat), machines with keys of every state, hostile text. */
function users(accountId: string): User[] {
  return [
    buildUser('alice', { password: PASSWORD, tags: { email: 'alice@example.com' }, groups: ['developers'] }, accountId),
    buildUser(
      'bob',
      { password: { ...PASSWORD, lastUsed: UNKNOWN }, groups: ['developers'], mfaActive: true },
      accountId,
    ),
    buildUser(
      'ci-deploy',
      {
        path: '/ci/',
        // JSON.parse makes `__proto__` an own key, as a tag read from AWS would be; a literal would not.
        tags: JSON.parse('{"purpose":"deploy from GitHub Actions","__proto__":"a tag named like the prototype"}'),
        accessKeys: [
          buildKey({ lastRotated: whenAt('2024-01-01T00:00:00Z'), lastUsed: NEVER }),
          buildKey({
            slot: 2,
            id: 'AKIAEXAMPLEKEY000002',
            status: 'Inactive',
            lastUsed: UNKNOWN,
            lastUsedService: null,
          }),
        ],
      },
      accountId,
    ),
    buildUser(
      '</script><img src=x onerror=alert(1)>',
      { path: '/\u2028/', tags: { owner: '"><svg onload=alert(2)>' }, accessKeys: [buildKey()] },
      accountId,
    ),
    buildUser('idle', {}, accountId),
  ];
}

const EXCEPTION: ExceptionEntry = {
  account: '222222222222',
  user: 'ci-deploy',
  reason: 'vendor appliance',
  owner: 'ops',
  expires: '2027-01-31',
  reviewEveryDays: 30,
  lastReviewed: null,
  controls: {},
  source: { file: 'x.yaml', line: 3 },
};

/** Both accounts meet the account-wide checks, so the findings are the users' ones the pack shares. */
function compliantSettings(accountId: string): Partial<Account> {
  const held = ['AWSSupportAccess', 'SecurityAudit'].map((name) => ({ arn: `arn:aws:iam::aws:policy/${name}`, name }));
  return {
    groups: [
      {
        arn: `arn:aws:iam::${accountId}:group/support`,
        name: 'support',
        groupId: null,
        path: '/',
        createDate: UNKNOWN,
        attachedPolicies: held,
        inlinePolicies: [],
      },
    ],
  };
}

function estate() {
  return buildSnapshot([
    buildAccount('111111111111', { alias: 'prod', users: users('111111111111'), ...compliantSettings('111111111111') }),
    buildAccount('222222222222', { users: users('222222222222'), ...compliantSettings('222222222222') }),
  ]);
}

async function assessed(snapshot: Snapshot): Promise<ReportAssessment> {
  const assessment = await assessEstate(buildEstate(snapshot, NOW, { exceptions: [EXCEPTION] }));
  return {
    snapshot,
    now: NOW,
    ...assessment,
    exceptions: [EXCEPTION],
    operations: [
      {
        kind: 'start',
        accountId: '111111111111',
        userName: 'ci-deploy',
        status: 'pending',
        createdAt: '2026-11-01T00:00:00Z',
        finishedAt: null,
        lastError: 'AccessDenied',
      },
    ],
  };
}

async function reportData(): Promise<ReportData> {
  const snapshot = estate();
  return buildReportData({ snapshot, now: NOW, extras: reportExtras(await assessed(snapshot)), toolVersion: '9.9.9' });
}

/** What the page gets: the pack after a trip through JSON text. */
function throughJson(pack: PagePack): PagePack {
  return JSON.parse(JSON.stringify(pack)) as PagePack;
}

function distinct(values: readonly unknown[]): number {
  return new Set(values.map((value) => JSON.stringify(value))).size;
}

describe('renderReport with extras made on demand', () => {
  it('Given an assessed estate, When rendered with lazy extras, Then the page is byte for byte the page of the extras made up front', async () => {
    const snapshot = estate();
    const assessment = await assessed(snapshot);
    const page = (extras: ReportExtras | LazyReportExtras) =>
      renderReport({ snapshot, now: NOW, extras, toolVersion: '9.9.9' });
    expect(page(lazyReportExtras(assessment))).toBe(page(reportExtras(assessment)));
  });

  it('Given lazy extras of another estate, When rendered, Then it fails rather than showing users unassessed', async () => {
    const snapshot = estate();
    const extras = lazyReportExtras(await assessed(snapshot));
    const fewer = buildSnapshot([buildAccount('111111111111', { users: users('111111111111') })]);
    expect(() => renderReport({ snapshot: fewer, now: NOW, extras })).toThrow(
      /extras name users the snapshot does not have/,
    );
  });
});

describe('packReport and unpackReport', () => {
  it('Given an assessed estate with hostile names and a tag named __proto__, When packed, sent as JSON and unpacked, Then the page gets exactly the report data', async () => {
    const data = await reportData();
    const unpacked = unpackReport(throughJson(packReport(data)));
    expect(unpacked).toEqual(JSON.parse(JSON.stringify(data)));
    // The replacements' proofs travel too (their notes as shared texts).
    expect(Object.values(unpacked.extras?.users ?? {}).filter((x) => x.plan?.proof).length).toBeGreaterThan(0);
    const tags = unpacked.users.find((user) => user.name === 'ci-deploy')?.tags ?? {};
    expect(Object.getPrototypeOf(tags)).toBe(Object.prototype);
    expect(Object.keys(tags)).toEqual(['purpose', '__proto__']);
  });

  it('Given users that share findings, evidence and artifacts, When packed, Then each distinct one is stored once and the pack is smaller than plain JSON', async () => {
    const data = await reportData();
    const pack = packReport(data);
    const extras = Object.values(data.extras?.users ?? {});
    const findings = extras.flatMap((x) => x.findings.map(({ message: _message, ...template }) => template));
    const evidence = extras.flatMap((x) => x.evidence);
    const artifacts = extras.flatMap((x) => x.plan?.artifacts ?? []);
    expect(pack.findings).toHaveLength(distinct(findings));
    expect(pack.findings.length).toBeLessThan(findings.length);
    expect(pack.evidence).toHaveLength(distinct(evidence));
    expect(pack.artifacts).toHaveLength(distinct(artifacts));
    expect(pack.artifacts.length).toBeLessThan(artifacts.length);
    expect(pack.accounts).toEqual([
      ['111111111111', 'prod'],
      ['222222222222', null],
    ]);
    expect(JSON.stringify(pack).length).toBeLessThan(JSON.stringify(data).length / 2);
  });

  it.each([1, 3, 500])(
    'Given an assessed estate, When packed as JSON text %i users per chunk, Then the chunks join into exactly the text of the packed report',
    async (usersPerChunk) => {
      const data = await reportData();
      const { users, ...head } = data;
      const chunks = packReportJson(
        packedReport(head),
        withExtras(users, data.extras && extrasSource(data.extras.users)),
        usersPerChunk,
      );
      // The tables, the users' opening, each batch of users with a comma between, the closing.
      expect(chunks.length).toBe(2 + 2 * Math.ceil(users.length / usersPerChunk));
      expect(chunks.join('')).toBe(JSON.stringify(packReport(data)));
    },
  );

  it('Given extras for a user the report does not list, When packed as JSON text, Then it fails rather than dropping them', async () => {
    const data = await reportData();
    const { users, ...head } = data;
    const listed = users.filter((user) => user.name !== 'idle');
    expect(() =>
      packReportJson(packedReport(head), withExtras(listed, data.extras && extrasSource(data.extras.users))),
    ).toThrow(/extras name users the snapshot does not have/);
  });

  it('Given extras for a user the report does not list, When packed, Then it fails rather than dropping them', async () => {
    const data = await reportData();
    const extras = data.extras;
    if (extras === null) throw new Error('the fixture has extras');
    const stray = { ...data, users: data.users.filter((user) => user.name !== 'idle') };
    expect(() => packReport(stray)).toThrow(/extras name users the snapshot does not have/);
    expect(Object.keys(extras.users).length).toBe(data.users.length);
  });

  it('Given a report without extras, When packed and unpacked, Then it stays without extras', async () => {
    const data = { ...(await reportData()), extras: null };
    expect(unpackReport(throughJson(packReport(data)))).toEqual(JSON.parse(JSON.stringify(data)));
  });

  it.each([
    ['a text', (pack: PagePack) => pack.texts.splice(0)],
    ['a finding', (pack: PagePack) => pack.findings.splice(0)],
    ['an account', (pack: PagePack) => pack.accounts.splice(0)],
  ])(
    'Given a pack missing %s that users refer to, When unpacked, Then it fails naming what is missing',
    async (name, cut) => {
      const pack = throughJson(packReport(await reportData()));
      cut(pack);
      expect(() => unpackReport(pack)).toThrow(new RegExp(`report data: ${name.split(' ')[1]} \\d+ is missing`));
    },
  );

  it('Given a block of another format, When unpacked, Then it fails', async () => {
    const pack = { ...packReport(await reportData()), format: 'something-else' } as unknown as PagePack;
    expect(() => unpackReport(pack)).toThrow(/unknown format something-else/);
  });
});
