import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { Argument, Command } from 'commander';
import { DEFAULT_CONFIG } from '../../config.js';
import { resolveConfig, withConfigOption } from '../config-file.js';
import { EXIT, InputFileError, UserInputError } from '../../errors.js';
import { renderTextTable } from '../../report/summary.js';
import { createAccountAccess, DEFAULT_REMEDIATE_ROLE, describeRemediationFailure } from '../../remediate/accounts.js';
import { deniedCallsFromStore, NO_ACTIVITY, type DeniedCallSource } from '../../remediate/activity-source.js';
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
} from '../../remediate/engine.js';
import { ensureJournalTables, pendingOperations, type JournalOperation } from '../../remediate/journal.js';
import { parsePlanFile } from '../../remediate/plan-file.js';
import { describeCall, QUARANTINE_POLICY_NAME, type UserState } from '../../remediate/plan-steps.js';
import { safetyFor, type PlanEntryFacts, type SafetyVerdict } from '../../remediate/safety.js';
import { formatUserRef, parseUserRef, type UserRef } from '../../model/user-ref.js';
import { openStore } from '../../store/store.js';
import { actionOf, withGlobalOptions, type CommandContext } from '../command.js';
import { storePathOf } from '../estate.js';
import { paint } from '../io.js';
import { planEstate } from './plan.js';

const ACTIONS = ['start', 'status', 'rollback', 'finish', 'restore', 'resume'] as const;
type Action = (typeof ACTIONS)[number];

export interface RemediateOptions {
  apply?: boolean;
  yes?: boolean;
  force?: boolean;
  watchDays?: string;
  config?: string;
  roleName?: string;
  snapshot?: string;
  store?: string;
  plan?: string;
}

/**
 * Test-only: SIGKILL this process right after the named step's AWS call and before its journal
 * write, so the crash tests can prove `resume` recovers from the worst moment. Read only here.
 */
function crashHook(): EngineDeps['afterCall'] {
  const stepId = process.env.ROLESHIFT_TEST_CRASH_AFTER;
  if (!stepId) return undefined;
  return (step) => {
    if (step.stepId === stepId) process.kill(process.pid, 'SIGKILL');
  };
}

function parseWatchDays(value: string | undefined, config: string | undefined): number {
  if (value !== undefined && !/^\d+$/.test(value)) {
    throw new UserInputError(
      `--watch-days ${value}: give a whole number of days (default ${DEFAULT_CONFIG.remediation.watchDays})`,
    );
  }
  return resolveConfig({ config, ...(value === undefined ? {} : { watchDays: Number(value) }) }).remediation.watchDays;
}

function readPlanEntries(file: string): PlanEntryFacts[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputFileError(file, (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'cannot read');
  }
  const parsed = parsePlanFile(text);
  if (!parsed.ok) throw new InputFileError(file, parsed.problem);
  return parsed.entries;
}

/** Safety facts for start and finish: the plan file, else the estate planned in-process (with the exceptions register). */
async function loadSafety(
  ctx: CommandContext,
  options: RemediateOptions,
): Promise<(state: UserState) => SafetyVerdict> {
  const common = { overrideTagKey: DEFAULT_CONFIG.classification.overrideTagKey, force: Boolean(options.force) };
  if (options.plan !== undefined) {
    const byUser = new Map(
      readPlanEntries(options.plan).map((entry) => [`${entry.accountId}/${entry.userName}`, entry]),
    );
    return safetyFor({ ...common, entries: byUser, classSource: 'plan file', missingReason: `not in ${options.plan}` });
  }
  let plan;
  try {
    plan = await planEstate(ctx, {
      snapshot: options.snapshot,
      store: options.store,
      seed: 'roleshift-remediate',
      config: options.config,
    });
  } catch (error) {
    if (!(error instanceof UserInputError) || !options.force) throw error;
    ctx.io.warn(
      `--force: going on without an estate (${error.message}); break-glass detection uses live tags and names only`,
    );
    return safetyFor({
      ...common,
      entries: null,
      classSource: 'tags and name',
      missingReason: 'no estate to plan from',
    });
  }
  const byUser = new Map(plan.users.map((entry) => [`${entry.accountId}/${entry.userName}`, entry]));
  return safetyFor({
    ...common,
    entries: byUser,
    classSource: 'classifier',
    missingReason: 'not in the latest scan: scan again',
  });
}

