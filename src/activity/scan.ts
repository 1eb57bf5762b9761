import { existsSync } from 'node:fs';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { S3ClientConfig } from '@aws-sdk/client-s3';
import { errorCodeOf } from '../aws/errors.js';
import { UserInputError } from '../errors.js';
import type { Gap, Snapshot } from '../model/snapshot.js';
import type { Usage } from '../model/usage.js';
import { OFFLINE_DUCKDB_CONFIG } from '../store/store-header.js';
import { athenaRunner, type AthenaOptions } from './athena-client.js';
import { ingestCloudTrail } from './ingest.js';
import { athenaDialect, duckdbDialect } from './queries.js';
import { s3Source } from './s3-client.js';
import { localSource, type LogSource } from './source.js';
import { duckdbRunner, queryUsage } from './usage.js';

export interface CloudTrailOptions {
  /** A log file, a folder, or s3://BUCKET/PREFIX (DuckDB engine). */
  cloudtrail?: string;
  since?: Date | null;
  until?: Date | null;
  engine?: 'duckdb' | 'athena';
  /** The store's connection, so ingestion is incremental across runs; in-memory otherwise. */
  connection?: DuckDBConnection;
  athena?: AthenaOptions;
  /** S3 client settings (endpoint, region, credentials) for s3:// input. */
  s3?: S3ClientConfig;
  log?: (line: string) => void;
}

