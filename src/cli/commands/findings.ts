import { relative } from 'node:path';
import { Command, Option } from 'commander';
import { assessFindings, tripsGate } from '../../app/findings.js';
import { DEFAULT_CONFIG } from '../../config.js';
import { EXIT, UserInputError } from '../../errors.js';
import { SEVERITIES, type Severity } from '../../model/finding.js';
import type { Snapshot } from '../../model/snapshot.js';
import {
  ESTATE_FINDINGS_FORMATS,
  renderFindings,
  type FindingsFormat,
  type RenderFindingsOptions,
} from '../../report/findings-format.js';
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

/** The region written into ASFF (Security Hub's) and OCSF; IAM is global, so nothing in the scan names one. */
const DEFAULT_REGION = 'us-east-1';
/** The formats that file each finding under an account and a region. */
const REGIONAL_FORMATS: readonly FindingsFormat[] = ['asff', 'ocsf'];

function regionFor(format: FindingsFormat, region: string | undefined): string {
  if (region === undefined) return DEFAULT_REGION;
  if (!REGIONAL_FORMATS.includes(format))
    throw new UserInputError(
      '--region names the region written into --format asff or ocsf: add one of those formats or drop --region',
    );
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region))
    throw new UserInputError(`--region ${region}: expected an AWS region name such as us-east-1`);
  return region;
}

/** Where findings tied to no account are filed: the Organization's management account, else the one scanned. */
function homeAccountOf(snapshot: Snapshot, format: FindingsFormat): string {
  const home = snapshot.organization?.managementAccountId ?? snapshot.accounts[0]?.accountId;
  if (home === undefined)
    throw new UserInputError(
      `the snapshot holds no account, so --format ${format} has no account to file its findings under`,
    );
  return home;
}

/** The options of the format that needs them: the clock, the region and the accounts. */
function regionalOptions(
  format: FindingsFormat,
  region: string,
  snapshot: Snapshot,
  now: Date,
): Pick<RenderFindingsOptions, 'asff' | 'ocsf'> {
  if (format === 'asff') return { asff: { now, region, homeAccountId: homeAccountOf(snapshot, format) } };
  if (format !== 'ocsf') return {};
  const organizationId = snapshot.organization?.id;
  return {
    ocsf: {
      now,
      region,
      homeAccountId: homeAccountOf(snapshot, format),
      ...(organizationId !== undefined ? { organizationId } : {}),
    },
  };
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
  const region = regionFor(format, options.region);
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
      ...regionalOptions(format, region, snapshot, ctx.now),
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
    .option(
      '--region <region>',
      `the region written into --format asff (Security Hub's) and --format ocsf (default ${DEFAULT_REGION})`,
    )
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
  roleshift findings --format asff --region eu-west-1 > findings.asff.json   # Security Hub's format (import 100 per call)
  roleshift findings --format ocsf --include-passed > findings.ocsf.json   # OCSF 1.5.0 Detection Findings, as Prowler's json-ocsf`,
    );
  program.addCommand(
    withGlobalOptions(withConfigOption(withEstateOptions(command))).action(
      actionOf<FindingsOptions>((ctx, options) => runFindings(ctx, options)),
    ),
  );
}
