import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../store/store.js';
import {
  allOperations,
  completeOperation,
  ensureJournalTables,
  getOperation,
  markStepDone,
  markStepIntent,
  pendingOperations,
  recordOperation,
  userOperations,
  type NewOperation,
} from './journal.js';
import { planStart, type UserState } from './plan-steps.js';

const STATE: UserState = {
  accountId: '111111111111',
  userName: "o'brien",
  arn: "arn:aws:iam::111111111111:user/o'brien",
  userId: 'AIDA1',
  path: '/',
  permissionsBoundaryArn: null,
  tags: [{ Key: 'note', Value: "'); DROP TABLE remediation_steps; --" }],
  accessKeys: [{ accessKeyId: 'AKIA1', status: 'Active' }],
  loginProfile: { passwordResetRequired: false },
  inlinePolicies: [{ name: 'p', document: '{"Version": "2012-10-17" }' }],
  attachedPolicies: [],
  groups: [],
  mfaDevices: [],
  signingCertificates: [],
  sshPublicKeys: [],
  serviceSpecificCredentials: [],
};

function newOperation(overrides: Partial<NewOperation> = {}): NewOperation {
  return {
    opId: 'op-1',
    kind: 'start',
    accountId: STATE.accountId,
    userName: STATE.userName,
    createdAt: '2026-11-23T10:00:00.000Z',
    relatedOpId: null,
    priorState: STATE,
    notes: [],
    ...overrides,
  };
}

describe('the remediation journal', () => {
  const stores: Store[] = [];
  const dirs: string[] = [];
  afterEach(() => {
    for (const store of stores.splice(0)) store.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  async function memoryStore(): Promise<Store> {
    const store = await openStore(':memory:');
    stores.push(store);
    await ensureJournalTables(store.connection);
    return store;
  }

  it('Given an operation with its steps and backup, When read back, Then everything round-trips exactly, hostile strings included', async () => {
    const store = await memoryStore();
    const steps = planStart(STATE, new Date('2026-11-23T10:00:00.000Z'));
    await recordOperation(store.connection, newOperation(), steps);
    const operation = await getOperation(store.connection, 'op-1');
    expect(operation?.priorState).toEqual(STATE);
    expect(operation?.status).toBe('pending');
    expect(
      operation?.steps.map(({ stepId, seq, call, inverse, prior }) => ({ stepId, seq, call, inverse, prior })),
    ).toEqual(steps);
    expect(operation?.steps.every((step) => step.status === 'planned')).toBe(true);
    expect(await userOperations(store.connection, '111111111111', "o'brien")).toHaveLength(1);
  });

  it('Given a step, When marked intent then done, Then a late intent never turns a done step back', async () => {
    const store = await memoryStore();
    await recordOperation(store.connection, newOperation(), planStart(STATE, new Date()));
    await markStepIntent(store.connection, 'op-1', 1, '2026-11-23T10:00:01Z');
    expect((await getOperation(store.connection, 'op-1'))?.steps[0]).toMatchObject({
      status: 'intent',
      intendedAt: '2026-11-23T10:00:01Z',
    });
    await markStepDone(store.connection, 'op-1', 1, '2026-11-23T10:00:02Z', 'applied');
    await markStepIntent(store.connection, 'op-1', 1, '2026-11-23T10:00:03Z');
    expect((await getOperation(store.connection, 'op-1'))?.steps[0]).toMatchObject({
      status: 'done',
      doneAt: '2026-11-23T10:00:02Z',
      outcome: 'applied',
    });
    expect(await pendingOperations(store.connection)).toHaveLength(1);
    await completeOperation(store.connection, 'op-1', '2026-11-23T10:00:04Z');
    expect(await pendingOperations(store.connection)).toEqual([]);
  });

  it('Given a step that cannot be written, When the operation is recorded, Then nothing of it is kept (all or nothing)', async () => {
    const store = await memoryStore();
    const [first] = planStart(STATE, new Date());
    if (!first) throw new Error('no step');
    await expect(recordOperation(store.connection, newOperation(), [first, first])).rejects.toThrow();
    expect(await allOperations(store.connection)).toEqual([]);
  });

  it('Given a journal in a file, When the store is closed and opened again, Then the pending operation is still there and the tables are not recreated', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'roleshift-journal-'));
    dirs.push(dir);
    const path = join(dir, 'store.duckdb');
    const first = await openStore(path);
    await ensureJournalTables(first.connection);
    await recordOperation(first.connection, newOperation(), planStart(STATE, new Date()));
    first.close();
    const second = await openStore(path);
    stores.push(second);
    await ensureJournalTables(second.connection);
    expect((await pendingOperations(second.connection)).map((operation) => operation.opId)).toEqual(['op-1']);
  });
});
