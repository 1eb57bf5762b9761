import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { duckdbRunner, normaliseRow } from './usage.js';

/** Text as hostile as a CloudTrail field can be: quotes, tabs, newlines, commas, a NUL, backslashes, non-ASCII. */
const HOSTILE = `a'b"c\td\ne,f\u0000g\\h ünï 漢字 🚀`;

/** A SQL literal of `text`; a NUL cannot stand in a literal, so it is spelled chr(0). */
function sqlText(text: string): string {
  return text
    .split('\u0000')
    .map((part) => `'${part.replace(/'/g, "''")}'`)
    .join(' || chr(0) || ');
}

/**
 * 5,000 rows (three DuckDB chunks) in the shape the usage queries return: text that is sometimes
 * NULL and sometimes hostile, and BIGINT counts beyond 2^31.
 */
const ROWS_SQL = `SELECT
  CASE WHEN i % 7 = 0 THEN NULL WHEN i % 3 = 0 THEN ${sqlText(HOSTILE)} || i ELSE 'arn:aws:iam::111122223333:user/u' || i END AS principal,
  CASE WHEN i % 5 = 0 THEN NULL ELSE 'AKIA' || i END AS access_key_id,
  CAST(i AS BIGINT) * 1000000 AS events,
  CAST(NULL AS BIGINT) AS errors,
  '["arn:aws:s3:::b/' || i || '"]' AS resources
FROM range(5000) AS t(i)
ORDER BY i`;

describe('duckdbRunner', () => {
  let instance: DuckDBInstance;
  let connection: DuckDBConnection;
  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:');
    connection = await instance.connect();
  });
  afterAll(() => {
    connection.closeSync();
    instance.closeSync();
  });

  it('Given a result of several chunks with hostile text, NULLs and large counts, When it is read in parts, Then the parts together are exactly the normalised whole rows', async () => {
    const runner = duckdbRunner(connection);
    const whole = (await runner('summary', ROWS_SQL)).map(normaliseRow);
    const parts: Array<Array<Record<string, string | number | null>>> = [];
    await runner.readInParts?.(ROWS_SQL, (rows) => parts.push(rows));
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.flat()).toEqual(whole);
    expect(whole).toHaveLength(5000);
    expect(whole[3]).toEqual({
      principal: `${HOSTILE}3`,
      access_key_id: 'AKIA3',
      events: 3_000_000,
      errors: 0,
      resources: '["arn:aws:s3:::b/3"]',
    });
    expect(whole[35]).toMatchObject({ principal: null, access_key_id: null });
  });
});
