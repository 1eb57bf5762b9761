import { describe, expect, it } from 'vitest';
import { buildAccount, buildSnapshot, buildUser } from '../../test/fixtures/build-snapshot.js';
import { snapshotJsonChunks } from './snapshot-json.js';

describe('snapshotJsonChunks', () => {
  const snapshot = buildSnapshot(
    [
      buildAccount('111111111111', { users: [buildUser('ann', { tags: { note: 'line\nbreak "quoted"' } })] }),
      buildAccount('222222222222'),
    ],
    {
      gaps: [{ accountId: null, region: null, api: 'organizations:ListAccounts', errorCode: 'X', message: 'm' }],
      usage: undefined,
    },
  );

  it('Given a snapshot with accounts, When written in pieces, Then the pieces join to exactly what JSON.stringify writes, pretty and compact', () => {
    expect([...snapshotJsonChunks(snapshot, 2)].join('')).toBe(JSON.stringify(snapshot, null, 2));
    expect([...snapshotJsonChunks(snapshot, 0)].join('')).toBe(JSON.stringify(snapshot));
  });

  it('Given a snapshot without accounts, When written in pieces, Then it is still what JSON.stringify writes', () => {
    const empty = { ...snapshot, accounts: [] };
    expect([...snapshotJsonChunks(empty, 2)].join('')).toBe(JSON.stringify(empty, null, 2));
    expect([...snapshotJsonChunks(empty, 0)].join('')).toBe(JSON.stringify(empty));
  });

  it('Given two accounts, When written in pieces, Then each account is its own piece', () => {
    const pieces = [...snapshotJsonChunks(snapshot, 0)];
    expect(pieces.filter((piece) => piece.includes('"accountId":"111111111111"'))).toHaveLength(1);
    expect(pieces.filter((piece) => piece.includes('"accountId":"222222222222"'))).toHaveLength(1);
  });
});
