import type { FlatEvent } from './event.js';
import { EVENT_COLUMNS } from './tables.js';

/**
 * One flattened event as a JSON line. Rows go to DuckDB through `read_json` on a batch file:
 * DuckDB parses it natively on all cores, which is several times faster than appending value
 * by value through the Node binding (measured: bench/README.md).
 */
export function eventLine(fileKey: string, event: FlatEvent): string {
  return JSON.stringify({
    file_key: fileKey,
    event_time: event.eventTime,
    event_source: event.eventSource,
    event_name: event.eventName,
    aws_region: event.awsRegion,
    source_ip: event.sourceIp,
    user_agent: event.userAgent,
    error_code: event.errorCode,
    identity_type: event.identityType,
    principal_arn: event.principalArn,
    account_id: event.accountId,
    access_key_id: event.accessKeyId,
    user_name: event.userName,
    session_issuer_arn: event.sessionIssuerArn,
    mfa_used: event.mfaUsed,
    login_succeeded: event.loginSucceeded,
    federation_provider: event.federationProvider,
    federation_subject: event.federationSubject,
    role_arn: event.roleArn,
    resources: event.resources.length === 0 ? null : event.resources,
    request_references: event.requestReferences,
  });
}

const COLUMN_TYPES: Partial<Record<(typeof EVENT_COLUMNS)[number], string>> = {
  mfa_used: 'BOOLEAN',
  login_succeeded: 'BOOLEAN',
  resources: 'VARCHAR[]',
  request_references: 'VARCHAR[]',
};

/** The `columns` argument of `read_json` for a file of `eventLine`s. */
export const EVENT_LINE_COLUMNS = `{${EVENT_COLUMNS.map((column) => `${column}: '${COLUMN_TYPES[column] ?? 'VARCHAR'}'`).join(', ')}}`;
