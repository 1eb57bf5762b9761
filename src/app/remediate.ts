/**
 * `remediate`: the reversible scream test as steps a command calls in turn. `openRemediation`
 * opens the journal and the AWS access; a session then proposes (pure plans of IAM calls, with
 * the safety facts of the one assessment pipeline or of a plan file), applies what was
 * confirmed, reports status, or resumes interrupted work.
 */
import { existsSync } from 'node:fs';
import { readIdentityCenterWith } from '../collect/identity-center.js';
import { readRolesAnywhereWith } from '../collect/roles-anywhere.js';
import { DEFAULT_CONFIG } from '../config.js';
import type { IdentityCenterInstance } from '../model/organization.js';
import { InputFileError, UserInputError } from '../errors.js';
import type { PolicyDocument } from '../model/snapshot.js';
import { formatUserRef, parseUserRef, type UserRef } from '../model/user-ref.js';
import { loadIamCatalog, type IamCatalog } from '../policy/action-catalog.js';
import { deniesEverything } from '../policy/effective.js';
import { documentLayers } from '../policy/evaluator/evaluator.js';
import { createAccountAccess, describeRemediationFailure, onceEach } from '../remediate/accounts.js';
import { deniedCallsFromStore, NO_ACTIVITY, type DeniedCallSource } from '../remediate/activity-source.js';
import {
  journalProposals,
  proposeFinish,
  proposeRestore,
  proposeRollback,
  proposeStart,
  RemediationStepError,
  resumeAll,
  runOperation,
  statusAll,
  type EngineDeps,
  type Proposal,
  type UserStatus,
} from '../remediate/engine.js';
import { checkGuards, type AdminHolder, type GuardContext } from '../remediate/guards.js';
import { allOperations, ensureJournalTables, pendingOperations, type JournalOperation } from '../remediate/journal.js';
import { lifecycleOf } from '../remediate/lifecycle.js';
import {
  judgeAssignment,
  judgeRole,
  judgeRolesAnywhere,
  plannedAssignments,
  plannedRoles,
  plannedRolesAnywhere,
  type PlannedArtifact,
  type ReadinessFact,
} from '../remediate/readiness.js';
import { parsePlanFile } from '../remediate/plan-file.js';
import { QUARANTINE_POLICY_NAME, type UserState } from '../remediate/plan-steps.js';
import { safetyFor, type PlanEntryFacts, type SafetyVerdict } from '../remediate/safety.js';
import type { Snapshot } from '../model/snapshot.js';
import { createEvaluator } from '../policy/evaluator/evaluator.js';
import { openStore, type Store } from '../store/store.js';
import { administratorsByAccount } from './administrators.js';
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

type SafetyCheck = (state: UserState, live?: readonly ReadinessFact[]) => SafetyVerdict;
type EntriesByUser = ReadonlyMap<string, PlanEntryFacts>;

/**
 * Safety facts for start and finish: the plan file, else the estate planned by the one pipeline;
 * with the snapshot they came from when there is one (the last-admin guard reads it).
 */
async function loadSafety(
  request: RemediateRequest,
  context: RunContext,
): Promise<{ safety: SafetyCheck; snapshot: Snapshot | null; entries: EntriesByUser | null }> {
  const common = { overrideTagKey: DEFAULT_CONFIG.classification.overrideTagKey, force: request.force };
  if (request.planFile !== undefined) {
    const byUser = new Map(
      readPlanEntries(request.planFile).map((entry) => [`${entry.accountId}/${entry.userName}`, entry]),
    );
    const safety = safetyFor({
      ...common,
      entries: byUser,
      classSource: 'plan file',
      missingReason: `not in ${request.planFile}`,
    });
    return { safety, snapshot: null, entries: byUser };
  }
  let entries: PlanEntryFacts[];
  let snapshot: Snapshot;
  try {
    const { estate } = await loadEstate(request.estate, context);
    snapshot = estate.snapshot;
    entries = (await assessEstate(estate)).plan.users;
  } catch (error) {
    if (!(error instanceof UserInputError) || !request.force) throw error;
    context.notes.warn(
      `--force: going on without an estate (${error.message}); break-glass detection uses live tags and names only`,
    );
    const safety = safetyFor({
      ...common,
      entries: null,
      classSource: 'tags and name',
      missingReason: 'no estate to plan from',
    });
    return { safety, snapshot: null, entries: null };
  }
  const byUser = new Map(entries.map((entry) => [`${entry.accountId}/${entry.userName}`, entry]));
  const safety = safetyFor({
    ...common,
    entries: byUser,
    classSource: 'classifier',
    missingReason: 'not in the latest scan: scan again',
  });
  return { safety, snapshot, entries: byUser };
}

