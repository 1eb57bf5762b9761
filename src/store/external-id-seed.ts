/**
 * The secret seed every ExternalId of an estate derives from, kept in the store so that `plan`,
 * `generate`, `report` and `serve` show the same ExternalIds on every run, until the user
 * rotates it (`roleshift plan --rotate-seed`). Never printed by roleshift itself.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { applyMigrations, type Migration } from './migrate.js';

const SEED_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    statements: [
      `CREATE TABLE external_id_seed (
         seed VARCHAR NOT NULL,
         created_at VARCHAR NOT NULL
       )`,
    ],
  },
];

export interface KeptSeed {
  seed: string;
  /** True when this call created it (the first plan of the estate, or a rotation). */
  created: boolean;
}

/**
 * The estate's seed: the kept one, else `fresh()` saved as the estate's seed. `rotate` replaces
 * the kept one with `fresh()`, which changes every ExternalId derived from it.
 */
export async function keptExternalIdSeed(
  connection: DuckDBConnection,
  options: { fresh: () => string; rotate: boolean; now: Date },
): Promise<KeptSeed> {
  await applyMigrations(connection, 'external-id-seed', SEED_MIGRATIONS);
  if (!options.rotate) {
    const rows = (await connection.runAndReadAll('SELECT seed FROM external_id_seed LIMIT 1')).getRowObjectsJS();
    const kept = rows[0]?.seed;
    if (typeof kept === 'string') return { seed: kept, created: false };
  }
  const seed = options.fresh();
  await connection.run('BEGIN TRANSACTION');
  try {
    await connection.run('DELETE FROM external_id_seed');
    await connection.run('INSERT INTO external_id_seed (seed, created_at) VALUES ($1, $2)', [
      seed,
      options.now.toISOString(),
    ]);
    await connection.run('COMMIT');
  } catch (error) {
    await connection.run('ROLLBACK');
    throw error;
  }
  return { seed, created: true };
}
