import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildAccount, buildKey, buildSnapshot, buildUser } from '../../test/fixtures/build-snapshot.js';
import { DEFAULT_CONFIG } from '../config.js';
import { ensureJournalTables, recordOperation } from '../remediate/journal.js';
import { openStore } from '../store/store.js';
import { estateKey } from './estate-key.js';
import type { EstateRequest, RunContext } from './estate.js';

const tool = vi.hoisted(() => ({ version: '1.0.0' }));
vi.mock('../version.js', () => ({
  get TOOL_VERSION() {
    return tool.version;
  },
}));

const NOW = new Date('2026-11-23T10:15:07Z');
const ACCOUNT = '111111111111';
const REGISTER = `exceptions:\n  - account: "${ACCOUNT}"\n    user: vendor\n    reason: the partner only takes keys\n    owner: alice@example.com\n    expires: 2027-03-31\n`;

let dir: string;
let storePath: string;
let register: string;
beforeEach(async () => {
  tool.version = '1.0.0';
  dir = mkdtempSync(join(tmpdir(), 'roleshift-estate-key-'));
  storePath = join(dir, 'roleshift.duckdb');
  register = join(dir, 'exceptions.yaml');
  writeFileSync(register, REGISTER);
  await saveScan('vendor');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function saveScan(userName: string): Promise<void> {
  const store = await openStore(storePath);
  await store.saveScan(
    buildSnapshot([buildAccount(ACCOUNT, { users: [buildUser(userName, { accessKeys: [buildKey()] })] })]),
  );
  store.close();
}

function request(overrides: Partial<EstateRequest> = {}): EstateRequest {
  return { storePath, config: { ...DEFAULT_CONFIG, exceptionsFile: register }, ...overrides };
}

function at(now: Date): RunContext {
  return { now, notes: { log: () => {}, warn: () => {} } };
}

const keyOf = (overrides: Partial<EstateRequest> = {}, now = NOW) => estateKey(request(overrides), at(now));

describe('the key of an estate', () => {
  it('Given nothing changed, When keyed twice, Then the keys are equal', async () => {
    const first = await keyOf();
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(await keyOf({}, new Date('2026-11-23T10:19:59Z'))).toBe(first);
  });

  it('Given a new scan, When keyed, Then the key changes', async () => {
    const first = await keyOf();
    await saveScan('someone-else');
    expect(await keyOf()).not.toBe(first);
  });

  it('Given another config, When keyed, Then the key changes', async () => {
    const first = await keyOf();
    const config = {
      ...DEFAULT_CONFIG,
      exceptionsFile: register,
      thresholds: { ...DEFAULT_CONFIG.thresholds, keyRotationDays: 1 },
    };
    expect(await keyOf({ config })).not.toBe(first);
  });

  it('Given the register edited, When keyed, Then the key changes', async () => {
    const first = await keyOf();
    writeFileSync(register, REGISTER.replace('2027-03-31', '2027-04-30'));
    expect(await keyOf()).not.toBe(first);
  });

  it('Given a register named with --exceptions, When keyed, Then its text counts, not the configured one', async () => {
    const other = join(dir, 'other.yaml');
    writeFileSync(other, REGISTER);
    const first = await keyOf({ exceptions: other });
    writeFileSync(other, REGISTER.replace('vendor', 'partner'));
    expect(await keyOf({ exceptions: other })).not.toBe(first);
  });

  it('Given a remediation recorded in the journal, When keyed, Then the key changes', async () => {
    const first = await keyOf();
    const store = await openStore(storePath);
    await ensureJournalTables(store.connection);
    await recordOperation(
      store.connection,
      {
        opId: 'op-1',
        kind: 'start',
        accountId: ACCOUNT,
        userName: 'vendor',
        createdAt: '2026-11-23T10:15:30Z',
        relatedOpId: null,
        priorState: null,
        notes: [],
      },
      [],
    );
    store.close();
    expect(await keyOf()).not.toBe(first);
  });

  it('Given another --seed, When keyed, Then the key changes', async () => {
    expect(await keyOf({ seed: 'seed-number-one' })).not.toBe(await keyOf({ seed: 'seed-number-two' }));
  });

  it('Given the kept seed rotated by another run, When keyed, Then the key changes', async () => {
    const first = await keyOf();
    const store = await openStore(storePath);
    await store.connection.run("UPDATE external_id_seed SET seed = 'a-rotated-seed'");
    store.close();
    expect(await keyOf()).not.toBe(first);
  });

  it('Given another tool version, When keyed, Then the key changes', async () => {
    const first = await keyOf();
    tool.version = '1.0.1';
    expect(await keyOf()).not.toBe(first);
  });

  it('Given a snapshot file, a seed rotation or no store, When keyed, Then there is no key (always built afresh)', async () => {
    expect(await keyOf({ snapshot: join(dir, 'snapshot.json') })).toBeNull();
    expect(await keyOf({ rotateSeed: true })).toBeNull();
    expect(await keyOf({ storePath: join(dir, 'absent.duckdb') })).toBeNull();
  });
});