async function confirm(ctx: CommandContext, question: string): Promise<boolean> {
  if (!process.stdin.isTTY || !ctx.io.isTty) {
    throw new UserInputError('--apply on a non-interactive terminal needs --yes (review the dry run first)');
  }
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await prompt.question(`${question} [y/N] `)).trim());
  } finally {
    prompt.close();
  }
}

function proposalJson(proposal: Proposal): Record<string, unknown> {
  return {
    user: formatUserRef(proposal.target),
    kind: proposal.kind,
    calls: proposal.steps.map((step) => ({ stepId: step.stepId, api: step.call.api, params: step.call.params })),
    refusals: proposal.refusals,
    skip: proposal.skip,
    overridden: proposal.overridden,
    notes: proposal.notes,
  };
}

function printProposal(ctx: CommandContext, proposal: Proposal): void {
  const user = formatUserRef(proposal.target);
  if (proposal.refusals.length > 0) {
    ctx.io.out(`${paint(ctx.io, 'red', 'refused')} ${proposal.kind} ${user}: ${proposal.refusals.join('; ')}`);
    return;
  }
  if (proposal.skip) {
    ctx.io.out(`${paint(ctx.io, 'dim', 'skip')} ${proposal.kind} ${user}: ${proposal.skip}`);
    return;
  }
  ctx.io.out(`${paint(ctx.io, 'bold', proposal.kind)} ${user}: ${proposal.steps.length} call(s)`);
  for (const step of proposal.steps) ctx.io.out(`  ${describeCall(proposal.target.accountId, step.call)}`);
  for (const what of proposal.overridden) ctx.io.warn(`--force overrode for ${user}: ${what}`);
  for (const note of proposal.notes) ctx.io.log(`  note: ${note}`);
}

function renderStatus(ctx: CommandContext, statuses: readonly UserStatus[]): string {
  return renderTextTable(
    ctx.io,
    [
      { header: 'user' },
      { header: 'stage' },
      { header: 'since' },
      { header: 'days in watch', align: 'right' },
      { header: 'screams' },
    ],
    statuses.map((status) => [
      status.user,
      status.pending ? { text: `interrupted ${status.pending.kind}`, style: 'yellow' } : status.stage,
      status.since ?? '-',
      status.daysInWatch === null ? '-' : String(status.daysInWatch),
      status.screams === null
        ? { text: `unknown: ${status.screamError ?? ''}`, style: 'yellow' }
        : status.screams.length === 0
          ? '0'
          : {
              text: `${status.screams.length}: ${status.screams.map((scream) => scream.detail).join('; ')}`,
              style: 'red',
            },
    ]),
  );
}

/** One proposal per user; a user that cannot be read is reported and never stops the others. */
async function propose(
  ctx: CommandContext,
  deps: EngineDeps,
  action: Exclude<Action, 'status' | 'resume'>,
  targets: readonly UserRef[],
  options: RemediateOptions,
  activity: DeniedCallSource,
): Promise<{ proposals: Proposal[]; failures: string[] }> {
  const proposals: Proposal[] = [];
  const failures: string[] = [];
  const safety = action === 'start' || action === 'finish' ? await loadSafety(ctx, options) : null;
  const watchDays = parseWatchDays(options.watchDays, options.config);
  for (const target of targets) {
    try {
      if (action === 'start' && safety) proposals.push(await proposeStart(deps, target, { now: ctx.now, safety }));
      else if (action === 'finish' && safety)
        proposals.push(await proposeFinish(deps, target, { now: ctx.now, watchDays, activity, safety }));
      else if (action === 'rollback') proposals.push(await proposeRollback(deps, target));
      else if (action === 'restore') proposals.push(await proposeRestore(deps, target));
    } catch (error) {
      failures.push(
        `${action} ${formatUserRef(target)}: could not read the user: ${describeRemediationFailure(error, ctx.io.debug)}`,
      );
    }
  }
  return { proposals, failures };
}

