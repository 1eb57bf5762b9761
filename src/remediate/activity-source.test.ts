import { afterEach, describe, expect, it } from 'vitest';
import { ensureActivityTables } from '../activity/tables.js';
import { openStore, type Store } from '../store/store.js';
import { deniedCallsFromStore } from './activity-source.js';

describe('denied calls from the activity tables', () => {
  const stores: Store[] = [];
  afterEach(() => {
    for (const store of stores.splice(0)) store.close();
  });

  it('Given no CloudTrail was ingested, When asked, Then there is no source (status says so) rather than an empty one', async () => {
    const store = await openStore(':memory:');
    stores.push(store);
    expect(await deniedCallsFromStore(store.connection)).toBeNull();
  });

  it('Given events in ct_events, When asked for a user since a time, Then only its later denials by user or key come back', async () => {
    const store = await openStore(':memory:');
    stores.push(store);
    await ensureActivityTables(store.connection);
    const insert = (time: string, user: string | null, key: string | null, error: string | null): Promise<unknown> =>
      store.connection.run(
        `INSERT INTO ct_events (file_key, event_time, event_source, event_name, error_code, account_id, access_key_id, user_name)
         VALUES ('f', $1, 'iam.amazonaws.com', 'ListUsers', $2, '111111111111', $3, $4)`,
        [time, error, key, user],
      );
    await insert('2026-11-02T00:00:00Z', 'deploy', 'AKIA1', 'AccessDenied');
    await insert('2026-11-03T00:00:00Z', null, 'AKIA1', 'InvalidClientTokenId');
    await insert('2026-10-01T00:00:00Z', 'deploy', 'AKIA1', 'AccessDenied');
    await insert('2026-11-04T00:00:00Z', 'deploy', 'AKIA1', null);
    await insert('2026-11-05T00:00:00Z', "x' OR '1'='1", 'AKIA9', 'AccessDenied');
    const source = await deniedCallsFromStore(store.connection);
    const events = await source?.(
      { accountId: '111111111111', userName: 'deploy', accessKeyIds: ['AKIA1'] },
      '2026-11-01T00:00:00Z',
    );
    expect(events?.map((event) => [event.eventTime, event.errorCode])).toEqual([
      ['2026-11-02T00:00:00Z', 'AccessDenied'],
      ['2026-11-03T00:00:00Z', 'InvalidClientTokenId'],
    ]);
  });
});
