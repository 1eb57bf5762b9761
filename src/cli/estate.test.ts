import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputFileError, UserInputError } from '../errors.js';
import { openStore } from '../store/store.js';
import { buildAccount, buildSnapshot, buildUser } from '../../test/fixtures/build-snapshot.js';
import type { CommandContext } from './command.js';
import { loadEstate } from './estate.js';

function quietContext(): CommandContext & { logs: string[] } {
  const logs: string[] = [];
  return {
    logs,
    now: new Date('2026-11-23T12:00:00Z'),
    global: {},
    io: {
      out: () => undefined,
      log: (text) => logs.push(text),
      warn: (text) => logs.push(text),
      color: false,
      json: false,
      debug: false,
      isTty: false,
    },
  };
}

describe('loadEstate', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'roleshift-estate-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('Given a valid snapshot file, When loaded with --snapshot, Then that snapshot is returned', async () => {
    const snapshot = buildSnapshot([buildAccount('111111111111', { users: [buildUser('alice')] })]);
    const file = join(dir, 'snapshot.json');
    writeFileSync(file, JSON.stringify(snapshot));
    expect(await loadEstate(quietContext(), { snapshot: file })).toEqual(snapshot);
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
      const error = await loadEstate(quietContext(), { snapshot: file }).catch((caught: unknown) => caught);
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
    expect(await loadEstate(quietContext(), { snapshot: file })).toEqual(snapshot);
  });

  it('Given no store, When loaded, Then it says to scan first and creates no store', async () => {
    const store = join(dir, 'nothing', 'roleshift.duckdb');
    await expect(loadEstate(quietContext(), { store })).rejects.toThrow(/no scan yet in .*: run roleshift scan first/);
    expect(existsSync(join(dir, 'nothing'))).toBe(false);
  });

  it('Given a store with an empty history, When loaded, Then it says to scan first', async () => {
    const path = join(dir, 'roleshift.duckdb');
    (await openStore(path)).close();
    await expect(loadEstate(quietContext(), { store: path })).rejects.toBeInstanceOf(UserInputError);
  });

  it('Given two scans, When loaded from the store, Then the latest is returned', async () => {
    const path = join(dir, 'roleshift.duckdb');
    const store = await openStore(path);
    await store.saveScan(buildSnapshot([buildAccount('111111111111')]));
    const latest = buildSnapshot([buildAccount('222222222222')]);
    await store.saveScan(latest);
    store.close();
    const ctx = quietContext();
    expect(await loadEstate(ctx, { store: path })).toEqual(latest);
    expect(ctx.logs.join('\n')).toMatch(/using scan \S+ from/);
  });
});