/** Named users, else (start and finish) every user of the plan file. */
function targetsOf(action: Action, args: readonly string[], options: RemediateOptions): UserRef[] {
  if (options.plan !== undefined && action !== 'start' && action !== 'finish')
    throw new UserInputError('--plan works with "remediate start" and "remediate finish" only');
  // The same user named twice (say by name and by ARN) must be one operation, not two.
  const refs = [...new Map(args.map(parseUserRef).map((ref) => [formatUserRef(ref), ref])).values()];
  if (refs.length === 0 && options.plan !== undefined) {
    return readPlanEntries(options.plan).map((entry) => ({ accountId: entry.accountId, userName: entry.userName }));
  }
  if (refs.length === 0 && action !== 'status' && action !== 'resume') {
    throw new UserInputError(
      `remediate ${action} needs at least one user (ACCOUNT_ID/USER_NAME or ARN)${action === 'start' || action === 'finish' ? ' or --plan FILE' : ''}`,
    );
  }
  return refs;
}

export async function runRemediate(ctx: CommandContext, options: RemediateOptions, args: string[]): Promise<number> {
  const action = args[0] as Action;
  const targets = targetsOf(action, args.slice(1), options);
  const apply = Boolean(options.apply);
  const path = storePathOf(options.store);
  // A dry run must leave no trace: without a store yet, plan against an empty in-memory journal.
  const store = await openStore(!apply && !existsSync(path) ? ':memory:' : path);
  try {
    await ensureJournalTables(store.connection);
    const deps: EngineDeps = {
      connection: store.connection,
      access: createAccountAccess({ roleName: options.roleName ?? DEFAULT_REMEDIATE_ROLE }),
      clock: () => new Date(),
      newId: () => randomUUID(),
      afterCall: crashHook(),
    };
    const activitySource = await deniedCallsFromStore(store.connection);
    const activity = activitySource ?? NO_ACTIVITY;

    if (action === 'status') {
      const statuses = await statusAll(deps, { now: ctx.now, activity, only: targets });
      if (ctx.io.json) ctx.io.out(JSON.stringify({ users: statuses, activityData: activitySource !== null }, null, 2));
      else {
        ctx.io.out(statuses.length === 0 ? 'no user is in remediation' : renderStatus(ctx, statuses));
        if (!activitySource)
          ctx.io.log('no CloudTrail activity in the store: screams come from access-key last-used data only');
      }
      return statuses.some((status) => status.screams === null) ? EXIT.gaps : EXIT.ok;
    }

    if (action === 'resume') {
      if (!apply) {
        const pending = await pendingOperations(store.connection);
        if (pending.length === 0) ctx.io.out('nothing to resume');
        for (const operation of pending) {
          const left = operation.steps.filter((step) => step.status !== 'done');
          ctx.io.out(
            `${operation.kind} ${formatUserRef(operation)}: ${left.length} step(s) left${operation.lastError ? ` (last error: ${operation.lastError})` : ''}`,
          );
          for (const step of left) ctx.io.out(`  ${describeCall(operation.accountId, step.call)}`);
        }
        if (pending.length > 0) ctx.io.log(paint(ctx.io, 'dim', 'dry run: add --apply to complete them'));
        return EXIT.ok;
      }
      const { completed, failed } = await resumeAll(deps);
      for (const failure of failed) {
        ctx.io.warn(
          `${failure.operation.kind} ${formatUserRef(failure.operation)} stopped at ${failure.error}; fix the cause and run "roleshift remediate resume --apply" again`,
        );
      }
      const summary = (operations: readonly JournalOperation[]) =>
        operations.map((operation) => ({ opId: operation.opId, kind: operation.kind, user: formatUserRef(operation) }));
      if (ctx.io.json)
        ctx.io.out(
          JSON.stringify(
            { resumed: summary(completed), failed: summary(failed.map((failure) => failure.operation)) },
            null,
            2,
          ),
        );
      else if (completed.length === 0 && failed.length === 0) ctx.io.out('nothing to resume');
      else for (const operation of completed) ctx.io.out(`resumed ${operation.kind} ${formatUserRef(operation)}`);
      return failed.length > 0 ? EXIT.gaps : EXIT.ok;
    }

    const { proposals, failures } = await propose(ctx, deps, action, targets, options, activity);
    const runnable = proposals.filter(
      (proposal) => proposal.refusals.length === 0 && proposal.skip === null && proposal.steps.length > 0,
    );
    // A user named on the command line and refused is an input problem; users taken from a plan are
    // expected to include some that are not ready yet.
    const refusedNamed = args.length > 1 && proposals.some((proposal) => proposal.refusals.length > 0);
    if (!ctx.io.json) for (const proposal of proposals) printProposal(ctx, proposal);
    for (const failure of failures) ctx.io.warn(failure);
    const outcome = (): number => (failures.length > 0 ? EXIT.gaps : refusedNamed ? EXIT.usage : EXIT.ok);
    if (!apply) {
      if (ctx.io.json)
        ctx.io.out(JSON.stringify({ action, apply: false, users: proposals.map(proposalJson), failures }, null, 2));
      else
        ctx.io.log(
          paint(
            ctx.io,
            'dim',
            `dry run: nothing changed; add --apply to make these ${runnable.reduce((sum, p) => sum + p.steps.length, 0)} call(s)`,
          ),
        );
      return outcome();
    }
    if (runnable.length > 0 && !options.yes) {
      const calls = runnable.reduce((sum, proposal) => sum + proposal.steps.length, 0);
      if (!(await confirm(ctx, `${action}: make ${calls} IAM call(s) on ${runnable.length} user(s)?`))) {
        ctx.io.log('nothing changed');
        return EXIT.ok;
      }
    }
    const done: Array<Record<string, unknown>> = [];
    for (const proposal of runnable) {
      const user = formatUserRef(proposal.target);
      try {
        const operation = await applyProposal(deps, proposal);
        done.push({ user, kind: proposal.kind, opId: operation.opId, calls: operation.steps.length });
        if (!ctx.io.json)
          ctx.io.log(`${paint(ctx.io, 'green', 'done')} ${proposal.kind} ${user} (journal ${operation.opId})`);
      } catch (error) {
        if (!(error instanceof RemediationStepError)) throw error;
        failures.push(`${proposal.kind} ${user} stopped at ${error.message}`);
        ctx.io.warn(
          `${proposal.kind} ${user} stopped at ${error.message}; the journal keeps it pending: fix the cause, then run "roleshift remediate resume --apply"`,
        );
      }
    }
    if (ctx.io.json)
      ctx.io.out(JSON.stringify({ action, apply: true, done, users: proposals.map(proposalJson), failures }, null, 2));
    if (action === 'restore' && done.length > 0 && !ctx.io.json)
      ctx.io.out('restored users have no credentials: issue new ones (or better, move them to roles)');
    return outcome();
  } finally {
    store.close();
  }
}

