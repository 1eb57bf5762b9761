import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { EstateRequest } from '../app/estate.js';
import type { RoleshiftConfig } from '../config.js';

/** Where the store lives unless `--store` says otherwise. */
export const DEFAULT_STORE_PATH = '.roleshift/roleshift.duckdb';

/** The store a command uses: `--store FILE`, else `./.roleshift/roleshift.duckdb`. */
export function storePathOf(option: string | undefined): string {
  return resolve(option ?? DEFAULT_STORE_PATH);
}

/** Adds `--snapshot FILE` and `--store FILE` to a command that reads an estate. */
export function withEstateOptions(command: Command): Command {
  return command
    .option('--snapshot <file>', 'read this snapshot file instead of the latest scan in the store')
    .option('--store <file>', `the roleshift store (default ${DEFAULT_STORE_PATH})`);
}

/** Adds `--seed` to a command that shows ExternalIds. */
export function withSeedOption(command: Command): Command {
  return command.option('--seed <seed>', 'derive the ExternalIds from this seed instead of the one kept in the store');
}

/** Adds `--seed` and `--rotate-seed` to a command that plans the ExternalIds. */
export function withSeedOptions(command: Command): Command {
  return withSeedOption(command).option(
    '--rotate-seed',
    'replace the ExternalId seed kept in the store with a new one: every ExternalId changes (tell your vendors)',
  );
}

export interface EstateFlags {
  snapshot?: string;
  store?: string;
  exceptions?: string;
  seed?: string;
  rotateSeed?: boolean;
}

/** The estate a command's flags name, with the settings resolved for it. */
export function estateRequestOf(flags: EstateFlags, config: RoleshiftConfig): EstateRequest {
  return {
    ...(flags.snapshot === undefined ? {} : { snapshot: flags.snapshot }),
    storePath: storePathOf(flags.store),
    ...(flags.exceptions === undefined ? {} : { exceptions: flags.exceptions }),
    config,
    ...(flags.seed === undefined ? {} : { seed: flags.seed }),
    ...(flags.rotateSeed ? { rotateSeed: true } : {}),
  };
}
