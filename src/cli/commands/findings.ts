import { relative } from 'node:path';
import { Command, Option } from 'commander';
import { assessFindings, tripsGate } from '../../app/findings.js';
import { DEFAULT_CONFIG } from '../../config.js';
import { EXIT, UserInputError } from '../../errors.js';
import { SEVERITIES, type Severity } from '../../model/finding.js';
import type { Snapshot } from '../../model/snapshot.js';
import { ESTATE_FINDINGS_FORMATS, renderFindings, type FindingsFormat } from '../../report/findings-format.js';
import { TOOL_VERSION } from '../../version.js';
import { actionOf, withGlobalOptions, type CommandContext } from '../command.js';
import { resolveConfig, withConfigOption } from '../config-file.js';
import { estateRequestOf, withEstateOptions } from '../estate.js';

export interface FindingsOptions {
  format?: FindingsFormat;
  failOn?: Severity;
  snapshot?: string;
  store?: string;
  exceptions?: string;
  config?: string;
  unusedDays?: number;
  keyAgeDays?: number;
  includePassed?: boolean;
  region?: string;
}

/** Security Hub's region for ASFF; IAM is global, so nothing in the scan names one. */
const DEFAULT_ASFF_REGION = 'us-east-1';

function asffRegion(format: FindingsFormat, region: string | undefined): string {
  if (region === undefined) return DEFAULT_ASFF_REGION;
  if (format !== 'asff')
    throw new UserInputError(
      '--region names the Security Hub region of --format asff: add --format asff or drop --region',
    );
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region))
    throw new UserInputError(`--region ${region}: expected an AWS region name such as us-east-1`);
  return region;
}

/** The account ASFF findings are imported into: the Organization's management account, else the one scanned. */
function homeAccountOf(snapshot: Snapshot): string {
  const home = snapshot.organization?.managementAccountId ?? snapshot.accounts[0]?.accountId;
  if (home === undefined)
    throw new UserInputError('the snapshot holds no account, so ASFF findings have no account to be imported into');
  return home;
}

function positiveInteger(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0)
      throw new UserInputError(`${flag} ${value}: expected a positive whole number of days`);
    return n;
  };
}

export async function runFindings(ctx: CommandContext, options: FindingsOptions): Promise<number> {
  const format: FindingsFormat = options.format ?? (ctx.io.json ? 'json' : 'table');
  const region = asffRegion(format, options.region);
  const config = resolveConfig(options);
  const result = await assessFindings(estateRequestOf(options, config), { now: ctx.now, notes: ctx.io });
  const { findings, snapshot } = result;
  const artifactUri =
    options.snapshot !== undefined ? relative(process.cwd(), options.snapshot) || options.snapshot : undefined;
  const shown = options.includePassed === true ? [...findings, ...result.passed] : findings;
  ctx.io.out(
    renderFindings(shown, format, {
      toolVersion: TOOL_VERSION,
      color: ctx.io.color,
      rules: result.rules,
      title: 'roleshift findings',
      ...(format === 'asff' ? { asff: { now: ctx.now, region, homeAccountId: homeAccountOf(snapshot) } } : {}),
      ...(artifactUri !== undefined ? { artifactUri } : {}),
    }),
  );
  const errors = findings.filter((f) => f.status === 'error');
  for (const f of errors) ctx.io.warn(`check ${f.checkId} failed to run: ${f.message}`);
  if (!result.hasExceptionsRegister)
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
    .addOption(new Option('--format <format>', 'output format').choices([...ESTATE_FINDINGS_FORMATS]))
    .addOption(
      new Option(
        '--fail-on <severity>',
        'exit 1 when a finding is at or above this severity (or a check failed to run)',
      ).choices([...SEVERITIES]),
    )
    .option('--region <region>', `the Security Hub region written into --format asff (default ${DEFAULT_ASFF_REGION})`)
    .option('--include-passed', 'also write the checks that passed, per resource, as evidence for auditors')
    .option(
      '--exceptions <file>',
      'the exceptions register (default: exceptionsFile from the config, roleshift.exceptions.yaml)',
    )
    .option(
      '--unused-days <days>',
      `credentials unused this many days are stale (default ${DEFAULT_CONFIG.thresholds.unusedCredentialDays}, CIS 1.12)`,
      positiveInteger('--unused-days'),
    )
    .option(
      '--key-age-days <days>',
      `active keys older than this must be rotated (default ${DEFAULT_CONFIG.thresholds.keyRotationDays}, CIS 1.14)`,
      positiveInteger('--key-age-days'),
    )
    .addHelpText(
      'after',
      `
Examples:
  roleshift findings                                   # latest scan in the store, as a table
  roleshift findings --snapshot estate.json --format sarif > findings.sarif   # results anchor to estate.json (GitHub code scanning needs a file)
  roleshift findings --fail-on high                    # CI gate: exit 1 on high or critical
  roleshift findings --format csv --exceptions accepted.yaml
  roleshift findings --include-passed --format csv > evidence.csv   # every check that held, per resource, too
  roleshift findings --format asff --region eu-west-1 > findings.asff.json   # Security Hub's format (import 100 per call)`,
    );
  program.addCommand(
    withGlobalOptions(withConfigOption(withEstateOptions(command))).action(
      actionOf<FindingsOptions>((ctx, options) => runFindings(ctx, options)),
    ),
  );
}
