import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildAccount, buildKey, buildSnapshot, buildUser } from '../../test/fixtures/build-snapshot.js';
import { DEFAULT_CONFIG, type RoleshiftConfig } from '../config.js';
import { InputFileError, UserInputError } from '../errors.js';
import type { Snapshot } from '../model/snapshot.js';
import { completeOperation, ensureJournalTables, recordOperation } from '../remediate/journal.js';
import { openStore, type Store } from '../store/store.js';
import { assessEstate, scoreEstate } from './assess.js';
import { estateOf, loadEstate, type EstateRequest, type RunContext } from './estate.js';
import { readExceptionsRegister } from './files.js';

const NOW = new Date('2026-11-23T00:00:00Z');
const ACCOUNT = '111111111111';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'roleshift-estate-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function quiet(): RunContext & { logs: string[] } {
  const logs: string[] = [];
  return { logs, now: NOW, notes: { log: (text) => logs.push(text), warn: (text) => logs.push(text) } };
}

/** A request in the test's own folder: its store and no exceptions register unless asked. */
function request(overrides: Partial<EstateRequest> = {}): EstateRequest {
  return {
    storePath: join(dir, 'absent', 'roleshift.duckdb'),
    config: { ...DEFAULT_CONFIG, exceptionsFile: join(dir, 'absent.yaml') },
    ...overrides,
  };
}

/** The KPIs `scan` stores for a new snapshot, checked against the whole pipeline on the same estate. */
async function kpisOfScan(snapshot: Snapshot, store: Store, config: RoleshiftConfig): Promise<Record<string, number>> {
  const exceptions = readExceptionsRegister(undefined, config);
  const { estate } = await estateOf(snapshot, store, { config, exceptions }, quiet());
  const kpis = scoreEstate(estate);
  expect(kpis).toEqual((await assessEstate(estate)).kpis);
  return kpis;
}

describe('loadEstate', () => {
  it('Given a valid snapshot file, When loaded with --snapshot, Then that snapshot is returned', async () => {
    const snapshot = buildSnapshot([buildAccount('111111111111', { users: [buildUser('alice')] })]);
    const file = join(dir, 'snapshot.json');
    writeFileSync(file, JSON.stringify(snapshot));
    expect((await loadEstate(request({ snapshot: file }), quiet())).estate.snapshot).toEqual(snapshot);
  });

  it.each([
    ['missing', null, /snapshot\.json: no such file/],
    [
      'truncated',
      '{"schemaVersion": 1, "collec',
      /snapshot\.json: ends before the JSON is complete: is the file truncated\?$/,
    ],
    [
      'a line of /etc/passwd',
      'root:x:0:0:root:/root:/bin/bash\n',
      /snapshot\.json: is not JSON \(it does not start with \{ or \[\)/,
    ],
    ['a GAAD, not a snapshot', '{"UserDetailList": []}', /snapshot\.json: not a roleshift snapshot at schemaVersion/],
    [
      'of a wrong account id',
      JSON.stringify(buildSnapshot([buildAccount('12')])),
      /not a roleshift snapshot at accounts\.0\.accountId/,
    ],
  ])(
    'Given a snapshot file that is %s, When loaded, Then one line names the file and the problem',
    async (_label, content, message) => {
      const file = join(dir, 'snapshot.json');
      if (content !== null) writeFileSync(file, content);
      const error = await loadEstate(request({ snapshot: file }), quiet()).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(InputFileError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain('\n');
      expect((error as Error).message).not.toContain('root:');
    },
  );

  it('Given a snapshot saved with a byte-order mark (an editor, PowerShell), When loaded, Then it reads', async () => {
    const snapshot = buildSnapshot([buildAccount('111111111111', { users: [buildUser('alice')] })]);
    const file = join(dir, 'snapshot.json');
    writeFileSync(file, Buffer.from(`\uFEFF${JSON.stringify(snapshot)}`, 'utf16le'));
    expect((await loadEstate(request({ snapshot: file }), quiet())).estate.snapshot).toEqual(snapshot);
  });

  it('Given no store, When loaded, Then it says to scan first and creates no store', async () => {
    const store = join(dir, 'nothing', 'roleshift.duckdb');
    await expect(loadEstate(request({ storePath: store }), quiet())).rejects.toThrow(
      /no scan yet in .*: run roleshift scan first/,
    );
    expect(existsSync(join(dir, 'nothing'))).toBe(false);
  });

  it('Given a store with an empty history, When loaded, Then it says to scan first', async () => {
    const path = join(dir, 'roleshift.duckdb');
    (await openStore(path)).close();
    await expect(loadEstate(request({ storePath: path }), quiet())).rejects.toBeInstanceOf(UserInputError);
  });

  it('Given two scans, When loaded from the store, Then the latest is returned', async () => {
    const path = join(dir, 'roleshift.duckdb');
    const store = await openStore(path);
    await store.saveScan(buildSnapshot([buildAccount('111111111111')]));
    const latest = buildSnapshot([buildAccount('222222222222')]);
    await store.saveScan(latest);
    store.close();
    const context = quiet();
    expect((await loadEstate(request({ storePath: path }), context)).estate.snapshot).toEqual(latest);
    expect(context.logs.join('\n')).toMatch(/using scan \S+ from/);
  });
});

describe('the KPIs scored for a new scan', () => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore(join(dir, 'store.duckdb'));
  });
  afterEach(() => store.close());

  it('Given a user deleted through the journal after an earlier scan saw it, and an exceptions register, When the next scan is scored, Then days to remediation and review ages are filled', async () => {
    const before = buildSnapshot([
      buildAccount(ACCOUNT, {
        users: [
          buildUser('old-ci', { createDate: { state: 'at', at: '2026-09-01T00:00:00Z' }, accessKeys: [buildKey()] }),
          buildUser('vendor', { accessKeys: [buildKey({ id: 'AKIAEXAMPLEKEY000009' })] }),
        ],
      }),
    ]);
    await store.saveScan(before);
    await ensureJournalTables(store.connection);
    await recordOperation(
      store.connection,
      {
        opId: 'op-1',
        kind: 'finish',
        accountId: ACCOUNT,
        userName: 'old-ci',
        createdAt: '2026-10-01T00:00:00Z',
        relatedOpId: null,
        priorState: null,
        notes: [],
      },
      [],
    );
    await completeOperation(store.connection, 'op-1', '2026-10-11T00:00:00Z');
    const register = join(dir, 'exceptions.yaml');
    writeFileSync(
      register,
      `exceptions:\n  - account: "${ACCOUNT}"\n    user: vendor\n    reason: the partner only takes keys\n    owner: alice@example.com\n    expires: 2027-03-31\n    lastReviewed: 2026-10-24\n`,
    );
    const after = buildSnapshot([
      buildAccount(ACCOUNT, {
        users: [buildUser('vendor', { accessKeys: [buildKey({ id: 'AKIAEXAMPLEKEY000009' })] })],
      }),
    ]);

    const kpis = await kpisOfScan(after, store, { ...DEFAULT_CONFIG, exceptionsFile: register });

    expect(kpis.remediated_users).toBe(1);
    expect(kpis.days_to_remediation_median).toBe(40);
    expect(kpis.days_to_remediation_p90).toBe(40);
    expect(kpis.exceptions).toBe(1);
    expect(kpis.exception_review_age_max_days).toBe(30);
    expect(kpis.exceptions_never_reviewed).toBe(0);
  });

  it('Given an empty store and no register, When scored, Then no remediation or review figure is invented', async () => {
    const snapshot = buildSnapshot([buildAccount(ACCOUNT, { users: [buildUser('ci', { accessKeys: [buildKey()] })] })]);
    const kpis = await kpisOfScan(snapshot, store, { ...DEFAULT_CONFIG, exceptionsFile: join(dir, 'absent.yaml') });
    expect(kpis.users_long_lived_total).toBe(1);
    expect(kpis.remediated_users).toBe(0);
    expect(kpis).not.toHaveProperty('days_to_remediation_median');
    expect(kpis).not.toHaveProperty('exception_review_age_max_days');
  });
});

