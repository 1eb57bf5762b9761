/**
 * `remediate`: the reversible scream test as steps a command calls in turn. `openRemediation`
 * opens the journal and the AWS access; a session then proposes (pure plans of IAM calls, with
 * the safety facts of the one assessment pipeline or of a plan file), applies what was
 * confirmed, reports status, or resumes interrupted work.
 */
import { existsSync } from 'node:fs';
import { DEFAULT_CONFIG } from '../config.js';
import { InputFileError, UserInputError } from '../errors.js';
import { formatUserRef, parseUserRef, type UserRef } from '../model/user-ref.js';
import { createAccountAccess, describeRemediationFailure } from '../remediate/accounts.js';
import { deniedCallsFromStore, NO_ACTIVITY, type DeniedCallSource } from '../remediate/activity-source.js';
import {
  applyProposal,
  proposeFinish,
  proposeRestore,
  proposeRollback,
  proposeStart,
  RemediationStepError,
  resumeAll,
  statusAll,
  type EngineDeps,
  type Proposal,
  type UserStatus,
} from '../remediate/engine.js';
import { ensureJournalTables, pendingOperations, type JournalOperation } from '../remediate/journal.js';
import { parsePlanFile } from '../remediate/plan-file.js';
import type { UserState } from '../remediate/plan-steps.js';
import { safetyFor, type PlanEntryFacts, type SafetyVerdict } from '../remediate/safety.js';
import { openStore, type Store } from '../store/store.js';
import { assessEstate } from './assess.js';
import { loadEstate, type EstateRequest, type RunContext } from './estate.js';
import { readTextFile } from './files.js';

// What the command shows of proposals, statuses and calls: the remediate module's own types and wording.
export type { Proposal, UserStatus } from '../remediate/engine.js';
export { describeCall, QUARANTINE_POLICY_NAME } from '../remediate/plan-steps.js';
export { DEFAULT_REMEDIATE_ROLE } from '../remediate/accounts.js';

/** Called after each AWS call, before its journal write. */
export type AfterCall = NonNullable<EngineDeps['afterCall']>;

export const REMEDIATE_ACTIONS = ['start', 'status', 'rollback', 'finish', 'restore', 'resume'] as const;
export type RemediateAction = (typeof REMEDIATE_ACTIONS)[number];
export type ProposingAction = Exclude<RemediateAction, 'status' | 'resume'>;

export interface RemediateRequest {
  apply: boolean;
  /** Override the break-glass, exception and readiness refusals (and say so). */
  force: boolean;
  /** Role assumed in every account but the caller's own. */
  roleName: string;
  /** `--plan FILE`: safety facts from a saved plan instead of planning the estate. */
  planFile?: string;
  /** The estate planned for the safety facts, and the store holding the journal. */
  estate: EstateRequest;
}

export interface RemediatePorts extends RunContext {
  clock: () => Date;
  newId: () => string;
  /** The crash tests stop the process here. */
  afterCall?: AfterCall;
  /** `--debug`: a failed call's message carries the raw answer too. */
  debug?: boolean;
}

export interface Applied {
  user: string;
  kind: Proposal['kind'];
  opId: string;
  calls: number;
}

export interface RemediationSession {
  /** Whether CloudTrail activity in the store can tell screams. */
  readonly hasActivity: boolean;
  status(targets: readonly UserRef[]): Promise<UserStatus[]>;
  pending(): Promise<JournalOperation[]>;
  resume(): ReturnType<typeof resumeAll>;
  /** One proposal per user; a user that cannot be read is a failure and never stops the others. */
  propose(action: ProposingAction, targets: readonly UserRef[]): Promise<{ proposals: Proposal[]; failures: string[] }>;
  /** Applies proposals one by one; a failed call leaves its operation pending for `resume`. */
  apply(proposals: readonly Proposal[]): Promise<{ done: Applied[]; failures: string[] }>;
  close(): void;
}

function readPlanEntries(file: string): PlanEntryFacts[] {
  const parsed = parsePlanFile(readTextFile(file, 'plan file'));
  if (!parsed.ok) throw new InputFileError(file, parsed.problem);
  return parsed.entries;
}

/** Named users, else (start and finish) every user of the plan file. */
export function remediationTargets(
  action: RemediateAction,
  users: readonly string[],
  planFile: string | undefined,
): UserRef[] {
  if (planFile !== undefined && action !== 'start' && action !== 'finish')
    throw new UserInputError('--plan works with "remediate start" and "remediate finish" only');
  // The same user named twice (say by name and by ARN) must be one operation, not two.
  const refs = [...new Map(users.map(parseUserRef).map((ref) => [formatUserRef(ref), ref])).values()];
  if (refs.length === 0 && planFile !== undefined) {
    return readPlanEntries(planFile).map((entry) => ({ accountId: entry.accountId, userName: entry.userName }));
  }
  if (refs.length === 0 && action !== 'status' && action !== 'resume') {
    throw new UserInputError(
      `remediate ${action} needs at least one user (ACCOUNT_ID/USER_NAME or ARN)${action === 'start' || action === 'finish' ? ' or --plan FILE' : ''}`,
    );
  }
  return refs;
}