/** Users an earlier start switched off (still watching) or a finish deleted. */
async function usersAlreadyOff(deps: EngineDeps): Promise<string[]> {
  const byUser = new Map<string, JournalOperation[]>();
  for (const operation of await allOperations(deps.connection)) {
    const key = formatUserRef(operation);
    byUser.set(key, [...(byUser.get(key) ?? []), operation]);
  }
  return [...byUser.entries()]
    .filter(([, operations]) => ['watching', 'deleted', 'interrupted'].includes(lifecycleOf(operations).stage))
    .map(([user]) => user);
}

/** What the guards no flag lifts need: who runs roleshift, who administers each account, who goes off. */
async function guardContext(
  deps: EngineDeps,
  snapshot: Snapshot | null,
  targets: readonly UserRef[],
  now: Date,
): Promise<GuardContext> {
  let admins: Map<string, AdminHolder[]> | null = null;
  if (snapshot !== null)
    admins = administratorsByAccount(snapshot, createEvaluator(snapshot, { now }), await loadIamCatalog());
  return {
    caller: await deps.access.callerIdentity(),
    admins,
    switchedOff: new Set([...targets.map(formatUserRef), ...(await usersAlreadyOff(deps))]),
  };
}

/** A live read that failed: said as unknown with the reason, never taken as ready or as missing. */
async function readOrUnknown(what: string, read: () => Promise<ReadinessFact[]>): Promise<ReadinessFact[]> {
  try {
    return await read();
  } catch (error) {
    return [{ status: 'unknown', detail: `could not read ${what}: ${describeRemediationFailure(error)}` }];
  }
}

/** Identity Center read once per region and run, from the caller's account (where the instance lives). */
function identityCenterReader(deps: EngineDeps): (region: string) => Promise<IdentityCenterInstance | null> {
  return onceEach(async (region) => {
    const settings = await deps.access.settingsFor(await deps.access.callerAccountId());
    return readIdentityCenterWith({ ...settings, region });
  });
}

async function assignmentFacts(
  artifacts: readonly PlannedArtifact[],
  identityCenter: (region: string) => Promise<IdentityCenterInstance | null>,
): Promise<ReadinessFact[]> {
  const facts: ReadinessFact[] = [];
  for (const planned of plannedAssignments(artifacts)) {
    const region = planned.region;
    if (region === null) {
      facts.push({
        status: 'unknown',
        detail: `the plan does not say Identity Center's region: permission set ${planned.permissionSetName} not checked`,
      });
      continue;
    }
    facts.push(
      ...(await readOrUnknown(`Identity Center in ${region}`, async () =>
        judgeAssignment(planned, await identityCenter(region)),
      )),
    );
  }
  return facts;
}

async function rolesAnywhereFacts(
  deps: EngineDeps,
  artifacts: readonly PlannedArtifact[],
  accountId: string,
): Promise<ReadinessFact[]> {
  const planned = plannedRolesAnywhere(artifacts, accountId);
  if (planned.profiles.length === 0 && planned.trustAnchors.length === 0) return [];
  return readOrUnknown(`Roles Anywhere in ${accountId}`, async () =>
    judgeRolesAnywhere(planned, await readRolesAnywhereWith(await deps.access.settingsFor(accountId), accountId)),
  );
}

/**
 * Ready means deployed and used, read live: the plan's roles (exist with the planned trust, used
 * after the last use of every key about to go off), its Identity Center assignments and its
 * Roles Anywhere profile and trust anchors; what cannot be read or known is said as unknown.
 */
function readinessOf(deps: EngineDeps, entries: EntriesByUser | null) {
  const identityCenter = identityCenterReader(deps);
  return async (state: UserState): Promise<ReadinessFact[]> => {
    const artifacts = entries?.get(`${state.accountId}/${state.userName}`)?.artifacts ?? [];
    const facts = [
      ...(await assignmentFacts(artifacts, identityCenter)),
      ...(await rolesAnywhereFacts(deps, artifacts, state.accountId)),
    ];
    const roles = plannedRoles(artifacts, state.accountId);
    if (roles.length === 0) return facts;
    const gateway = await deps.access.gatewayFor(state.accountId);
    const keys = [];
    for (const key of state.accessKeys.filter((candidate) => candidate.status === 'Active'))
      keys.push({ accessKeyId: key.accessKeyId, lastUsed: await gateway.accessKeyLastUsed(key.accessKeyId) });
    for (const role of roles) facts.push(...judgeRole(role, await gateway.readRole(role.name), keys));
    return facts;
  };
}

