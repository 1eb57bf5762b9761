import { Command, Option } from 'commander';
import { planEstate } from '../../app/plan.js';
import { EXIT } from '../../errors.js';
import { renderPlanMarkdown, renderPlanTable } from '../../plan/render.js';
import { actionOf, withGlobalOptions, type CommandContext } from '../command.js';
import { resolveConfig, withConfigOption } from '../config-file.js';
import { estateRequestOf, withEstateOptions, withSeedOptions, type EstateFlags } from '../estate.js';
import { writeOutput } from '../write-atomic.js';

export interface PlanCommandOptions extends EstateFlags {
  format?: 'table' | 'json' | 'md';
  output?: string;
  config?: string;
}

export async function runPlan(ctx: CommandContext, options: PlanCommandOptions, selectors: string[]): Promise<number> {
  const config = resolveConfig({ config: options.config });
  const request = { ...estateRequestOf(options, config), users: selectors };
  const plan = await planEstate(request, { now: ctx.now, notes: ctx.io });
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
    .addHelpText(
      'after',
      `
Examples:
  roleshift plan                                   # every user, least risky first
  roleshift plan 123456789012/ci-deploy --format md # one user, as Markdown for a change ticket
  roleshift plan --format json -o plan.json        # the plan remediate --plan reads
  roleshift plan --rotate-seed                     # new ExternalIds for every vendor role (tell the vendors)`,
    );
  program.addCommand(
    withGlobalOptions(withConfigOption(withSeedOptions(withEstateOptions(command)))).action(
      actionOf<PlanCommandOptions>((ctx, options, args) => runPlan(ctx, options, args)),
    ),
  );
}
