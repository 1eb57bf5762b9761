import { randomBytes } from 'node:crypto';
import { Command, Option } from 'commander';
import { loadActionCatalog } from '../../activity/actions.js';
import { usageToActivityEvidence } from '../../activity/evidence.js';
import { classifyUsers } from '../../assess/classify.js';
import { EXIT, UserInputError } from '../../errors.js';
import { planMigration, selectUsers, type PlanException } from '../../plan/plan.js';
import { renderPlanMarkdown, renderPlanTable } from '../../plan/render.js';
import type { MigrationPlan } from '../../plan/types.js';
import { usageByUser } from '../../plan/usage.js';
import { actionOf, withGlobalOptions, type CommandContext } from '../command.js';
import { readExceptionsRegister, resolveConfig, withConfigOption } from '../config-file.js';
import { loadEstate, withEstateOptions } from '../estate.js';
import { writeOutput } from '../write-atomic.js';

export interface PlanCommandOptions {
  snapshot?: string;
  store?: string;
  format?: 'table' | 'json' | 'md';
  output?: string;
  seed?: string;
  config?: string;
}

/**
 * The ExternalId seed: given, it reproduces earlier ExternalIds; absent, a fresh random one, which
 * the plan records (and the command prints) so the next run can pass it back.
 */
export function externalIdSeedOf(option: string | undefined): string {
  if (option === undefined) return randomBytes(16).toString('hex');
  if (option.trim().length < 8)
    throw new UserInputError('--seed must be at least 8 characters: it makes the ExternalIds hard to guess');
  return option;
}

/** Loads the estate, classifies it and plans it: shared by `plan` and `generate`. */
export async function planEstate(
  ctx: CommandContext,
  options: PlanCommandOptions,
  selectors: string[] = [],
): Promise<MigrationPlan> {
  const config = resolveConfig({ config: options.config });
  const snapshot = await loadEstate(ctx, { snapshot: options.snapshot, store: options.store });
  const classifications = classifyUsers(snapshot, {
    config,
    activity: snapshot.usage ? usageToActivityEvidence(snapshot.usage) : undefined,
  });
  // With CloudTrail usage in the snapshot (scan --cloudtrail), replacements get least privilege.
  const usage = snapshot.usage
    ? usageByUser(
        snapshot.usage,
        await loadActionCatalog(
          snapshot.usage.principals.flatMap((principal) => principal.actions.map((action) => action.action)),
        ),
      )
    : undefined;
  if (!usage)
    ctx.io.log(
      'no CloudTrail usage in this scan: replacements mirror current policies (scan with --cloudtrail to narrow them)',
    );
  const plan = planMigration(snapshot, {
    classifications,
    usage,
    exceptions: (readExceptionsRegister(undefined, config) ?? []).map((entry) => ({
      accountId: entry.account,
      userName: entry.user,
      reason: entry.reason,
      expires: entry.expires,
    })),
    config,
    now: ctx.now,
    externalIdSeed: externalIdSeedOf(options.seed),
  });
  const selected = selectUsers(plan, selectors);
  if (selected.unknown.length > 0) {
    throw new UserInputError(
      `no IAM user ${selected.unknown.join(', ')} in the estate: name users as ACCOUNT_ID/USER_NAME or by ARN`,
    );
  }
  if (options.seed === undefined && plan.users.some((user) => user.strategy === 'external-id-role')) {
    ctx.io.log(
      `ExternalIds derive from seed ${plan.externalIdSeed}: pass --seed ${plan.externalIdSeed} to regenerate the same ones`,
    );
  }
  return selected.plan;
}

export async function runPlan(ctx: CommandContext, options: PlanCommandOptions, selectors: string[]): Promise<number> {
  const plan = await planEstate(ctx, options, selectors);
  const format = ctx.io.json ? 'json' : (options.format ?? 'table');
  const text =
    format === 'json'
      ? `${JSON.stringify(plan, null, 2)}\n`
      : format === 'md'
        ? renderPlanMarkdown(plan)
        : `${renderPlanTable(plan)}\n`;
  if (options.output !== undefined) {
    writeOutput(ctx.io, options.output, text);
    ctx.io.log(`wrote the plan for ${plan.users.length} user(s) to ${options.output}`);
  } else {
    ctx.io.out(text);
  }
  return EXIT.ok;
}

export function register(program: Command): void {
  const command = new Command('plan')
    .description(
      'Plan the replacement of every IAM user: target, steps, prerequisites, blockers and risk, least risky first.',
    )
    .argument('[user...]', 'users to plan (ACCOUNT_ID/USER_NAME or ARN); all when omitted')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'md']).default('table'))
    .option('-o, --output <file>', 'write the plan to this file instead of stdout')
    .option('--seed <seed>', 'seed for the generated ExternalIds (reuse it to get the same ones again)')
    .addHelpText(
      'after',
      `
Examples:
  roleshift plan                                   # every user, least risky first
  roleshift plan 123456789012/ci-deploy --format md # one user, as Markdown for a change ticket
  roleshift plan --format json -o plan.json        # the plan remediate --plan reads`,
    );
  program.addCommand(
    withGlobalOptions(withConfigOption(withEstateOptions(command))).action(
      actionOf<PlanCommandOptions>((ctx, options, args) => runPlan(ctx, options, args)),
    ),
  );
}
