import type { DuckDBConnection } from '@duckdb/node-api';
import { applyMigrations, appliedVersion, type Migration } from '../store/migrate.js';
import type { IamCall, OperationKind, PlannedStep, UserState } from './plan-steps.js';

/**
 * The remediation journal, in the store's DuckDB file. An operation (one command on one user)
 * is written with all its planned steps and the user's full prior state in one transaction
 * before any AWS call; each step is then marked `intent` before its call and `done` after it.
 * A crash leaves at most one step in `intent`, and every call is idempotent, so `resume`
 * simply runs the operation's unfinished steps again.
 */

const JOURNAL_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    statements: [
      `CREATE TABLE remediation_operations (
         op_id VARCHAR PRIMARY KEY,
         kind VARCHAR NOT NULL,
         account_id VARCHAR NOT NULL,
         user_name VARCHAR NOT NULL,
         status VARCHAR NOT NULL,
         created_at VARCHAR NOT NULL,
         finished_at VARCHAR,
         related_op_id VARCHAR,
         prior_state VARCHAR NOT NULL,
         notes VARCHAR NOT NULL,
         last_error VARCHAR
       )`,
      `CREATE TABLE remediation_steps (
         op_id VARCHAR NOT NULL,
         seq INTEGER NOT NULL,
         step_id VARCHAR NOT NULL,
         api VARCHAR NOT NULL,
         call VARCHAR NOT NULL,
         inverse VARCHAR,
         prior VARCHAR,
         status VARCHAR NOT NULL,
         intended_at VARCHAR,
         done_at VARCHAR,
         outcome VARCHAR,
         PRIMARY KEY (op_id, seq)
       )`,
    ],
  },
];

const JOURNAL_COMPONENT = 'remediation-journal';

export async function ensureJournalTables(connection: DuckDBConnection): Promise<void> {
  await applyMigrations(connection, JOURNAL_COMPONENT, JOURNAL_MIGRATIONS);
}

export type OperationStatus = 'pending' | 'done';
export type StepStatus = 'planned' | 'intent' | 'done';

export interface JournalStep extends PlannedStep {
  status: StepStatus;
  intendedAt: string | null;
  doneAt: string | null;
  outcome: string | null;
}

export interface JournalOperation {
  opId: string;
  kind: OperationKind;
  accountId: string;
  userName: string;
  status: OperationStatus;
  createdAt: string;
  finishedAt: string | null;
  /** The start a rollback undoes, or the finish a restore recreates from. */
  relatedOpId: string | null;
  /** The user as read live just before this operation: for a finish, the complete backup. */
  priorState: UserState | null;
  notes: string[];
  lastError: string | null;
  steps: JournalStep[];
}

export interface NewOperation {
  opId: string;
  kind: OperationKind;
  accountId: string;
  userName: string;
  createdAt: string;
  relatedOpId: string | null;
  priorState: UserState | null;
  notes: string[];
}

async function inTransaction(connection: DuckDBConnection, work: () => Promise<void>): Promise<void> {
  await connection.run('BEGIN TRANSACTION');
  try {
    await work();
    await connection.run('COMMIT');
  } catch (error) {
    await connection.run('ROLLBACK');
    throw error;
  }
}

async function insertOperation(
  connection: DuckDBConnection,
  operation: NewOperation,
  steps: readonly PlannedStep[],
): Promise<void> {
  await connection.run(
    `INSERT INTO remediation_operations
       (op_id, kind, account_id, user_name, status, created_at, related_op_id, prior_state, notes)
     VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7, $8)`,
    [
      operation.opId,
      operation.kind,
      operation.accountId,
      operation.userName,
      operation.createdAt,
      operation.relatedOpId,
      JSON.stringify(operation.priorState),
      JSON.stringify(operation.notes),
    ],
  );
  for (const step of steps) {
    await connection.run(
      `INSERT INTO remediation_steps (op_id, seq, step_id, api, call, inverse, prior, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'planned')`,
      [
        operation.opId,
        step.seq,
        step.stepId,
        step.call.api,
        JSON.stringify(step.call),
        step.inverse ? JSON.stringify(step.inverse) : null,
        JSON.stringify(step.prior),
      ],
    );
  }
}

/** Writes the operation, its backup and every planned step at once: all or nothing. */
export async function recordOperation(
  connection: DuckDBConnection,
  operation: NewOperation,
  steps: readonly PlannedStep[],
): Promise<void> {
  await inTransaction(connection, () => insertOperation(connection, operation, steps));
}

/**
 * Writes every operation of one command at once, before any AWS call: a crash part way through
 * the command leaves all of them pending, so `resume` completes every user, not only the one in flight.
 */
