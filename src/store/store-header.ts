import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { UserInputError } from '../errors.js';

/**
 * What makes a file a roleshift store, checked on every open, so that `--store` pointed at the
 * wrong file is refused instead of being changed: a SQLite file would make DuckDB fetch an
 * extension from the network, a DuckDB file of another program would get roleshift's tables (or
 * fail half way on a `scans` table of its own).
 */

/** DuckDB with no extension loading or installing of its own: roleshift works offline. */
export const OFFLINE_DUCKDB_CONFIG = {
  autoinstall_known_extensions: 'false',
  autoload_known_extensions: 'false',
  allow_community_extensions: 'false',
} as const;

export const STORE_FORMAT = 'roleshift';
export const STORE_FORMAT_VERSION = 1;

/** DuckDB's file header carries its magic bytes at offset 8. */
const DUCKDB_MAGIC = Buffer.from('DUCK');
const SQLITE_MAGIC = Buffer.from('SQLite format 3\u0000');

function headerBytes(path: string): Buffer {
  const bytes = Buffer.alloc(16);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, bytes, 0, bytes.length, 0);
  } finally {
    closeSync(fd);
  }
  return bytes;
}

function notAStore(path: string, what: string): UserInputError {
  return new UserInputError(`${path} is ${what}, not a roleshift store: give another --store (nothing was changed)`);
}

/** Before DuckDB opens it: an existing file must be a DuckDB database. A missing file becomes a new store. */
export function assertDuckDbFile(path: string): void {
  const stats = statSync(path, { throwIfNoEntry: false });
  if (stats === undefined) return;
  if (!stats.isFile()) throw notAStore(path, stats.isDirectory() ? 'a folder' : 'not a regular file');
  if (stats.size === 0) throw notAStore(path, 'an empty file');
  const bytes = headerBytes(path);
  if (bytes.subarray(0, SQLITE_MAGIC.length).equals(SQLITE_MAGIC)) throw notAStore(path, 'a SQLite database');
  if (!bytes.subarray(8, 12).equals(DUCKDB_MAGIC)) throw notAStore(path, 'not a DuckDB database');
}

async function tableNames(connection: DuckDBConnection): Promise<string[]> {
  const reader = await connection.runAndReadAll(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY table_name",
  );
  return reader.getRowObjectsJS().map((row) => String(row.table_name));
}

/** A store written before the header existed: the store component's version row and its scans table. */
async function isEarlierRoleshiftStore(connection: DuckDBConnection, tables: readonly string[]): Promise<boolean> {
  if (!tables.includes('schema_versions') || !tables.includes('scans')) return false;
  const reader = await connection.runAndReadAll(
    "SELECT count(*)::INTEGER AS n FROM schema_versions WHERE component = 'store'",
  );
  return Number(reader.getRowObjectsJS()[0]?.n ?? 0) > 0;
}

async function writeHeader(connection: DuckDBConnection, toolVersion: string): Promise<void> {
  await connection.run(
    'CREATE TABLE roleshift_store (format VARCHAR NOT NULL, format_version INTEGER NOT NULL, created_by VARCHAR NOT NULL)',
  );
  await connection.run('INSERT INTO roleshift_store VALUES ($1, $2, $3)', [
    STORE_FORMAT,
    STORE_FORMAT_VERSION,
    toolVersion,
  ]);
}

async function checkHeader(connection: DuckDBConnection, path: string): Promise<void> {
  const rows = (await connection.runAndReadAll('SELECT format, format_version FROM roleshift_store')).getRowObjectsJS();
  const row = rows[0];
  if (rows.length !== 1 || row?.format !== STORE_FORMAT) throw notAStore(path, 'a DuckDB database of another program');
  const version = Number(row.format_version);
  if (version > STORE_FORMAT_VERSION) {
    throw new UserInputError(
      `${path} is a roleshift store of format ${version}, this roleshift knows only ${STORE_FORMAT_VERSION}: upgrade roleshift or use another --store`,
    );
  }
}

/**
 * After DuckDB opened it: the header table says it is a roleshift store; an empty database
 * becomes one; a store of an earlier roleshift (no header yet) gets its header; any other
 * database is refused before roleshift creates or changes anything in it.
 */
export async function claimStore(connection: DuckDBConnection, path: string, toolVersion: string): Promise<void> {
  const tables = await tableNames(connection);
  if (tables.includes('roleshift_store')) return checkHeader(connection, path);
  if (tables.length === 0 || (await isEarlierRoleshiftStore(connection, tables))) {
    return writeHeader(connection, toolVersion);
  }
  const shown = tables.slice(0, 5).join(', ') + (tables.length > 5 ? `, and ${tables.length - 5} more` : '');
  throw notAStore(path, `a DuckDB database of another program (tables ${shown})`);
}
