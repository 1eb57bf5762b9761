import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildAccount, buildKey, buildSnapshot, buildUser } from '../../../test/fixtures/build-snapshot.js';
import { DEFAULT_CONFIG } from '../../config.js';
import { completeOperation, ensureJournalTables, recordOperation } from '../../remediate/journal.js';
import { openStore, type Store } from '../../store/store.js';
import { kpisForStoredScan } from './activity.js';

const NOW = new Date('2026-11-23T00:00:00Z');
const ACCOUNT = '111111111111';

describe('kpisForStoredScan', () => {
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'roleshift-kpis-'));
    store = await openStore(join(dir, 'store.duckdb'));
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

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

    const kpis = await kpisForStoredScan(after, NOW, store, { ...DEFAULT_CONFIG, exceptionsFile: register });

    expect(kpis.remediated_users).toBe(1);
    expect(kpis.days_to_remediation_median).toBe(40);
    expect(kpis.days_to_remediation_p90).toBe(40);
    expect(kpis.exceptions).toBe(1);
    expect(kpis.exception_review_age_max_days).toBe(30);
    expect(kpis.exceptions_never_reviewed).toBe(0);
  });

  it('Given an empty store and no register, When scored, Then no remediation or review figure is invented', async () => {
    const snapshot = buildSnapshot([buildAccount(ACCOUNT, { users: [buildUser('ci', { accessKeys: [buildKey()] })] })]);
    const kpis = await kpisForStoredScan(snapshot, NOW, store, {
      ...DEFAULT_CONFIG,
      exceptionsFile: join(dir, 'absent.yaml'),
    });
    expect(kpis.users_long_lived_total).toBe(1);
    expect(kpis.remediated_users).toBe(0);
    expect(kpis).not.toHaveProperty('days_to_remediation_median');
    expect(kpis).not.toHaveProperty('exception_review_age_max_days');
  });
});