describe('the ExternalId seed of an estate', () => {
  async function storeWithScan(): Promise<string> {
    const path = join(dir, 'roleshift.duckdb');
    const store = await openStore(path);
    await store.saveScan(buildSnapshot([buildAccount(ACCOUNT)]));
    store.close();
    return path;
  }
  const seedOf = async (overrides: Partial<EstateRequest>) =>
    (await loadEstate(request(overrides), quiet())).estate.externalIdSeed;

  it('Given a store, When the estate is loaded twice, Then both runs get the same seed, kept in the store', async () => {
    const storePath = await storeWithScan();
    const first = await seedOf({ storePath });
    expect(first).toMatch(/^[0-9a-f]{32}$/);
    expect(await seedOf({ storePath })).toBe(first);
  });

  it('Given a kept seed, When rotated, Then a new seed is kept from then on and the rotation is announced', async () => {
    const storePath = await storeWithScan();
    const before = await seedOf({ storePath });
    const context = quiet();
    const rotated = (await loadEstate(request({ storePath, rotateSeed: true }), context)).estate.externalIdSeed;
    expect(rotated).not.toBe(before);
    expect(await seedOf({ storePath })).toBe(rotated);
    expect(context.logs.join('\n')).toContain('rotated the ExternalId seed');
  });

  it('Given --seed, When loaded, Then it wins over the kept seed and is not stored', async () => {
    const storePath = await storeWithScan();
    const kept = await seedOf({ storePath });
    expect(await seedOf({ storePath, seed: 'given-seed-0001' })).toBe('given-seed-0001');
    expect(await seedOf({ storePath })).toBe(kept);
  });

  it('Given a snapshot file and no store, When loaded, Then a one-off seed is used and no store is created', async () => {
    const file = join(dir, 'snapshot.json');
    writeFileSync(file, JSON.stringify(buildSnapshot([buildAccount(ACCOUNT)])));
    const loaded = await loadEstate(request({ snapshot: file }), quiet());
    expect(loaded.seedSource).toBe('one-off');
    expect(existsSync(join(dir, 'absent'))).toBe(false);
  });

  it.each([
    ['--rotate-seed with --seed', { seed: 'given-seed-0001', rotateSeed: true }, /leave out --seed/],
    ['--rotate-seed without a store', { rotateSeed: true }, /needs a store/],
    ['a short --seed', { seed: 'short' }, /at least 8 characters/],
  ] as const)('Given %s, When loaded, Then it is a user error', async (_label, overrides, message) => {
    const file = join(dir, 'snapshot.json');
    writeFileSync(file, JSON.stringify(buildSnapshot([buildAccount(ACCOUNT)])));
    await expect(loadEstate(request({ snapshot: file, ...overrides }), quiet())).rejects.toThrow(message);
  });
});
