import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { LineCounter, parseDocument } from 'yaml';
import { readTextFile } from '../app/files.js';
import { RoleshiftConfigSchema, type RoleshiftConfig } from '../config.js';
import { InputFileError, UserInputError } from '../errors.js';

export const DEFAULT_CONFIG_FILE = 'roleshift.config.yaml';

/** Flags that override a setting; every command that reads the estate accepts `--config`. */
export interface ConfigFlags {
  config?: string;
  unusedDays?: number;
  keyAgeDays?: number;
  watchDays?: number;
}

/** Environment variables, applied after the file and before the flags. */
const ENVIRONMENT: ReadonlyArray<{ name: string; path: [keyof RoleshiftConfig, string] }> = [
  { name: 'ROLESHIFT_UNUSED_CREDENTIAL_DAYS', path: ['thresholds', 'unusedCredentialDays'] },
  { name: 'ROLESHIFT_KEY_ROTATION_DAYS', path: ['thresholds', 'keyRotationDays'] },
  { name: 'ROLESHIFT_CREDENTIAL_REPORT_MAX_AGE_HOURS', path: ['thresholds', 'credentialReportMaxAgeHours'] },
  { name: 'ROLESHIFT_WATCH_DAYS', path: ['remediation', 'watchDays'] },
];

function readConfigFile(file: string): Record<string, unknown> {
  const counter = new LineCounter();
  const doc = parseDocument(readTextFile(file), { lineCounter: counter, prettyErrors: false });
  const error = doc.errors[0];
  if (error)
    throw new InputFileError(
      file,
      `line ${counter.linePos(error.pos[0]).line}: not valid YAML (${error.message.split('\n')[0] ?? error.code})`,
    );
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (problem) {
    throw new InputFileError(
      file,
      `not a usable YAML document (${problem instanceof Error ? problem.message.split('\n')[0] : String(problem)})`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new InputFileError(file, 'must be a map of settings');
  return value as Record<string, unknown>;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Sets `section.key`, keeping a section that is not a map as written so validation names it. */
function overlay(raw: Record<string, unknown>, section: string, key: string, value: unknown): void {
  const current = raw[section];
  if (current !== undefined && !isMap(current)) return;
  raw[section] = { ...(current ?? {}), [key]: value };
}

/**
 * The one place settings are resolved: typed defaults, then the config file (`--config`, else
 * `ROLESHIFT_CONFIG`, else ./roleshift.config.yaml when present), then the environment, then the
 * flags. Validated once; an unknown or invalid setting is a one-line input error.
 */
export function resolveConfig(flags: ConfigFlags, env: NodeJS.ProcessEnv = process.env): RoleshiftConfig {
  const file = flags.config ?? env.ROLESHIFT_CONFIG ?? (existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : null);
  const raw: Record<string, unknown> = file === null ? {} : readConfigFile(file);
  for (const { name, path } of ENVIRONMENT) {
    const text = env[name];
    if (text === undefined || text === '') continue;
    const value = Number(text);
    if (!Number.isFinite(value) || value < 0)
      throw new UserInputError(`${name}=${text}: expected a number of days or hours, 0 or more`);
    overlay(raw, path[0], path[1], value);
  }
  if (flags.unusedDays !== undefined) overlay(raw, 'thresholds', 'unusedCredentialDays', flags.unusedDays);
  if (flags.keyAgeDays !== undefined) overlay(raw, 'thresholds', 'keyRotationDays', flags.keyAgeDays);
  if (flags.watchDays !== undefined) overlay(raw, 'remediation', 'watchDays', flags.watchDays);
  const parsed = RoleshiftConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    const message =
      issue?.code === 'unrecognized_keys' ? `unknown setting ${issue.keys.join(', ')}` : (issue?.message ?? 'invalid');
    const problem = `${where}${message}`;
    if (file !== null) throw new InputFileError(file, problem);
    throw new UserInputError(`invalid setting: ${problem}`);
  }
  return parsed.data;
}

export function withConfigOption(command: Command): Command {
  return command.option(
    '--config <file>',
    `settings file (default $ROLESHIFT_CONFIG, else ./${DEFAULT_CONFIG_FILE} when present)`,
  );
}
