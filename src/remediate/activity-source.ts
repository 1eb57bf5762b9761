import type { DuckDBConnection } from '@duckdb/node-api';
import type { DeniedCallEvent } from './lifecycle.js';

export type DeniedCallSource = (
  who: { accountId: string; userName: string; accessKeyIds: readonly string[] },
  since: string,
) => Promise<DeniedCallEvent[]>;

export const NO_ACTIVITY: DeniedCallSource = async () => [];

/**
 * Denied calls from the activity tables in the same store (`ct_events`, written by the activity
 * module), when CloudTrail was ingested; no table means no activity data, which status says.
 */
export async function deniedCallsFromStore(connection: DuckDBConnection): Promise<DeniedCallSource | null> {
  const tables = (
    await connection.runAndReadAll(`SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'ct_events'`)
  ).getRowObjectsJS();
  if (Number(tables[0]?.n ?? 0) === 0) return null;
  return async (who, since) => {
    const keys = who.accessKeyIds.length > 0 ? who.accessKeyIds : [''];
    const placeholders = keys.map((_, index) => `$${index + 4}`).join(', ');
    const rows = (
      await connection.runAndReadAll(
        `SELECT account_id, user_name, access_key_id, event_time, event_name, error_code FROM ct_events
         WHERE error_code IN ('AccessDenied', 'AccessDeniedException', 'InvalidClientTokenId', 'Client.UnauthorizedOperation')
           AND event_time > $1
           AND ((account_id = $2 AND user_name = $3) OR access_key_id IN (${placeholders}))
         ORDER BY event_time`,
        [since, who.accountId, who.userName, ...keys],
      )
    ).getRowObjectsJS();
    return rows.map((row) => ({
      accountId: String(row.account_id ?? who.accountId),
      userName: row.user_name === null ? null : String(row.user_name),
      accessKeyId: row.access_key_id === null ? null : String(row.access_key_id),
      eventTime: String(row.event_time),
      eventName: String(row.event_name),
      errorCode: String(row.error_code),
    }));
  };
}
