import { Command, Option } from 'commander';
import { tripsGate } from '../../app/findings.js';
import { lintPaths } from '../../app/lint.js';
import { EXIT, UserInputError } from '../../errors.js';
import { SEVERITIES, type Severity } from '../../model/finding.js';
import { FINDINGS_FORMATS, renderFindings, type FindingsFormat } from '../../report/findings-format.js';
import { TOOL_VERSION } from '../../version.js';
import { actionOf, withGlobalOptions, type CommandContext } from '../command.js';

export interface LintCommandOptions {
  format?: FindingsFormat;
  failOn?: Severity;
  accountId?: string;
  orgAccount?: string[];
}

function accountIdOption(value: string): string {
  if (!/^\d{12}$/.test(value)) throw new UserInputError(`${value}: expected a 12-digit AWS account id`);
  return value;
}

export async function runLint(ctx: CommandContext, options: LintCommandOptions, paths: string[]): Promise<number> {
  if (paths.length === 0)
    throw new UserInputError('lint: name at least one file or directory (roleshift lint FILE...)');
  const format: FindingsFormat = options.format ?? (ctx.io.json ? 'json' : 'table');
  const context = { accountId: options.accountId ?? null, organizationAccountIds: options.orgAccount ?? null };
  const { findings, rules } = await lintPaths(paths, context, { notes: ctx.io, now: ctx.now });
  ctx.io.out(
    renderFindings(findings, format, {
      toolVersion: TOOL_VERSION,
      color: ctx.io.color,
      rules,
      title: 'roleshift lint',
    }),
  );
  return tripsGate(findings, options.failOn) ? EXIT.findings : EXIT.ok;
}

export function register(program: Command): void {
  const command = new Command('lint')
    .description(
      'Check IAM trust and permissions policies in files before they are deployed: JSON policy documents, CloudFormation (YAML/JSON), Terraform (.tf, .tf.json, plan JSON) and get-account-authorization-details output.',
    )
    .argument('<paths...>', 'files or directories to lint')
    .addOption(new Option('--format <format>', 'output format').choices([...FINDINGS_FORMATS]))
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity').choices([...SEVERITIES]),
    )
    .option(
      '--account-id <id>',
      'the account the roles will live in: trust in it is not cross-account',
      accountIdOption,
    )
    .option(
      '--org-account <id...>',
      'accounts of your Organization: trust in them is not flagged as cross-account',
      (value: string, previous: string[] = []) => [...previous, accountIdOption(value)],
    )
    .addHelpText(
      'after',
      `
Examples:
  roleshift lint infra/                              # every .tf, .json and .yaml under infra/
  roleshift lint template.yml --fail-on high         # CI gate: exit 1 on high or critical
  roleshift lint main.tf --format sarif > lint.sarif # for GitHub code scanning
  terraform show -json plan.out > plan.json && roleshift lint plan.json --account-id 111122223333`,
    );
  program.addCommand(
    withGlobalOptions(command).action(
      actionOf<LintCommandOptions>((ctx, options, args) => runLint(ctx, options, args)),
    ),
  );
}
