/**
 * The ExternalId seed of an estate. ExternalIds must stay the same from one run to the next (a
 * vendor is given one once), and must not be guessable: they derive from a secret seed that is
 * created once and kept in the store, or given with `--seed`. `--rotate-seed` draws a new one.
 */
import { randomBytes } from 'node:crypto';
import { UserInputError } from '../errors.js';
import type { Store } from '../store/store.js';
import { keptExternalIdSeed } from '../store/external-id-seed.js';
import type { Notes } from './ports.js';

export interface SeedRequest {
  /** `--seed`: reproduces the ExternalIds made with it; never stored. */
  seed?: string;
  /** `--rotate-seed`: replace the store's seed, which changes every ExternalId. */
  rotateSeed?: boolean;
}

export type SeedSource = 'flag' | 'store' | 'one-off';

function freshSeed(): string {
  return randomBytes(16).toString('hex');
}

/** A seed given on the command line, checked: a short one would make the ExternalIds guessable. */
export function validSeed(option: string): string {
  if (option.trim().length < 8)
    throw new UserInputError('--seed must be at least 8 characters: it makes the ExternalIds hard to guess');
  return option;
}

/**
 * The seed for this run: `--seed`, else the one kept in the store (created on first use), else,
 * with no store to keep one in, a one-off seed whose ExternalIds the next run will not repeat.
 */
export async function externalIdSeedFor(
  store: Store | null,
  request: SeedRequest,
  context: { now: Date; notes: Notes },
): Promise<{ seed: string; source: SeedSource }> {
  if (request.seed !== undefined) {
    if (request.rotateSeed) throw new UserInputError('--rotate-seed draws a new stored seed: leave out --seed');
    return { seed: validSeed(request.seed), source: 'flag' };
  }
  if (store === null) {
    if (request.rotateSeed)
      throw new UserInputError('--rotate-seed needs a store to keep the new seed in: run roleshift scan first');
    return { seed: freshSeed(), source: 'one-off' };
  }
  const kept = await keptExternalIdSeed(store.connection, {
    fresh: freshSeed,
    rotate: Boolean(request.rotateSeed),
    now: context.now,
  });
  if (kept.created && request.rotateSeed)
    context.notes.warn(
      `rotated the ExternalId seed in ${store.path}: every ExternalId changes; give each vendor its new one`,
    );
  return { seed: kept.seed, source: 'store' };
}
