/** Where CloudTrail is read from and for which window: the request `scan` and `activity` share. */
import { assertCloudTrailLocation, parseWindowDate, type CloudTrailOptions } from '../activity/scan.js';
import { UserInputError } from '../errors.js';
import type { Notes } from './ports.js';

export interface CloudTrailRequest {
  /** A log file, a folder, or s3://BUCKET/PREFIX (DuckDB engine). */
  cloudtrail?: string;
  /** YYYY-MM-DD or ISO-8601, as given. */
  since?: string;
  until?: string;
  engine?: 'duckdb' | 'athena';
  athenaDatabase?: string;
  athenaTable?: string;
  athenaWorkgroup?: string;
  athenaOutput?: string;
  athenaRegion?: string;
}

/** True when the request asks for CloudTrail at all. */
export function wantsCloudTrail(request: CloudTrailRequest): boolean {
  return request.cloudtrail !== undefined || request.engine === 'athena';
}

/** The request checked (before any long collection) and made ready for the activity module. */
export function cloudTrailOptionsOf(request: CloudTrailRequest, notes: Pick<Notes, 'log'>): CloudTrailOptions {
  const engine = request.engine ?? 'duckdb';
  if (engine === 'athena' && (request.athenaDatabase === undefined || request.athenaTable === undefined)) {
    throw new UserInputError(
      '--engine athena needs --athena-database and --athena-table (create the table with `roleshift activity athena-ddl`)',
    );
  }
  if (engine === 'duckdb' && request.cloudtrail === undefined)
    throw new UserInputError('give --cloudtrail PATH|s3://BUCKET/PREFIX, or --engine athena');
  if (engine === 'duckdb') assertCloudTrailLocation(request.cloudtrail);
  return {
    cloudtrail: request.cloudtrail,
    since: parseWindowDate('--since', request.since),
    until: parseWindowDate('--until', request.until),
    engine,
    athena:
      engine === 'athena'
        ? {
            database: request.athenaDatabase ?? '',
            table: request.athenaTable ?? '',
            workgroup: request.athenaWorkgroup,
            outputLocation: request.athenaOutput,
            client: request.athenaRegion === undefined ? {} : { region: request.athenaRegion },
          }
        : undefined,
    log: (line) => notes.log(line),
  };
}