export function register(program: Command): void {
  const command = new Command('remediate')
    .description(
      'The reversible scream test: switch credentials off, watch, then delete or roll back; every step journaled.',
    )
    .addArgument(new Argument('<action>', 'what to do').choices(ACTIONS))
    .argument('[users...]', 'users as ACCOUNT_ID/USER_NAME or ARN')
    .option('--apply', 'make the calls (default: dry run, print them)')
    .option('--yes', 'do not ask for confirmation')
    .option('--force', 'override the break-glass, exception and readiness refusals (and say so)')
    .option(
      '--watch-days <n>',
      `days a user must be switched off without screams before finish (default ${DEFAULT_CONFIG.remediation.watchDays})`,
    )
    .option('--role-name <name>', `role assumed in other accounts (default ${DEFAULT_REMEDIATE_ROLE})`)
    .option(
      '--plan <file>',
      'safety facts from a migration plan (roleshift plan --format json); without USERs, every user in it',
    )
    .option('--snapshot <file>', 'read this snapshot file instead of the latest scan in the store')
    .option('--store <file>', 'the roleshift store holding the journal (default .roleshift/roleshift.duckdb)')
    .addHelpText(
      'after',
      `
Stages: start (keys inactive, console fenced by the ${QUARANTINE_POLICY_NAME} deny-all policy, user tagged)
        -> status (days in watch, screams) -> rollback, or finish (backup, then delete) -> restore.

Examples:
  roleshift remediate start 123456789012/ci-deploy          # dry run: the exact IAM calls
  roleshift remediate start 123456789012/ci-deploy --apply  # do it (asks on a terminal)
  roleshift remediate status
  roleshift remediate finish 123456789012/ci-deploy --apply --yes
  roleshift remediate resume --apply                        # after a crash or a failed call

Exit codes: 0 ok, 2 bad input or a named user refused, 3 a call failed (resume later) or screams unknown.`,
    );
  program.addCommand(
    withGlobalOptions(withConfigOption(command)).action(
      actionOf<RemediateOptions>((ctx, options, args) => runRemediate(ctx, options, args)),
    ),
  );
}
