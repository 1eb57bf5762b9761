import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { EXIT, InputFileError, UserInputError } from '../../errors.js';
import { SEVERITIES, severityRank, type Severity } from '../../model/finding.js';
import { findUnknownActions } from '../../policy/action-catalog.js';
import { lintFindings } from '../../assess/lint.js';
import { lintRules } from '../../assess/registry.js';
import { extractPolicies, type Extraction } from '../../policy/sources.js';
import { FINDINGS_FORMATS, renderFindings, type FindingsFormat } from '../../report/findings-format.js';
import { TOOL_VERSION } from '../../version.js';
import { actionOf, withGlobalOptions, type CommandContext } from '../command.js';

export interface LintCommandOptions {
  format?: FindingsFormat;
  failOn?: Severity;
  accountId?: string;
  orgAccount?: string[];
}

const LINTABLE = /\.(tf|tf\.json|json|ya?ml|template)$/i;
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.terraform', '.git', 'cdk.out']);

/** The files to lint: the files named, and the lintable files under directories named (recursively). */
async function filesOf(paths: readonly string[]): Promise<Array<{ path: string; explicit: boolean }>> {
  const out: Array<{ path: string; explicit: boolean }> = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && !SKIPPED_DIRECTORIES.has(entry.name)) await walk(path);
      else if (entry.isFile() && LINTABLE.test(entry.name)) out.push({ path, explicit: false });
    }
  };
  for (const path of paths) {
    const info = await stat(path).catch(() => null);
    if (!info) throw new InputFileError(path, 'no such file or directory');
    if (info.isDirectory()) await walk(path);
    else out.push({ path, explicit: true });
  }
  return out;
}

function accountIdOption(value: string): string {
  if (!/^\d{12}$/.test(value)) throw new UserInputError(`${value}: expected a 12-digit AWS account id`);
  return value;
}

export async function runLint(ctx: CommandContext, options: LintCommandOptions, paths: string[]): Promise<number> {
  if (paths.length === 0)
    throw new UserInputError('lint: name at least one file or directory (roleshift lint FILE...)');
  const format: FindingsFormat = options.format ?? (ctx.io.json ? 'json' : 'table');
  const extractions: Array<Extraction & { file: string }> = [];
  for (const file of await filesOf(paths)) {
    const text = await readFile(file.path, 'utf8').catch((error: unknown) => {
      throw new InputFileError(file.path, `cannot be read (${error instanceof Error ? error.message : String(error)})`);
    });
    try {
      extractions.push({ ...(await extractPolicies(file.path, text)), file: file.path });
    } catch (error) {
      // Inside a directory, JSON and YAML that are not IAM material (package.json, CI files) are expected.
      if (!file.explicit && error instanceof InputFileError) {
        if (ctx.io.debug) ctx.io.log(`skipped ${error.message}`);
        continue;
      }
      throw error;
    }
  }
  for (const extraction of extractions) for (const note of extraction.notes) ctx.io.warn(`${extraction.file}: ${note}`);
  const documents = extractions.reduce((n, e) => n + e.policies.length, 0);
  if (documents === 0) ctx.io.warn('no IAM policy documents found in the files given');
  const context = { accountId: options.accountId ?? null, organizationAccountIds: options.orgAccount ?? null };
  const unknownActions = await findUnknownActions(extractions.flatMap((e) => e.policies.map((p) => p.document)));
  const findings = lintFindings(extractions, context, { unknownActions });
  ctx.io.out(
    renderFindings(findings, format, {
      toolVersion: TOOL_VERSION,
      color: ctx.io.color,
      rules: lintRules(),
      title: 'roleshift lint',
    }),
  );
  if (options.failOn) {
    const threshold = severityRank(options.failOn);
    if (findings.some((f) => f.status === 'error' || severityRank(f.severity) >= threshold)) return EXIT.findings;
  }
  return EXIT.ok;
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
