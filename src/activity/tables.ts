import type { DuckDBConnection } from '@duckdb/node-api';
import { applyMigrations, type Migration } from '../store/migrate.js';

/**
 * The activity tables. `ct_events` keeps only the flattened fields usage facts need (about a
 * tenth of a raw record), so a year of an estate's management events fits one machine.
 * `event_time` is ISO-8601 text, exactly as Athena's CloudTrail table has it, so the same
 * comparisons and min/max work on both engines.
 */
export const EVENT_COLUMNS = [
  'file_key',
  'event_time',
  'event_source',
  'event_name',
  'aws_region',
  'source_ip',
  'user_agent',
  'error_code',
  'identity_type',
  'principal_arn',
  'account_id',
  'access_key_id',
  'user_name',
  'session_issuer_arn',
  'mfa_used',
  'login_succeeded',
  'federation_provider',
  'federation_subject',
  'role_arn',
  'resources',
  'request_references',
] as const;

const ACTIVITY_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    statements: [
      `CREATE TABLE ct_files (
         file_key VARCHAR PRIMARY KEY,
         size BIGINT NOT NULL,
         version VARCHAR NOT NULL,
         records INTEGER NOT NULL,
         bad_records INTEGER NOT NULL,
         problem VARCHAR
       )`,
      `CREATE TABLE ct_events (
         file_key VARCHAR NOT NULL,
         event_time VARCHAR NOT NULL,
         event_source VARCHAR NOT NULL,
         event_name VARCHAR NOT NULL,
         aws_region VARCHAR,
         source_ip VARCHAR,
         user_agent VARCHAR,
         error_code VARCHAR,
         identity_type VARCHAR,
         principal_arn VARCHAR,
         account_id VARCHAR,
         access_key_id VARCHAR,
         user_name VARCHAR,
         session_issuer_arn VARCHAR,
         mfa_used BOOLEAN,
         login_succeeded BOOLEAN,
         federation_provider VARCHAR,
         federation_subject VARCHAR,
         role_arn VARCHAR,
         resources VARCHAR[]
       )`,
    ],
  },
  {
    // The native reader inserts a batch whole and removes its non-events after counting them.
    version: 2,
    statements: [
      'ALTER TABLE ct_events ALTER COLUMN event_time DROP NOT NULL',
      'ALTER TABLE ct_events ALTER COLUMN event_source DROP NOT NULL',
      'ALTER TABLE ct_events ALTER COLUMN event_name DROP NOT NULL',
    ],
  },
  {
    // What a call implies beyond itself (the role it passes, the KMS key it uses). Events read
    // before this column existed keep NULL there, which the queries report as not known, never
    // as "nothing implied": an empty list is what a new event without such values gets.
    version: 3,
    statements: ['ALTER TABLE ct_events ADD COLUMN request_references VARCHAR[]'],
  },
];

/** Creates or upgrades the activity tables on a store connection (idempotent). */
export async function ensureActivityTables(connection: DuckDBConnection): Promise<void> {
  await applyMigrations(connection, 'activity', ACTIVITY_MIGRATIONS);
}