export async function recordOperations(
  connection: DuckDBConnection,
  operations: ReadonlyArray<{ operation: NewOperation; steps: readonly PlannedStep[] }>,
): Promise<void> {
  await inTransaction(connection, async () => {
    for (const { operation, steps } of operations) await insertOperation(connection, operation, steps);
  });
}

export async function markStepIntent(
  connection: DuckDBConnection,
  opId: string,
  seq: number,
  at: string,
): Promise<void> {
  await connection.run(
    `UPDATE remediation_steps SET status = 'intent', intended_at = $3 WHERE op_id = $1 AND seq = $2 AND status <> 'done'`,
    [opId, seq, at],
  );
}

export async function markStepDone(
  connection: DuckDBConnection,
  opId: string,
  seq: number,
  at: string,
  outcome: string,
): Promise<void> {
  await connection.run(
    `UPDATE remediation_steps SET status = 'done', done_at = $3, outcome = $4 WHERE op_id = $1 AND seq = $2`,
    [opId, seq, at, outcome],
  );
}

export async function completeOperation(connection: DuckDBConnection, opId: string, at: string): Promise<void> {
  await connection.run(
    `UPDATE remediation_operations SET status = 'done', finished_at = $2, last_error = NULL WHERE op_id = $1`,
    [opId, at],
  );
}

/** A failed call leaves the operation pending (resume retries it) with the reason beside it. */
export async function recordOperationError(connection: DuckDBConnection, opId: string, message: string): Promise<void> {
  await connection.run('UPDATE remediation_operations SET last_error = $2 WHERE op_id = $1', [opId, message]);
}

function text(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

function parseJson<T>(value: unknown): T {
  return JSON.parse(String(value)) as T;
}

async function loadOperations(
  connection: DuckDBConnection,
  where: string,
  values: string[],
): Promise<JournalOperation[]> {
  const operations = (
    await connection.runAndReadAll(
      `SELECT * FROM remediation_operations WHERE ${where} ORDER BY created_at, op_id`,
      values,
    )
  ).getRowObjectsJS();
  if (operations.length === 0) return [];
  const ids = operations.map((row) => String(row.op_id));
  const placeholders = ids.map((_, index) => `$${index + 1}`).join(', ');
  const stepRows = (
    await connection.runAndReadAll(
      `SELECT * FROM remediation_steps WHERE op_id IN (${placeholders}) ORDER BY op_id, seq`,
      ids,
    )
  ).getRowObjectsJS();
  return operations.map((row) => ({
    opId: String(row.op_id),
    kind: String(row.kind) as OperationKind,
    accountId: String(row.account_id),
    userName: String(row.user_name),
    status: String(row.status) as OperationStatus,
    createdAt: String(row.created_at),
    finishedAt: text(row.finished_at),
    relatedOpId: text(row.related_op_id),
    priorState: parseJson<UserState | null>(row.prior_state),
    notes: parseJson<string[]>(row.notes),
    lastError: text(row.last_error),
    steps: stepRows
      .filter((step) => step.op_id === row.op_id)
      .map((step) => ({
        stepId: String(step.step_id),
        seq: Number(step.seq),
        call: parseJson<IamCall>(step.call),
        inverse: step.inverse === null ? null : parseJson<IamCall>(step.inverse),
        prior: parseJson<unknown>(step.prior),
        status: String(step.status) as StepStatus,
        intendedAt: text(step.intended_at),
        doneAt: text(step.done_at),
        outcome: text(step.outcome),
      })),
  }));
}

export async function pendingOperations(connection: DuckDBConnection): Promise<JournalOperation[]> {
  return loadOperations(connection, `status = 'pending'`, []);
}

/** Every operation on one user, oldest first. */
export async function userOperations(
  connection: DuckDBConnection,
  accountId: string,
  userName: string,
): Promise<JournalOperation[]> {
  return loadOperations(connection, 'account_id = $1 AND user_name = $2', [accountId, userName]);
}

export async function allOperations(connection: DuckDBConnection): Promise<JournalOperation[]> {
  return loadOperations(connection, 'true', []);
}

/** Every operation, or null when nothing was ever remediated: reading the journal never creates it. */
export async function journalIfAny(connection: DuckDBConnection): Promise<JournalOperation[] | null> {
  if ((await appliedVersion(connection, JOURNAL_COMPONENT)) === 0) return null;
  return allOperations(connection);
}

export async function getOperation(connection: DuckDBConnection, opId: string): Promise<JournalOperation | null> {
  return (await loadOperations(connection, 'op_id = $1', [opId]))[0] ?? null;
}
