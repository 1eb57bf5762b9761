import type { DuckDBConnection } from '@duckdb/node-api';
import { describeRemediationFailure, type AccountAccess } from './accounts.js';
import type { DeniedCallSource } from './activity-source.js';
import {
  completeOperation,
  markStepDone,
  markStepIntent,
  pendingOperations,
  recordOperations,
  recordOperationError,
  userOperations,
  getOperation,
  allOperations,
  type JournalOperation,
} from './journal.js';
import {
  activityScreams,
  daysBetween,
  finishGate,
  keyScreams,
  lifecycleOf,
  switchOffsOf,
  type Scream,
  type Stage,
} from './lifecycle.js';
import {
  planFinish,
  planRestore,
  planRollback,
  planStart,
  type OperationKind,
  type PlannedStep,
  type UserState,
} from './plan-steps.js';
import type { ReadinessFact } from './readiness.js';
import type { SafetyVerdict } from './safety.js';
import { formatUserRef, type UserRef } from '../model/user-ref.js';

export interface EngineDeps {
  connection: DuckDBConnection;
  access: AccountAccess;
  /** Step times are real instants (screams compare key use against them), so a clock, not one `now`. */
  clock: () => Date;
  newId: () => string;
  /** Test-only crash hook, wired at the CLI edge: runs after a step's AWS call, before its journal write. */
  afterCall?: (step: PlannedStep) => void;
}

/** What a command would do to one user: shown in a dry run, journaled and run with --apply. */
export interface Proposal {
  kind: OperationKind;
  target: UserRef;
  steps: PlannedStep[];
  priorState: UserState | null;
  relatedOpId: string | null;
  /** Non-empty: the user is left alone, for these reasons. */
  refusals: string[];
  /** Nothing to do (e.g. already watching); not an error. */
  skip: string | null;
  overridden: string[];
  notes: string[];
  /** The instant the proposal stands for; a start's `roleshift:since` tag and its journal entry share it. */
  at: string | null;
}

function proposal(kind: OperationKind, target: UserRef, fields: Partial<Proposal>): Proposal {
  return {
    kind,
    target,
    steps: [],
    priorState: null,
    relatedOpId: null,
    refusals: [],
    skip: null,
    overridden: [],
    notes: [],
    at: null,
    ...fields,
  };
}

async function lifecycleFor(deps: EngineDeps, target: UserRef) {
  return lifecycleOf(await userOperations(deps.connection, target.accountId, target.userName));
}

function interrupted(kind: OperationKind, pending: JournalOperation): string {
  return `an interrupted ${pending.kind} (${pending.opId}) is pending for this user: run "roleshift remediate resume" before ${kind}`;
}

export async function proposeStart(
  deps: EngineDeps,
  target: UserRef,
  options: {
    now: Date;
    safety: (state: UserState, live?: readonly ReadinessFact[]) => SafetyVerdict;
    /** Reads the planned replacement live (deployed, used, old key quiet) before the verdict. */
    readiness?: (state: UserState) => Promise<ReadinessFact[]>;
  },
): Promise<Proposal> {
  const lifecycle = await lifecycleFor(deps, target);
  if (lifecycle.pending) return proposal('start', target, { refusals: [interrupted('start', lifecycle.pending)] });
  if (lifecycle.stage === 'watching' && lifecycle.activeStart) {
    return proposal('start', target, { skip: `already watching since ${lifecycle.activeStart.createdAt}` });
  }
  if (lifecycle.stage === 'deleted')
    return proposal('start', target, {
      refusals: ['the user was deleted by "remediate finish"; "remediate restore" brings it back'],
    });
  const gateway = await deps.access.gatewayFor(target.accountId);
  const state = await gateway.readUser(target.userName);
  if (!state)
    return proposal('start', target, { refusals: [`no IAM user ${target.userName} in account ${target.accountId}`] });
  const verdict = options.safety(state, options.readiness ? await options.readiness(state) : []);
  return proposal('start', target, {
    steps: verdict.allowed ? planStart(state, options.now) : [],
    at: options.now.toISOString(),
    priorState: state,
    refusals: verdict.refusals,
    overridden: verdict.overridden,
    notes: verdict.notes,
  });
}