function iso(date: Date | null | undefined): string | null {
  return date === null || date === undefined ? null : date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Parses --since / --until: a date (YYYY-MM-DD) or an ISO-8601 instant. `--until` dates are inclusive. */
export function parseWindowDate(flag: '--since' | '--until', value: string | undefined): Date | null {
  if (value === undefined || value === '') return null;
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const parsed = new Date(dateOnly ? `${value}T${flag === '--until' ? '23:59:59' : '00:00:00'}Z` : value);
  if (Number.isNaN(parsed.getTime()))
    throw new UserInputError(
      `${flag} ${value}: not a date; write YYYY-MM-DD or an ISO-8601 time such as 2025-03-06T00:00:00Z`,
    );
  return parsed;
}

/**
 * A local `--cloudtrail` path that does not exist is a typo: said before a scan that may take
 * minutes, not after it. (An S3 location can only be tried; its failure becomes a gap.)
 */
export function assertCloudTrailLocation(location: string | undefined): void {
  if (location === undefined || location.startsWith('s3://') || existsSync(location)) return;
  throw new UserInputError(
    `--cloudtrail ${location}: no such file or directory; give a CloudTrail log file, a folder of them, or s3://BUCKET/PREFIX`,
  );
}

export function sourceFor(location: string, s3: S3ClientConfig = {}): LogSource {
  return location.startsWith('s3://') ? s3Source(location, s3) : localSource(location);
}

/** Reads CloudTrail (ingest into DuckDB, or query Athena) and returns the usage facts. */
export async function collectUsage(options: CloudTrailOptions): Promise<Usage> {
  const since = options.since ?? null;
  const until = options.until ?? null;
  if (since !== null && until !== null && since > until)
    throw new UserInputError('--since is after --until: give a window that starts before it ends');
  if ((options.engine ?? 'duckdb') === 'athena') {
    if (options.athena === undefined)
      throw new UserInputError('--engine athena needs --athena-database and --athena-table');
    const { runner } = athenaRunner(options.athena);
    const dialect = athenaDialect(options.athena.database, options.athena.table);
    return queryUsage(
      runner,
      dialect,
      { since: iso(since), until: iso(until) },
      {
        engine: 'athena',
        origin: `athena:${options.athena.database}.${options.athena.table}`,
        since: iso(since),
        until: iso(until),
        filesRead: 0,
        filesSkipped: 0,
        unreadable: [],
        records: 0,
        badRecords: 0,
      },
    );
  }
  if (options.cloudtrail === undefined)
    throw new UserInputError('--cloudtrail PATH|s3://BUCKET/PREFIX is needed with the duckdb engine');
  let owned: DuckDBInstance | null = null;
  let connection = options.connection;
  if (connection === undefined) {
    owned = await DuckDBInstance.create(':memory:', OFFLINE_DUCKDB_CONFIG);
    connection = await owned.connect();
  }
  try {
    const source = sourceFor(options.cloudtrail, options.s3);
    const ingested = await ingestCloudTrail(connection, source, { since, until, log: options.log });
    options.log?.(
      `cloudtrail: ${ingested.filesRead} files read, ${ingested.filesSkipped} already ingested, ${ingested.unreadable.length} unreadable, ${ingested.records} events`,
    );
    return await queryUsage(
      duckdbRunner(connection),
      duckdbDialect(),
      { since: iso(since), until: iso(until), origin: source.origin },
      {
        engine: 'duckdb',
        origin: source.origin,
        since: iso(since),
        until: iso(until),
        filesRead: ingested.filesRead,
        filesSkipped: ingested.filesSkipped,
        unreadable: ingested.unreadable,
        records: ingested.records,
        badRecords: ingested.badRecords,
      },
    );
  } finally {
    if (owned !== null) {
      connection.closeSync();
      owned.closeSync();
    }
  }
}

/** The API name a CloudTrail gap carries: not an AWS API, so it never reads as an IAM call. */
export const CLOUDTRAIL_GAP_API = 'cloudtrail:ReadLogs';

function cloudTrailGap(errorCode: string, message: string): Gap {
  return { accountId: null, region: null, api: CLOUDTRAIL_GAP_API, errorCode, message };
}

/**
 * What the usage facts lack: files that could not be read and records that were not events.
 * Usage steers classification and "unused" findings, so a short read is a gap, not a footnote.
 */
export function usageGaps(usage: Usage): Gap[] {
  const gaps: Gap[] = [];
  const { unreadable, badRecords, origin } = usage.source;
  const [first] = unreadable;
  if (first !== undefined) {
    const more = unreadable.length > 1 ? ` and ${unreadable.length - 1} more` : '';
    gaps.push(
      cloudTrailGap(
        'Unreadable',
        `${unreadable.length} CloudTrail file(s) under ${origin} could not be read (${first.file}: ${first.problem}${more}): their events are missing from the usage`,
      ),
    );
  }
  if (badRecords > 0) {
    gaps.push(
      cloudTrailGap(
        'BadRecords',
        `${badRecords} record(s) in the CloudTrail files under ${origin} are not CloudTrail events and were not counted`,
      ),
    );
  }
  return gaps;
}

/**
 * The scan command's hook: the snapshot with `usage` added. Unreadable log files also become
 * collection warnings, so they show wherever warnings show, and gaps. CloudTrail that cannot be
 * read at all (a missing bucket, access denied) keeps the IAM snapshot already collected: the
 * failure is a gap, not the end of the scan. Only a usage error (bad flags) still throws.
 */
export async function addUsageToSnapshot(snapshot: Snapshot, options: CloudTrailOptions): Promise<Snapshot> {
  let usage: Usage;
  try {
    usage = await collectUsage(options);
  } catch (error) {
    if (error instanceof UserInputError) throw error;
    const gap = cloudTrailGap(
      errorCodeOf(error),
      `CloudTrail ${options.cloudtrail ?? 'logs'} could not be read: ${firstLine(error)}; the snapshot has no usage facts`,
    );
    return { ...snapshot, gaps: [...snapshot.gaps, gap] };
  }
  const warnings = usage.source.unreadable.map(
    (file) => `cloudtrail: ${file.file} could not be read (${file.problem}); its events are missing`,
  );
  return {
    ...snapshot,
    usage,
    gaps: [...snapshot.gaps, ...usageGaps(usage)],
    collection: { ...snapshot.collection, warnings: [...snapshot.collection.warnings, ...warnings] },
  };
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]?.trim() || errorCodeOf(error);
}