/** Safety facts for start and finish: the plan file, else the estate planned by the one pipeline. */
async function loadSafety(
  request: RemediateRequest,
  context: RunContext,
): Promise<(state: UserState) => SafetyVerdict> {
  const common = { overrideTagKey: DEFAULT_CONFIG.classification.overrideTagKey, force: request.force };
  if (request.planFile !== undefined) {
    const byUser = new Map(
      readPlanEntries(request.planFile).map((entry) => [`${entry.accountId}/${entry.userName}`, entry]),
    );
    return safetyFor({
      ...common,
      entries: byUser,
      classSource: 'plan file',
      missingReason: `not in ${request.planFile}`,
    });
  }
  let entries: PlanEntryFacts[];
  try {
    entries = (await assessEstate((await loadEstate(request.estate, context)).estate)).plan.users;
  } catch (error) {
    if (!(error instanceof UserInputError) || !request.force) throw error;
    context.notes.warn(
      `--force: going on without an estate (${error.message}); break-glass detection uses live tags and names only`,
    );
    return safetyFor({
      ...common,
      entries: null,
      classSource: 'tags and name',
      missingReason: 'no estate to plan from',
    });
  }
  const byUser = new Map(entries.map((entry) => [`${entry.accountId}/${entry.userName}`, entry]));
  return safetyFor({
    ...common,
    entries: byUser,
    classSource: 'classifier',
    missingReason: 'not in the latest scan: scan again',
  });
}

async function proposeAll(
  deps: EngineDeps,
  action: ProposingAction,
  targets: readonly UserRef[],
  options: { request: RemediateRequest; context: RunContext; activity: DeniedCallSource; debug: boolean },
): Promise<{ proposals: Proposal[]; failures: string[] }> {
  const { request, context, activity, debug } = options;
  const safety = action === 'start' || action === 'finish' ? await loadSafety(request, context) : null;
  const watchDays = request.estate.config.remediation.watchDays;
  const proposals: Proposal[] = [];
  const failures: string[] = [];
  for (const target of targets) {
    try {
      if (action === 'start' && safety) proposals.push(await proposeStart(deps, target, { now: context.now, safety }));
      else if (action === 'finish' && safety)
        proposals.push(await proposeFinish(deps, target, { now: context.now, watchDays, activity, safety }));
      else if (action === 'rollback') proposals.push(await proposeRollback(deps, target));
      else if (action === 'restore') proposals.push(await proposeRestore(deps, target));
    } catch (error) {
      failures.push(
        `${action} ${formatUserRef(target)}: could not read the user: ${describeRemediationFailure(error, debug)}`,
      );
    }
  }
  return { proposals, failures };
}

async function applyAll(
  deps: EngineDeps,
  proposals: readonly Proposal[],
  notes: RunContext['notes'],
): Promise<{ done: Applied[]; failures: string[] }> {
  const done: Applied[] = [];
  const failures: string[] = [];
  for (const proposal of proposals) {
    const user = formatUserRef(proposal.target);
    try {
      const operation = await applyProposal(deps, proposal);
      done.push({ user, kind: proposal.kind, opId: operation.opId, calls: operation.steps.length });
    } catch (error) {
      if (!(error instanceof RemediationStepError)) throw error;
      failures.push(`${proposal.kind} ${user} stopped at ${error.message}`);
      notes.warn(
        `${proposal.kind} ${user} stopped at ${error.message}; the journal keeps it pending: fix the cause, then run "roleshift remediate resume --apply"`,
      );
    }
  }
  return { done, failures };
}

function sessionOf(
  store: Store,
  deps: EngineDeps,
  activity: DeniedCallSource | null,
  request: RemediateRequest,
  ports: RemediatePorts,
): RemediationSession {
  const source = activity ?? NO_ACTIVITY;
  return {
    hasActivity: activity !== null,
    status: (targets) => statusAll(deps, { now: ports.now, activity: source, only: [...targets] }),
    pending: () => pendingOperations(store.connection),
    resume: () => resumeAll(deps),
    propose: (action, targets) =>
      proposeAll(deps, action, targets, { request, context: ports, activity: source, debug: ports.debug ?? false }),
    apply: (proposals) => applyAll(deps, proposals, ports.notes),
    close: () => store.close(),
  };
}

export async function openRemediation(request: RemediateRequest, ports: RemediatePorts): Promise<RemediationSession> {
  const path = request.estate.storePath;
  // A dry run must leave no trace: without a store yet, plan against an empty in-memory journal.
  const store = await openStore(!request.apply && !existsSync(path) ? ':memory:' : path);
  try {
    await ensureJournalTables(store.connection);
    const deps: EngineDeps = {
      connection: store.connection,
      access: createAccountAccess({ roleName: request.roleName }),
      clock: ports.clock,
      newId: ports.newId,
      afterCall: ports.afterCall,
    };
    return sessionOf(store, deps, await deniedCallsFromStore(store.connection), request, ports);
  } catch (error) {
    store.close();
    throw error;
  }
}