export async function proposeRollback(deps: EngineDeps, target: UserRef): Promise<Proposal> {
  const lifecycle = await lifecycleFor(deps, target);
  if (lifecycle.pending)
    return proposal('rollback', target, { refusals: [interrupted('rollback', lifecycle.pending)] });
  if (lifecycle.stage === 'deleted')
    return proposal('rollback', target, {
      refusals: ['the user was deleted by "remediate finish": use "remediate restore"'],
    });
  if (!lifecycle.activeStart)
    return proposal('rollback', target, { skip: `nothing to roll back (stage: ${lifecycle.stage})` });
  const start = lifecycle.activeStart;
  const gateway = await deps.access.gatewayFor(target.accountId);
  const live = await gateway.readUser(target.userName);
  if (!live)
    return proposal('rollback', target, {
      refusals: [
        `no IAM user ${target.userName} in account ${target.accountId} any more: it was deleted outside roleshift`,
      ],
    });
  // A key deleted by someone during the watch cannot be switched back on; planning against the
  // live user says so up front instead of failing half way through.
  const liveKeys = new Set(live.accessKeys.map((key) => key.accessKeyId));
  const gone = (step: PlannedStep): boolean =>
    step.inverse?.api === 'UpdateAccessKey' && !liveKeys.has(step.inverse.params.AccessKeyId);
  const notes = start.steps
    .filter(gone)
    .map(
      (step) =>
        `access key ${step.inverse?.api === 'UpdateAccessKey' ? step.inverse.params.AccessKeyId : ''} was deleted since the start: it cannot be switched back on`,
    );
  return proposal('rollback', target, {
    steps: planRollback(
      target.accountId,
      target.userName,
      start.steps.filter((step) => !gone(step)),
    ),
    priorState: start.priorState,
    relatedOpId: start.opId,
    notes,
  });
}

export interface ScreamCheck {
  screams: Scream[] | null;
  /** Why screams could not be checked (an AWS error); null when they were. */
  error: string | null;
}

/** Live last-used data for every key the start switched off, plus denied calls from activity data. */
export async function checkScreams(
  deps: EngineDeps,
  start: JournalOperation,
  activity: DeniedCallSource,
): Promise<ScreamCheck> {
  const switchOffs = switchOffsOf(start);
  const who = {
    accountId: start.accountId,
    userName: start.userName,
    accessKeyIds: switchOffs.map((key) => key.accessKeyId),
  };
  const fromActivity = activityScreams(await activity(who, start.createdAt), who, start.createdAt);
  try {
    const gateway = await deps.access.gatewayFor(start.accountId);
    const lastUsed = new Map<string, string | null>();
    for (const key of switchOffs) lastUsed.set(key.accessKeyId, await gateway.accessKeyLastUsed(key.accessKeyId));
    return { screams: [...keyScreams(switchOffs, lastUsed), ...fromActivity], error: null };
  } catch (error) {
    return {
      screams: null,
      error: describeRemediationFailure(error),
    };
  }
}

export async function proposeFinish(
  deps: EngineDeps,
  target: UserRef,
  options: { now: Date; watchDays: number; activity: DeniedCallSource; safety: (state: UserState) => SafetyVerdict },
): Promise<Proposal> {
  const lifecycle = await lifecycleFor(deps, target);
  if (lifecycle.pending) return proposal('finish', target, { refusals: [interrupted('finish', lifecycle.pending)] });
  if (lifecycle.stage === 'deleted') return proposal('finish', target, { skip: 'already deleted' });
  const check = lifecycle.activeStart
    ? await checkScreams(deps, lifecycle.activeStart, options.activity)
    : { screams: [], error: null };
  const gate = finishGate(lifecycle, { now: options.now, watchDays: options.watchDays, screams: check.screams });
  const refusals = [...(check.error ? [check.error] : []), ...gate.reasons];
  if (refusals.length > 0) return proposal('finish', target, { refusals });
  const gateway = await deps.access.gatewayFor(target.accountId);
  const backup = await gateway.readUser(target.userName);
  if (!backup)
    return proposal('finish', target, {
      refusals: [`no IAM user ${target.userName} in account ${target.accountId} any more`],
    });
  const verdict = options.safety(backup);
  return proposal('finish', target, {
    steps: verdict.allowed ? planFinish(backup) : [],
    priorState: backup,
    relatedOpId: lifecycle.activeStart?.opId ?? null,
    refusals: verdict.refusals,
    overridden: verdict.overridden,
    notes: verdict.notes,
  });
}

export async function proposeRestore(deps: EngineDeps, target: UserRef): Promise<Proposal> {
  const lifecycle = await lifecycleFor(deps, target);
  if (lifecycle.pending) return proposal('restore', target, { refusals: [interrupted('restore', lifecycle.pending)] });
  if (lifecycle.stage === 'restored') return proposal('restore', target, { skip: 'already restored' });
  const finish = lifecycle.lastFinish;
  if (!finish?.priorState)
    return proposal('restore', target, {
      refusals: [`nothing to restore: the user is ${lifecycle.stage}, not deleted by roleshift`],
    });
  const gateway = await deps.access.gatewayFor(target.accountId);
  if (await gateway.readUser(target.userName)) {
    return proposal('restore', target, {
      refusals: [
        `a user named ${target.userName} exists again in ${target.accountId}; roleshift will not overwrite it`,
      ],
    });
  }
  return proposal('restore', target, {
    steps: planRestore(finish.priorState),
    priorState: finish.priorState,
    relatedOpId: finish.opId,
    notes: [
      'new credentials must be issued: access keys, console password, MFA devices, signing certificates and SSH keys are never restored',
    ],
  });
}

