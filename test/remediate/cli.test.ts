import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildAccount, buildSnapshot, buildUser } from '../fixtures/build-snapshot.js';
import { describeWithMoto, type Moto } from '../harness/moto.js';
import {
  adminClient,
  comparable,
  createRemediateRole,
  HOME_ACCOUNT,
  OTHER_ACCOUNT,
  readState,
  seedFullUser,
} from './fixtures.js';
import { startGapProxy, type GapProxy } from './moto-gap-proxy.js';

const CHILD = new URL('./cli-child.ts', import.meta.url).pathname;

function cli(
  moto: Moto,
  endpoint: string,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, 'remediate', ...args], {
      env: moto.env({ AWS_ENDPOINT_URL: endpoint, NO_COLOR: '1' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

function planEntry(
  accountId: string,
  userName: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    accountId,
    userName,
    userArn: `arn:aws:iam::${accountId}:user/${userName}`,
    class: 'ci-cd',
    strategy: 'oidc-federation',
    blockers: [],
    prerequisites: [{ id: 'oidc-provider', description: 'GitHub OIDC provider exists', met: true }],
    exception: null,
    ...overrides,
  };
}

describeWithMoto('roleshift remediate, the whole cycle across two accounts through the CLI', (moto) => {
  let proxy: GapProxy;
  let dir: string;
  beforeAll(async () => {
    proxy = await startGapProxy(moto().endpoint);
    dir = mkdtempSync(join(tmpdir(), 'roleshift-cli-'));
  });
  afterAll(async () => {
    await proxy.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('Given users in two accounts and a plan, When start, status, rollback, start, finish, restore and resume run, Then each stage does exactly its part', async () => {
    const home = adminClient(moto(), proxy.endpoint, HOME_ACCOUNT);
    const other = adminClient(moto(), proxy.endpoint, OTHER_ACCOUNT);
    await createRemediateRole(other, HOME_ACCOUNT);
    const alice = await seedFullUser(home, HOME_ACCOUNT, 'alice');
    await seedFullUser(other, OTHER_ACCOUNT, 'bob');
    await seedFullUser(home, HOME_ACCOUNT, 'break-glass-admin');
    const originals = {
      alice: await readState(home, HOME_ACCOUNT, 'alice'),
      bob: await readState(other, OTHER_ACCOUNT, 'bob'),
    };
    const store = join(dir, 'roleshift.duckdb');
    const plan = join(dir, 'plan.json');
    writeFileSync(
      plan,
      JSON.stringify({
        planDate: '2026-11-23',
        users: [
          planEntry(HOME_ACCOUNT, 'alice'),
          planEntry(OTHER_ACCOUNT, 'bob'),
          planEntry(HOME_ACCOUNT, 'break-glass-admin', { class: 'break-glass', strategy: 'keep-break-glass' }),
        ],
      }),
    );
    const bobArn = `arn:aws:iam::${OTHER_ACCOUNT}:user/teams/platform/bob`;

    // Dry run: the exact calls, the break-glass user refused, nothing written anywhere.
    const dry = await cli(moto(), proxy.endpoint, ['start', '--plan', plan, '--store', store, '--json']);
    expect(dry.code, dry.stderr).toBe(0);
    const planned = JSON.parse(dry.stdout) as {
      apply: boolean;
      users: Array<{
        user: string;
        calls: Array<{ api: string; params: Record<string, unknown> }>;
        refusals: string[];
      }>;
    };
    expect(planned.apply).toBe(false);
    const aliceCalls = planned.users.find((user) => user.user === `${HOME_ACCOUNT}/alice`)?.calls;
    expect(aliceCalls?.[0]).toEqual({
      stepId: `${HOME_ACCOUNT}/alice#01-UpdateAccessKey`,
      api: 'UpdateAccessKey',
      params: { UserName: 'alice', AccessKeyId: alice.keys[0]?.accessKeyId, Status: 'Inactive' },
    });
    expect(aliceCalls?.map((call) => call.api)).toEqual(['UpdateAccessKey', 'PutUserPolicy', 'TagUser', 'TagUser']);
    expect(planned.users.find((user) => user.user === `${HOME_ACCOUNT}/break-glass-admin`)?.refusals).toEqual([
      'it is a break-glass user (plan file)',
    ]);
    expect(existsSync(store)).toBe(false);
    expect(comparable(await readState(home, HOME_ACCOUNT, 'alice'))).toEqual(comparable(originals.alice));

    const text = await cli(moto(), proxy.endpoint, ['start', `${HOME_ACCOUNT}/alice`, '--force', '--store', store]);
    expect(text.stdout).toContain(
      `[${HOME_ACCOUNT}] iam update-access-key {"UserName":"alice","AccessKeyId":"${alice.keys[0]?.accessKeyId}","Status":"Inactive"}`,
    );

    const noTty = await cli(moto(), proxy.endpoint, ['start', '--plan', plan, '--store', store, '--apply']);
    expect(noTty.code).toBe(2);
    expect(noTty.stderr).toContain('needs --yes');

    const start = await cli(moto(), proxy.endpoint, ['start', '--plan', plan, '--store', store, '--apply', '--yes']);
    expect(start.code, start.stderr).toBe(0);
    expect((await readState(other, OTHER_ACCOUNT, 'bob'))?.accessKeys.every((key) => key.status === 'Inactive')).toBe(
      true,
    );
    expect(
      (await readState(home, HOME_ACCOUNT, 'break-glass-admin'))?.accessKeys.some((key) => key.status === 'Active'),
    ).toBe(true);

    const status = await cli(moto(), proxy.endpoint, ['status', '--store', store, '--json']);
    expect(status.code, status.stderr).toBe(0);
    const statuses = (
      JSON.parse(status.stdout) as {
        users: Array<{ user: string; stage: string; daysInWatch: number; screams: unknown[] }>;
      }
    ).users;
    expect(statuses.map(({ user, stage, daysInWatch, screams }) => ({ user, stage, daysInWatch, screams }))).toEqual([
      { user: `${HOME_ACCOUNT}/alice`, stage: 'watching', daysInWatch: 0, screams: [] },
      { user: `${OTHER_ACCOUNT}/bob`, stage: 'watching', daysInWatch: 0, screams: [] },
    ]);

    const rollback = await cli(moto(), proxy.endpoint, [
      'rollback',
      `${HOME_ACCOUNT}/alice`,
      bobArn,
      '--store',
      store,
      '--apply',
      '--yes',
    ]);
    expect(rollback.code, rollback.stderr).toBe(0);
    expect(await readState(home, HOME_ACCOUNT, 'alice')).toEqual(originals.alice);
    expect(await readState(other, OTHER_ACCOUNT, 'bob')).toEqual(originals.bob);

    expect(
      (await cli(moto(), proxy.endpoint, ['start', '--plan', plan, '--store', store, '--apply', '--yes'])).code,
    ).toBe(0);

    const early = await cli(moto(), proxy.endpoint, [
      'finish',
      `${HOME_ACCOUNT}/alice`,
      '--store',
      store,
      '--apply',
      '--yes',
      '--force',
    ]);
    expect(early.code).toBe(2);
    expect(early.stdout).toContain('only 0 of 30 watch days have passed');

    const finish = await cli(moto(), proxy.endpoint, [
      'finish',
      `${HOME_ACCOUNT}/alice`,
      bobArn,
      '--store',
      store,
      '--apply',
      '--yes',
      '--force',
      '--watch-days',
      '0',
    ]);
    expect(finish.code, finish.stderr).toBe(0);
    expect(finish.stderr).toContain('--force: going on without an estate');
    expect(await readState(home, HOME_ACCOUNT, 'alice')).toBeNull();
    expect(await readState(other, OTHER_ACCOUNT, 'bob')).toBeNull();

    const deleted = await cli(moto(), proxy.endpoint, ['status', '--store', store]);
    expect(deleted.stdout).toMatch(new RegExp(`${OTHER_ACCOUNT}/bob\\s+deleted`));

    const restore = await cli(moto(), proxy.endpoint, [
      'restore',
      `${HOME_ACCOUNT}/alice`,
      bobArn,
      '--store',
      store,
      '--apply',
      '--yes',
    ]);
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.stdout).toContain('issue new ones');
    for (const [client, accountId, name] of [
      [home, HOME_ACCOUNT, 'alice'],
      [other, OTHER_ACCOUNT, 'bob'],
    ] as const) {
      const restored = await readState(client, accountId, name);
      const original = name === 'alice' ? originals.alice : originals.bob;
      expect(restored).toMatchObject({
        path: original?.path,
        tags: original?.tags,
        inlinePolicies: original?.inlinePolicies,
        groups: original?.groups,
        accessKeys: [],
      });
    }

    const resume = await cli(moto(), proxy.endpoint, ['resume', '--store', store, '--apply']);
    expect(resume.stdout.trim()).toBe('nothing to resume');
  }, 300_000);
  it('Given an estate whose classifier calls a user break-glass, When start runs without and then with --force, Then it is refused, and forced it says what it overrode', async () => {
    const home = adminClient(moto(), proxy.endpoint, HOME_ACCOUNT);
    await seedFullUser(home, HOME_ACCOUNT, 'ops');
    const snapshot = join(dir, 'estate.json');
    writeFileSync(
      snapshot,
      JSON.stringify(
        buildSnapshot([
          buildAccount(HOME_ACCOUNT, {
            users: [buildUser('ops', { tags: { 'roleshift:class': 'break-glass' } }, HOME_ACCOUNT)],
          }),
        ]),
      ),
    );
    const store = join(dir, 'estate.duckdb');

    const refused = await cli(moto(), proxy.endpoint, [
      'start',
      `${HOME_ACCOUNT}/ops`,
      '--snapshot',
      snapshot,
      '--store',
      store,
      '--apply',
      '--yes',
    ]);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toContain(`refused start ${HOME_ACCOUNT}/ops: it is a break-glass user (classifier)`);
    expect((await readState(home, HOME_ACCOUNT, 'ops'))?.accessKeys.some((key) => key.status === 'Active')).toBe(true);

    const forced = await cli(moto(), proxy.endpoint, [
      'start',
      `${HOME_ACCOUNT}/ops`,
      '--snapshot',
      snapshot,
      '--store',
      store,
      '--force',
    ]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stderr).toContain(`--force overrode for ${HOME_ACCOUNT}/ops: it is a break-glass user (classifier)`);
    expect(forced.stdout).toContain('iam update-access-key');
  }, 120_000);
});
