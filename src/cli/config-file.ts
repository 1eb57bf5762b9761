import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { type Document, isMap as isYamlMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { readTextFile } from '../app/files.js';
import { RoleshiftConfigSchema, type RoleshiftConfig } from '../config.js';
import { InputFileError, UserInputError } from '../errors.js';
import type { z } from 'zod';

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

interface ConfigFile {
  settings: Record<string, unknown>;
  /** The line where the setting at `path` is written, or null when the file does not hold it. */
  lineOf(path: ReadonlyArray<PropertyKey>): number | null;
}

/** The node a key or index leads to in a parsed YAML document, and the node naming it. */
function yamlNodeAt(doc: Document, path: ReadonlyArray<PropertyKey>): Node | null {
  let node: unknown = doc.contents;
  let named: Node | null = null;
  for (const segment of path) {
    if (isYamlMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) return null;
      named = pair.key as Node;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
      named = (node as Node | undefined) ?? null;
    } else return null;
  }
  return named;
}

function readConfigFile(file: string): ConfigFile {
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
  const lineOf = (path: ReadonlyArray<PropertyKey>) => {
    const start = yamlNodeAt(doc, path)?.range?.[0];
    return start === undefined ? null : counter.linePos(start).line;
  };
  return { settings: value as Record<string, unknown>, lineOf };
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

type SettingIssue = z.core.$ZodIssue;

/** One line naming the file, the line of the setting when the file holds it, the setting and what is wrong. */
function settingError(issue: SettingIssue | undefined, file: string | null, read: ConfigFile | null): UserInputError {
  const path = issue?.path ?? [];
  const where = path.length > 0 ? `${path.join('.')}: ` : '';
  const unknownKeys = issue?.code === 'unrecognized_keys' ? issue.keys : null;
  const message = unknownKeys ? `unknown setting ${unknownKeys.join(', ')}` : (issue?.message ?? 'invalid');
  if (file === null || read === null) return new UserInputError(`invalid setting: ${where}${message}`);
  const line = read.lineOf(unknownKeys ? [...path, unknownKeys[0] ?? ''] : path);
  return new InputFileError(file, `${line === null ? '' : `line ${line}: `}${where}${message}`);
}

/**
 * The one place settings are resolved: typed defaults, then the config file (`--config`, else
 * `ROLESHIFT_CONFIG`, else ./roleshift.config.yaml when present), then the environment, then the
 * flags. Validated once; an unknown or invalid setting is a one-line input error.
 */
export function resolveConfig(flags: ConfigFlags, env: NodeJS.ProcessEnv = process.env): RoleshiftConfig {
  const file = flags.config ?? env.ROLESHIFT_CONFIG ?? (existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : null);
  const read = file === null ? null : readConfigFile(file);
  const raw: Record<string, unknown> = read?.settings ?? {};
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
  if (!parsed.success) throw settingError(parsed.error.issues[0], file, read);
  return parsed.data;
}

export function withConfigOption(command: Command): Command {
  return command.option(
    '--config <file>',
    `settings file (default $ROLESHIFT_CONFIG, else ./${DEFAULT_CONFIG_FILE} when present)`,
  );
}