/** The safety check with the guards in front: a guard's refusal stands even with --force. */
function guarded(safety: SafetyCheck, context: GuardContext): SafetyCheck {
  return (state, live) => {
    const verdict = safety(state, live);
    const guards = checkGuards(state, context);
    if (guards.refusals.length === 0) return { ...verdict, notes: [...verdict.notes, ...guards.notes] };
    return {
      allowed: false,
      refusals: [...guards.refusals.map((refusal) => `${refusal} (--force cannot lift this)`), ...verdict.refusals],
      overridden: [],
      notes: [...verdict.notes, ...guards.notes],
    };
  };
}

/** Stands for whatever the user's other policies grant (managed, group, ones added later): everything. */
const ANY_GRANT: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
};

/**
 * Before a start is shown or applied, the evaluator proves that the quarantine policy it puts on
 * the user denies every action on every resource whatever the user's other policies grant: beside
 * its own inline policies and an Allow of everything standing for the rest, only an explicit Deny
 * can leave every request denied. A start whose proof fails is refused.
 */
export function proveQuarantine(proposal: Proposal, catalog: IamCatalog): Proposal {
  const step = proposal.steps.find(
    (s) => s.call.api === 'PutUserPolicy' && s.call.params.PolicyName === QUARANTINE_POLICY_NAME,
  );
  if (step === undefined || step.call.api !== 'PutUserPolicy') return proposal;
  const own = (proposal.priorState?.inlinePolicies ?? []).filter((p) => p.name !== QUARANTINE_POLICY_NAME);
  // A document that does not parse cannot lift a Deny either: leaving it out changes no denial.
  const documents = [...own.map((p) => p.document), step.call.params.PolicyDocument].flatMap((text) => {
    try {
      return [JSON.parse(text) as PolicyDocument];
    } catch {
      return [];
    }
  });
  const layers = documentLayers([ANY_GRANT, ...documents]);
  const proof = deniesEverything(layers, catalog);
  if (proof.proven) return proposal;
  return {
    ...proposal,
    steps: [],
    refusals: [
      ...proposal.refusals,
      `the ${QUARANTINE_POLICY_NAME} policy would not deny everything (still allowed: ${proof.open.slice(0, 3).join(', ')}); report this as a roleshift bug`,
    ],
  };
}

async function proposeAll(
  deps: EngineDeps,
  action: ProposingAction,
  targets: readonly UserRef[],
  options: { request: RemediateRequest; context: RunContext; activity: DeniedCallSource; debug: boolean },
): Promise<{ proposals: Proposal[]; failures: string[] }> {
  const { request, context, activity, debug } = options;
  const catalog = action === 'start' ? await loadIamCatalog() : null;
  let safety: SafetyCheck | null = null;
  let readiness: ((state: UserState) => Promise<ReadinessFact[]>) | undefined;
  if (action === 'start' || action === 'finish') {
    const loaded = await loadSafety(request, context);
    readiness = readinessOf(deps, loaded.entries);
    try {
      safety = guarded(loaded.safety, await guardContext(deps, loaded.snapshot, targets, context.now));
    } catch (error) {
      // Without knowing who runs roleshift, no user may be switched off: each is a reported failure.
      const why = `could not tell who roleshift runs as: ${describeRemediationFailure(error, debug)}`;
      return { proposals: [], failures: targets.map((target) => `${action} ${formatUserRef(target)}: ${why}`) };
    }
  }
  const watchDays = request.estate.config.remediation.watchDays;
  const proposals: Proposal[] = [];
  const failures: string[] = [];
  for (const target of targets) {
    try {
      if (action === 'start' && safety && catalog)
        proposals.push(
          proveQuarantine(
            await proposeStart(deps, target, { now: context.now, safety, ...(readiness ? { readiness } : {}) }),
            catalog,
          ),
        );
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

/**
 * Journals every proposal before the first call, then runs them one by one: after a crash,
 * `resume` completes every user of the command. A failed call leaves its operation pending and
 * the other users still run.
 */
async function applyAll(
  deps: EngineDeps,
  proposals: readonly Proposal[],
  notes: RunContext['notes'],
): Promise<{ done: Applied[]; failures: string[] }> {
  const done: Applied[] = [];
  const failures: string[] = [];
  for (const operation of await journalProposals(deps, proposals)) {
    const user = formatUserRef(operation);
    try {
      await runOperation(deps, operation);
      done.push({ user, kind: operation.kind, opId: operation.opId, calls: operation.steps.length });
    } catch (error) {
      if (!(error instanceof RemediationStepError)) throw error;
      failures.push(`${operation.kind} ${user} stopped at ${error.message}`);
      notes.warn(
        `${operation.kind} ${user} stopped at ${error.message}; the journal keeps it pending: fix the cause, then run "roleshift remediate resume --apply"`,
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
