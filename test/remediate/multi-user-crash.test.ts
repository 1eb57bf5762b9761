import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithMoto } from '../harness/moto.js';
import {
  adminClient,
  builtRemediate as cli,
  comparable,
  HOME_ACCOUNT,
  readState,
  seedFullUser,
  type SeededUser,
} from './fixtures.js';
import { startGapProxy, type GapProxy } from './moto-gap-proxy.js';

/**
 * Issue 15 points 3 and 4 with the built CLI: a multi-user `remediate start` killed (SIGKILL)
 * after every AWS call of every user is completed by `resume` for all of them, `status` lists
 * the users still pending, and no flag lets roleshift switch off the key it runs with.
 */

const USERS = ['alice', 'bob', 'carol'] as const;

describeWithMoto('a multi-user remediation killed at every step, then resumed (built CLI)', (moto) => {
  let proxy: GapProxy;
  let dir: string;
  beforeAll(async () => {
    proxy = await startGapProxy(moto().endpoint);
    dir = mkdtempSync(join(tmpdir(), 'roleshift-multi-crash-'));
  });
  afterAll(async () => {
    await proxy.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const endpointEnv = (): Record<string, string> => ({ AWS_ENDPOINT_URL: proxy.endpoint });
  const startArgs = (store: string): string[] => [
    'start',
    ...USERS.map((user) => `${HOME_ACCOUNT}/${user}`),
    '--apply',
    '--yes',
    '--force',
    '--store',
    store,
  ];

  async function freshEstate(): Promise<Record<string, SeededUser>> {
    await fetch(`${moto().endpoint}/moto-api/reset`, { method: 'POST' });
    await fetch(`${moto().endpoint}/moto-api/seed?a=42`, { method: 'POST' });
    const client = adminClient(moto(), proxy.endpoint);
    const seeded: Record<string, SeededUser> = {};
    for (const user of USERS) seeded[user] = await seedFullUser(client, HOME_ACCOUNT, user);
    return seeded;
  }

  async function finalState(): Promise<unknown[]> {
    const client = adminClient(moto(), proxy.endpoint);
    return Promise.all(USERS.map(async (user) => comparable(await readState(client, HOME_ACCOUNT, user))));
  }

  it('Given a start of three users killed after each AWS call, When status and resume run, Then status lists every unfinished user and resume ends exactly as the uninterrupted run', async () => {
    await freshEstate();
    const referenceStore = join(dir, 'reference.duckdb');
    const reference = await cli(moto(), endpointEnv(), [...startArgs(referenceStore), '--json']);
    expect(reference.code, reference.stderr).toBe(0);
    const expected = await finalState();
    const stepIds = (
      JSON.parse(reference.stdout) as { users: Array<{ calls: Array<{ stepId: string }> }> }
    ).users.flatMap((user) => user.calls.map((call) => call.stepId));
    expect(stepIds.length).toBeGreaterThan(USERS.length * 3);

    for (const [index, stepId] of stepIds.entries()) {
      await freshEstate();
      const store = join(dir, `crash-${index}.duckdb`);
      const crashed = await cli(moto(), { ...endpointEnv(), ROLESHIFT_TEST_CRASH_AFTER: stepId }, startArgs(store));
      expect(crashed.signal, `${stepId}: ${crashed.stderr}`).toBe('SIGKILL');

      // Every user whose calls are not all made is pending, not only the one in flight.
      const crashedUser = USERS.findIndex((user) => stepId.startsWith(`${HOME_ACCOUNT}/${user}#`));
      const status = await cli(moto(), endpointEnv(), ['status', '--json', '--store', store]);
      const pending = (JSON.parse(status.stdout) as { users: Array<{ userName: string; pending: unknown }> }).users
        .filter((user) => user.pending !== null)
        .map((user) => user.userName);
      expect(pending, stepId).toEqual(USERS.slice(crashedUser));

      const resumed = await cli(moto(), endpointEnv(), ['resume', '--apply', '--yes', '--store', store]);
      expect(resumed.code, `${stepId}: ${resumed.stderr}`).toBe(0);
      expect(await finalState(), stepId).toEqual(expected);
    }
  }, 900_000);

  it("Given roleshift runs with scanner's own access key, When start scanner --force --apply --yes runs, Then it is refused, says why, and the key stays active", async () => {
    const seeded = await freshEstate();
    const client = adminClient(moto(), proxy.endpoint);
    const before = await readState(client, HOME_ACCOUNT, 'alice');
    const ownKey = before?.accessKeys.find((key) => key.status === 'Active');
    const secret = seeded.alice?.keys.find((key) => key.accessKeyId === ownKey?.accessKeyId)?.secretAccessKey;
    expect(secret).toBeDefined();
    const run = await cli(
      moto(),
      { ...endpointEnv(), AWS_ACCESS_KEY_ID: ownKey?.accessKeyId ?? '', AWS_SECRET_ACCESS_KEY: secret ?? '' },
      ['start', `${HOME_ACCOUNT}/alice`, '--force', '--apply', '--yes', '--store', join(dir, 'own-key.duckdb')],
    );
    expect(run.code, run.stderr).toBe(2);
    expect(run.stdout).toMatch(
      /refused start 123456789012\/alice: .*roleshift is running (with|as).*--force cannot lift this/,
    );
    expect(comparable(await readState(client, HOME_ACCOUNT, 'alice'))).toEqual(comparable(before));
  }, 120_000);
});
