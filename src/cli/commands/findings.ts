import { relative } from 'node:path';
import { Command, Option } from 'commander';
import { usageToActivityEvidence } from '../../activity/evidence.js';
import { classifyUsers } from '../../assess/classify.js';
import { findingsRules } from '../../assess/registry.js';
import { runChecks, trustFindings } from '../../assess/run-checks.js';
import { EXIT, InputFileError, UserInputError } from '../../errors.js';
import { SEVERITIES, severityRank, type Finding, type Severity } from '../../model/finding.js';
import { FINDINGS_FORMATS, renderFindings, type FindingsFormat } from '../../report/findings-format.js';
import { TOOL_VERSION } from '../../version.js';
import { actionOf, withGlobalOptions, type CommandContext } from '../command.js';
import { readExceptionsRegister, resolveConfig, withConfigOption } from '../config-file.js';
import { loadEstate, withEstateOptions } from '../estate.js';

export interface FindingsOptions {
  format?: FindingsFormat;
  failOn?: Severity;
  snapshot?: string;
  store?: string;
  exceptions?: string;
  config?: string;
  unusedDays?: number;
  keyAgeDays?: number;
}

function positiveInteger(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0)
      throw new UserInputError(`${flag} ${value}: expected a positive whole number of days`);
    return n;
  };
}

/** Whether the findings trip the gate: any finding at or above the threshold, or a check that could not run. */
export function tripsGate(findings: readonly Finding[], failOn: Severity | undefined): boolean {
  if (failOn === undefined) return false;
  const threshold = severityRank(failOn);
  return findings.some((f) => f.status === 'error' || severityRank(f.severity) >= threshold);
}

export async function runFindings(ctx: CommandContext, options: FindingsOptions): Promise<number> {
  const format: FindingsFormat = options.format ?? (ctx.io.json ? 'json' : 'table');
  const config = resolveConfig(options);
  const exceptions = readExceptionsRegister(options.exceptions, config);
  const snapshot = await loadEstate(ctx, { snapshot: options.snapshot, store: options.store });
  const activity = snapshot.usage === undefined ? undefined : usageToActivityEvidence(snapshot.usage);
  const classifications = classifyUsers(snapshot, activity === undefined ? { config } : { config, activity });
  const context = {
    now: ctx.now,
    config,
    classifications,
    exceptions,
    ...(activity === undefined ? {} : { usage: activity }),
  };
  const findings = [...runChecks(snapshot, context), ...trustFindings(snapshot)];
  const artifactUri =
    options.snapshot !== undefined ? relative(process.cwd(), options.snapshot) || options.snapshot : undefined;
  ctx.io.out(
    renderFindings(findings, format, {
      toolVersion: TOOL_VERSION,
      color: ctx.io.color,
      rules: findingsRules(),
      title: 'roleshift findings',
      ...(artifactUri !== undefined ? { artifactUri } : {}),
    }),
  );
  const errors = findings.filter((f) => f.status === 'error');
  for (const f of errors) ctx.io.warn(`check ${f.checkId} failed to run: ${f.message}`);
  if (exceptions === null)
    ctx.io.log(
      `no exceptions register (${config.exceptionsFile}): every IAM user with credentials counts as unregistered`,
    );
  if (tripsGate(findings, options.failOn)) return EXIT.findings;
  if (snapshot.gaps.length > 0) {
    ctx.io.warn(
      `${snapshot.gaps.length} gap${snapshot.gaps.length === 1 ? '' : 's'} in the scan: some accounts or APIs could not be read, so findings for them are missing`,
    );
    return EXIT.gaps;
  }
  return EXIT.ok;
}

export function register(program: Command): void {
  const command = new Command('findings')
    .description(
      'Assess the estate: CIS / Security Hub mapped checks on IAM users and root, trust-policy analysis of roles, and the exceptions register.',
    )
    .addOption(new Option('--format <format>', 'output format').choices([...FINDINGS_FORMATS]))
    .addOption(
      new Option(
        '--fail-on <severity>',
        'exit 1 when a finding is at or above this severity (or a check failed to run)',
      ).choices([...SEVERITIES]),
    )
    .option(
      '--exceptions <file>',
      'the exceptions register (default: exceptionsFile from the config, roleshift.exceptions.yaml)',
    )
    .option(
      '--unused-days <days>',
      'credentials unused this many days are stale (default 45, CIS 1.12)',
      positiveInteger('--unused-days'),
    )
    .option(
      '--key-age-days <days>',
      'active keys older than this must be rotated (default 90, CIS 1.14)',
      positiveInteger('--key-age-days'),
    )
    .addHelpText(
      'after',
      `
Examples:
  roleshift findings                                   # latest scan in the store, as a table
  roleshift findings --snapshot estate.json --format sarif > findings.sarif   # results anchor to estate.json (GitHub code scanning needs a file)
  roleshift findings --fail-on high                    # CI gate: exit 1 on high or critical
  roleshift findings --format csv --exceptions accepted.yaml`,
    );
  program.addCommand(
    withGlobalOptions(withConfigOption(withEstateOptions(command))).action(
      actionOf<FindingsOptions>((ctx, options) => runFindings(ctx, options)),
    ),
  );
}
