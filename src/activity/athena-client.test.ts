import { AthenaClient, GetQueryExecutionCommand } from '@aws-sdk/client-athena';
import { afterEach, describe, expect, it } from 'vitest';
import { describeWithMoto } from '../../test/harness/moto.js';
import { AthenaQueryError, runAthenaQuery } from './athena-client.js';
import { QUERY_NAMES } from './queries.js';
import { collectUsage } from './scan.js';

type Cell = string | null;
const page = (rows: Cell[][]) =>
  rows.map((row) => ({ Data: row.map((value) => (value === null ? {} : { VarCharValue: value })) }));
const columns = (names: string[]) => names.map((Name) => ({ Name, Type: 'varchar' }));

describeWithMoto('runAthenaQuery against moto Athena', (moto) => {
  const client = () =>
    new AthenaClient({ endpoint: moto().endpoint, region: moto().region, credentials: moto().credentials });
  const preset = async (results: Array<{ rows: ReturnType<typeof page>; column_info: ReturnType<typeof columns> }>) => {
    const response = await fetch(`${moto().endpoint}/moto-api/static/athena/query-results`, {
      method: 'POST',
      body: JSON.stringify({ results }),
    });
    expect(response.status).toBe(201);
  };
  const transition = (body: unknown) =>
    fetch(`${moto().endpoint}/moto-api/state-manager/set-transition`, {
      method: 'POST',
      body: JSON.stringify({ model_name: 'athena::execution', transition: body }),
    });

  afterEach(async () => {
    await fetch(`${moto().endpoint}/moto-api/state-manager/unset-transition`, {
      method: 'POST',
      body: JSON.stringify({ model_name: 'athena::execution' }),
    });
  });

  it('Given a query that stays queued then running for a while, When run, Then it polls until SUCCEEDED and returns rows without the header row', async () => {
    await transition({ progression: 'manual', times: 2 });
    await preset([
      {
        rows: page([
          ['principal', 'events'],
          ['arn:aws:iam::1:user/a', '5'],
          [null, '2'],
        ]),
        column_info: columns(['principal', 'events']),
      },
    ]);
    let sleeps = 0;
    const rows = await runAthenaQuery(client(), 'SELECT 1', {
      database: 'cloudtrail',
      table: 't',
      outputLocation: 's3://results/',
      pollMs: 1,
      sleep: async () => {
        sleeps += 1;
      },
    });
    expect(rows).toEqual([
      { principal: 'arn:aws:iam::1:user/a', events: '5' },
      { principal: null, events: '2' },
    ]);
    expect(sleeps).toBeGreaterThanOrEqual(2);
  });

  it('Given a query that never finishes, When the timeout passes, Then it is stopped and a timeout error names it', async () => {
    await transition({ progression: 'manual', times: 1_000_000 });
    let now = 0;
    const athena = client();
    const failure = await runAthenaQuery(athena, 'SELECT 1', {
      database: 'cloudtrail',
      table: 't',
      outputLocation: 's3://results/',
      timeoutMs: 5_000,
      pollMs: 1_000,
      clock: () => now,
      sleep: async (ms) => {
        now += ms;
      },
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AthenaQueryError);
    const error = failure as AthenaQueryError;
    expect(error.state).toBe('TIMEOUT');
    const execution = await athena.send(
      new GetQueryExecutionCommand({ QueryExecutionId: error.queryExecutionId ?? '' }),
    );
    expect(execution.QueryExecution?.Status?.State).toBe('CANCELLED');
  });

  it('Given preset results for every usage query, When usage is collected with the athena engine, Then the facts are assembled from them', async () => {
    const empty = { rows: page([]), column_info: [] as ReturnType<typeof columns> };
    const byName: Record<string, { rows: ReturnType<typeof page>; column_info: ReturnType<typeof columns> }> = {
      summary: {
        rows: page([
          [
            'arn:aws:iam::111111111111:user/ci',
            'AKIACI00000000000001',
            'IAMUser',
            '111111111111',
            'ci',
            null,
            '42',
            '2025-03-01T00:00:00Z',
            '2025-03-05T00:00:00Z',
          ],
        ]),
        column_info: columns([
          'principal',
          'access_key_id',
          'identity_type',
          'account_id',
          'user_name',
          'session_issuer_arn',
          'events',
          'first_seen',
          'last_seen',
        ]),
      },
      actions: {
        rows: page([
          ['arn:aws:iam::111111111111:user/ci', 'AKIACI00000000000001', 's3.amazonaws.com', 'PutObject', '42', '1'],
        ]),
        column_info: columns(['principal', 'access_key_id', 'event_source', 'event_name', 'events', 'errors']),
      },
      resources: {
        rows: page([
          [
            'arn:aws:iam::111111111111:user/ci',
            null,
            's3.amazonaws.com',
            'PutObject',
            '42',
            '1',
            '["arn:aws:s3:::artifacts/*"]',
            '["arn:aws:s3:::artifacts/a.zip","arn:aws:s3:::artifacts/b.zip"]',
          ],
        ]),
        column_info: columns([
          'principal',
          'access_key_id',
          'event_source',
          'event_name',
          'distinct_resources',
          'distinct_patterns',
          'patterns',
          'resources',
        ]),
      },
      agents: {
        rows: page([
          ['arn:aws:iam::111111111111:user/ci', 'AKIACI00000000000001', 'APN/1.0 HashiCorp/1.0 Terraform/1.7.0', '42'],
        ]),
        column_info: columns(['principal', 'access_key_id', 'user_agent', 'events']),
      },
    };
    await preset(QUERY_NAMES.map((name) => byName[name] ?? empty));
    const usage = await collectUsage({
      engine: 'athena',
      athena: {
        database: 'cloudtrail',
        table: 'org_trail',
        outputLocation: 's3://results/',
        pollMs: 1,
        client: { endpoint: moto().endpoint, region: moto().region, credentials: moto().credentials },
      },
    });
    expect(usage.source.engine).toBe('athena');
    expect(usage.accessKeys).toEqual([
      expect.objectContaining({
        accessKeyId: 'AKIACI00000000000001',
        events: 42,
        actions: [
          { action: 's3:PutObject', mapped: true, events: 42, errors: 1, resources: [], resourcesTruncated: false },
        ],
        userAgents: [expect.objectContaining({ family: 'terraform', events: 42 })],
      }),
    ]);
    expect(usage.principals[0]?.actions).toEqual([
      {
        action: 's3:PutObject',
        mapped: true,
        events: 42,
        errors: 1,
        resources: ['arn:aws:s3:::artifacts/a.zip', 'arn:aws:s3:::artifacts/b.zip'],
        resourcesTruncated: true,
        resourcePatterns: ['arn:aws:s3:::artifacts/*'],
      },
    ]);
  });
});

/** moto cannot fail a query or page its results; these two paths use a narrow fake client. */
describe('runAthenaQuery paths moto cannot produce', () => {
  function fakeClient(responses: Record<string, unknown[]>): AthenaClient {
    const send = async (command: { constructor: { name: string } }) => {
      const queue = responses[command.constructor.name];
      const next = queue?.shift();
      if (next === undefined) throw new Error(`unexpected ${command.constructor.name}`);
      return next;
    };
    return { send } as unknown as AthenaClient;
  }

  it('Given a query Athena reports FAILED, When run, Then the error carries the reason', async () => {
    const client = fakeClient({
      StartQueryExecutionCommand: [{ QueryExecutionId: 'q-1' }],
      GetQueryExecutionCommand: [
        { QueryExecution: { Status: { State: 'FAILED', StateChangeReason: 'TABLE_NOT_FOUND: cloudtrail.t' } } },
      ],
    });
    await expect(runAthenaQuery(client, 'SELECT 1', { database: 'cloudtrail', table: 't' })).rejects.toThrow(
      /q-1 FAILED: TABLE_NOT_FOUND/,
    );
  });

  it('Given results on two pages, When run, Then rows of both pages are returned and only the first header row is dropped', async () => {
    const meta = { ColumnInfo: columns(['name']) };
    const client = fakeClient({
      StartQueryExecutionCommand: [{ QueryExecutionId: 'q-2' }],
      GetQueryExecutionCommand: [{ QueryExecution: { Status: { State: 'SUCCEEDED' } } }],
      GetQueryResultsCommand: [
        { ResultSet: { ResultSetMetadata: meta, Rows: page([['name'], ['a']]) }, NextToken: 't2' },
        { ResultSet: { ResultSetMetadata: meta, Rows: page([['name'], ['b']]) } },
      ],
    });
    expect(await runAthenaQuery(client, 'SELECT 1', { database: 'cloudtrail', table: 't' })).toEqual([
      { name: 'a' },
      { name: 'name' },
      { name: 'b' },
    ]);
  });
});
