import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline/promises';
import { Argument, Command } from 'commander';
import {
  DEFAULT_REMEDIATE_ROLE,
  describeCall,
  openRemediation,
  QUARANTINE_POLICY_NAME,
  REMEDIATE_ACTIONS,
  remediationTargets,
  type AfterCall,
  type Proposal,
  type ProposingAction,
  type RemediateAction,
  type RemediationSession,
  type UserStatus,
} from '../../app/remediate.js';
import { DEFAULT_CONFIG } from '../../config.js';
import { EXIT, UserInputError } from '../../errors.js';
import { formatUserRef, type UserRef } from '../../model/user-ref.js';
import { renderTextTable } from '../../report/summary.js';
import { paint } from '../../report/terminal.js';
import { actionOf, withGlobalOptions, type CommandContext } from '../command.js';
import { resolveConfig, withConfigOption } from '../config-file.js';
import { estateRequestOf } from '../estate.js';

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
function crashHook(): AfterCall | undefined {
  const stepId = process.env.ROLESHIFT_TEST_CRASH_AFTER;
  if (!stepId) return undefined;
  return (step) => {
    if (step.stepId === stepId) process.kill(process.pid, 'SIGKILL');
  };
}

function parseWatchDays(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) {
    throw new UserInputError(
      `--watch-days ${value}: give a whole number of days (default ${DEFAULT_CONFIG.remediation.watchDays})`,
    );
  }
  return Number(value);
}

async function openSession(ctx: CommandContext, options: RemediateOptions): Promise<RemediationSession> {
  const watchDays = parseWatchDays(options.watchDays);
  const config = resolveConfig({ config: options.config, ...(watchDays === undefined ? {} : { watchDays }) });
  return openRemediation(
    {
      apply: Boolean(options.apply),
      force: Boolean(options.force),
      roleName: options.roleName ?? DEFAULT_REMEDIATE_ROLE,
      ...(options.plan === undefined ? {} : { planFile: options.plan }),
      estate: estateRequestOf(options, config),
    },
    {
      now: ctx.now,
      notes: ctx.io,
      clock: () => new Date(),
      newId: () => randomUUID(),
      afterCall: crashHook(),
      debug: ctx.io.debug,
    },
  );
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

async function showStatus(
  ctx: CommandContext,
  session: RemediationSession,
  targets: readonly UserRef[],
): Promise<number> {
  const statuses = await session.status(targets);
  if (ctx.io.json) ctx.io.out(JSON.stringify({ users: statuses, activityData: session.hasActivity }, null, 2));
  else {
    ctx.io.out(statuses.length === 0 ? 'no user is in remediation' : renderStatus(ctx, statuses));
    if (!session.hasActivity)
      ctx.io.log('no CloudTrail activity in the store: screams come from access-key last-used data only');
  }
  return statuses.some((status) => status.screams === null) ? EXIT.gaps : EXIT.ok;
}

async function showPending(ctx: CommandContext, session: RemediationSession): Promise<number> {
  const pending = await session.pending();
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

async function resume(ctx: CommandContext, session: RemediationSession): Promise<number> {
  const { completed, failed } = await session.resume();
  for (const failure of failed) {
    ctx.io.warn(
      `${failure.operation.kind} ${formatUserRef(failure.operation)} stopped at ${failure.error}; fix the cause and run "roleshift remediate resume --apply" again`,
    );
  }
  const summary = (operations: ReadonlyArray<{ opId: string; kind: string; accountId: string; userName: string }>) =>
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

function callCount(proposals: readonly Proposal[]): number {
  return proposals.reduce((sum, proposal) => sum + proposal.steps.length, 0);
}

/** Proposes, prints, and with --apply (after confirmation) makes the calls. */
async function proposeAndApply(
  ctx: CommandContext,
  session: RemediationSession,
  request: { action: ProposingAction; targets: readonly UserRef[]; named: boolean; options: RemediateOptions },
): Promise<number> {
  const { action, options } = request;
  const { proposals, failures } = await session.propose(action, request.targets);
  const runnable = proposals.filter(
    (proposal) => proposal.refusals.length === 0 && proposal.skip === null && proposal.steps.length > 0,
  );
  // A user named on the command line and refused is an input problem; users taken from a plan are
  // expected to include some that are not ready yet.
  const refusedNamed = request.named && proposals.some((proposal) => proposal.refusals.length > 0);
  if (!ctx.io.json) for (const proposal of proposals) printProposal(ctx, proposal);
  for (const failure of failures) ctx.io.warn(failure);
  const outcome = (): number => (failures.length > 0 ? EXIT.gaps : refusedNamed ? EXIT.usage : EXIT.ok);
  if (!options.apply) {
    if (ctx.io.json)
      ctx.io.out(JSON.stringify({ action, apply: false, users: proposals.map(proposalJson), failures }, null, 2));
    else
      ctx.io.log(
        paint(ctx.io, 'dim', `dry run: nothing changed; add --apply to make these ${callCount(runnable)} call(s)`),
      );
    return outcome();
  }
  if (runnable.length > 0 && !options.yes) {
    if (!(await confirm(ctx, `${action}: make ${callCount(runnable)} IAM call(s) on ${runnable.length} user(s)?`))) {
      ctx.io.log('nothing changed');
      return EXIT.ok;
    }
  }
  const applied = await session.apply(runnable);
  failures.push(...applied.failures);
  if (!ctx.io.json)
    for (const done of applied.done)
      ctx.io.log(`${paint(ctx.io, 'green', 'done')} ${done.kind} ${done.user} (journal ${done.opId})`);
  if (ctx.io.json)
    ctx.io.out(
      JSON.stringify(
        { action, apply: true, done: applied.done, users: proposals.map(proposalJson), failures },
        null,
        2,
      ),
    );
  if (action === 'restore' && applied.done.length > 0 && !ctx.io.json)
    ctx.io.out('restored users have no credentials: issue new ones (or better, move them to roles)');
  return outcome();
}

export async function runRemediate(ctx: CommandContext, options: RemediateOptions, args: string[]): Promise<number> {
  const action = args[0] as RemediateAction;
  const targets = remediationTargets(action, args.slice(1), options.plan);
  const session = await openSession(ctx, options);
  try {
    if (action === 'status') return await showStatus(ctx, session, targets);
    if (action === 'resume') return options.apply ? await resume(ctx, session) : await showPending(ctx, session);
    return await proposeAndApply(ctx, session, { action, targets, named: args.length > 1, options });
  } finally {
    session.close();
  }
}

export function register(program: Command): void {
  const command = new Command('remediate')
    .description(
      'The reversible scream test: switch credentials off, watch, then delete or roll back; every step journaled.',
    )
    .addArgument(new Argument('<action>', 'what to do').choices(REMEDIATE_ACTIONS))
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