/** Runs every step not yet done, in order. Each step is marked intent before and done after its call. */
export async function runOperation(deps: EngineDeps, operation: JournalOperation): Promise<void> {
  const gateway = await deps.access.gatewayFor(operation.accountId);
  for (const step of operation.steps) {
    if (step.status === 'done') continue;
    await markStepIntent(deps.connection, operation.opId, step.seq, deps.clock().toISOString());
    let outcome: 'applied' | 'already';
    try {
      outcome = await gateway.execute(step.call);
    } catch (error) {
      const message = `${step.stepId}: ${describeRemediationFailure(error)}`;
      await recordOperationError(deps.connection, operation.opId, message);
      throw new RemediationStepError(message);
    }
    deps.afterCall?.(step);
    await markStepDone(deps.connection, operation.opId, step.seq, deps.clock().toISOString(), outcome);
  }
  await completeOperation(deps.connection, operation.opId, deps.clock().toISOString());
}

export class RemediationStepError extends Error {
  override readonly name = 'RemediationStepError';
}

function newOperation(deps: EngineDeps, chosen: Proposal, opId: string) {
  return {
    opId,
    kind: chosen.kind,
    accountId: chosen.target.accountId,
    userName: chosen.target.userName,
    createdAt: chosen.at ?? deps.clock().toISOString(),
    relatedOpId: chosen.relatedOpId,
    priorState: chosen.priorState,
    notes: [...chosen.overridden.map((what) => `--force overrode: ${what}`), ...chosen.notes],
  };
}

/**
 * Journals every proposal of one command (backups and steps) in one transaction before any AWS
 * call, so a crash anywhere in the command leaves every user pending for `resume`.
 */
export async function journalProposals(deps: EngineDeps, chosen: readonly Proposal[]): Promise<JournalOperation[]> {
  const entries = chosen.map((proposal) => ({
    operation: newOperation(deps, proposal, deps.newId()),
    steps: proposal.steps,
  }));
  await recordOperations(deps.connection, entries);
  const recorded: JournalOperation[] = [];
  for (const { operation } of entries) {
    const found = await getOperation(deps.connection, operation.opId);
    if (!found) throw new Error(`journal lost operation ${operation.opId}`);
    recorded.push(found);
  }
  return recorded;
}

/** Journals the proposal (backup and every step, before any AWS call), then runs it. */
export async function applyProposal(deps: EngineDeps, chosen: Proposal): Promise<JournalOperation> {
  const [recorded] = await journalProposals(deps, [chosen]);
  if (!recorded) throw new Error('journal lost an operation');
  await runOperation(deps, recorded);
  return (await getOperation(deps.connection, recorded.opId)) ?? recorded;
}

/**
 * Completes every operation a crash or an error left pending, oldest first. A call that fails
 * again leaves its operation pending and is reported; the other operations still run.
 */
export async function resumeAll(
  deps: EngineDeps,
): Promise<{ completed: JournalOperation[]; failed: Array<{ operation: JournalOperation; error: string }> }> {
  const completed: JournalOperation[] = [];
  const failed: Array<{ operation: JournalOperation; error: string }> = [];
  for (const operation of await pendingOperations(deps.connection)) {
    try {
      await runOperation(deps, operation);
      completed.push(operation);
    } catch (error) {
      if (!(error instanceof RemediationStepError)) throw error;
      failed.push({ operation, error: error.message });
    }
  }
  return { completed, failed };
}

export interface UserStatus {
  user: string;
  accountId: string;
  userName: string;
  stage: Stage;
  since: string | null;
  daysInWatch: number | null;
  screams: Scream[] | null;
  screamError: string | null;
  pending: { kind: OperationKind; opId: string; lastError: string | null } | null;
}

/** One line per user roleshift has touched, with live screams for users in watch. */
export async function statusAll(
  deps: EngineDeps,
  options: { now: Date; activity: DeniedCallSource; only?: readonly UserRef[] },
): Promise<UserStatus[]> {
  const operations = await allOperations(deps.connection);
  const byUser = new Map<string, JournalOperation[]>();
  for (const operation of operations) {
    const key = formatUserRef(operation);
    byUser.set(key, [...(byUser.get(key) ?? []), operation]);
  }
  const wanted = options.only && options.only.length > 0 ? new Set(options.only.map(formatUserRef)) : null;
  const statuses: UserStatus[] = [];
  for (const [user, ops] of [...byUser.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    if (wanted && !wanted.has(user)) continue;
    const first = ops[0];
    if (!first) continue;
    const lifecycle = lifecycleOf(ops);
    const start = lifecycle.activeStart;
    const check = start ? await checkScreams(deps, start, options.activity) : { screams: [], error: null };
    statuses.push({
      user,
      accountId: first.accountId,
      userName: first.userName,
      stage: lifecycle.stage,
      since: start?.createdAt ?? null,
      daysInWatch: start ? daysBetween(start.createdAt, options.now) : null,
      screams: check.screams,
      screamError: check.error,
      pending: lifecycle.pending
        ? { kind: lifecycle.pending.kind, opId: lifecycle.pending.opId, lastError: lifecycle.pending.lastError }
        : null,
    });
  }
  return statuses;
}
