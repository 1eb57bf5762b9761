import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { CreateUserCommand, IdentitystoreClient } from '@aws-sdk/client-identitystore';
import {
  CreateAccountAssignmentCommand,
  CreatePermissionSetCommand,
  ListInstancesCommand,
  ProvisionPermissionSetCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithMoto } from '../harness/moto.js';
import {
  ONE_ANCHOR_ONE_PROFILE,
  startRolesAnywhereStandIn,
  type RolesAnywhereStandIn,
} from '../harness/roles-anywhere-stand-in.js';
import { adminClient, builtRemediate as cli, comparable, HOME_ACCOUNT, readState, seedFullUser } from './fixtures.js';
import { startGapProxy, type GapProxy } from './moto-gap-proxy.js';

/**
 * Issue 14 point 7 with the built CLI: a plan whose prerequisites all hold is not enough; the
 * replacement role must exist with the planned trust and have been used before a key goes off.
 */

const TRUST = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Federated: `arn:aws:iam::${HOME_ACCOUNT}:oidc-provider/token.actions.githubusercontent.com` },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/api:*' } },
    },
  ],
};

function planFile(
  dir: string,
  entry: { userName: string; class: string; strategy: string; artifacts: unknown[] } = {
    userName: 'alice',
    class: 'ci-cd',
    strategy: 'oidc-federation',
    artifacts: [{ kind: 'role', accountId: HOME_ACCOUNT, name: 'alice-github', path: '/', trustPolicy: TRUST }],
  },
): string {
  const path = join(dir, `plan-${entry.userName}.json`);
  writeFileSync(
    path,
    JSON.stringify({
      users: [{ accountId: HOME_ACCOUNT, blockers: [], prerequisites: [], exception: null, ...entry }],
    }),
  );
  return path;
}

describeWithMoto('ready means deployed and used (built CLI)', (moto) => {
  let proxy: GapProxy;
  let dir: string;
  beforeAll(async () => {
    proxy = await startGapProxy(moto().endpoint);
    dir = mkdtempSync(join(tmpdir(), 'roleshift-ready-'));
  });
  afterAll(async () => {
    await proxy.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('Given a plan whose prerequisites hold but whose role was never deployed, then deployed and never used, When start runs, Then it is refused each time with the reason, and only --force goes past', async () => {
    await moto().reset();
    const client = adminClient(moto(), proxy.endpoint);
    await seedFullUser(client, HOME_ACCOUNT, 'alice');
    const before = comparable(await readState(client, HOME_ACCOUNT, 'alice'));
    const env = { AWS_ENDPOINT_URL: proxy.endpoint };
    const args = ['start', `${HOME_ACCOUNT}/alice`, '--plan', planFile(dir), '--store', join(dir, 'rs.duckdb')];

    const missing = await cli(moto(), env, [...args, '--apply', '--yes']);
    expect(missing.code, missing.stderr).toBe(2);
    expect(missing.stdout).toMatch(/refused start .*role alice-github does not exist yet/);
    expect(comparable(await readState(client, HOME_ACCOUNT, 'alice'))).toEqual(before);

    await client.send(
      new CreateRoleCommand({ RoleName: 'alice-github', AssumeRolePolicyDocument: JSON.stringify(TRUST) }),
    );
    const unused = await cli(moto(), env, [...args, '--apply', '--yes']);
    expect(unused.code, unused.stderr).toBe(2);
    expect(unused.stdout).toMatch(/role alice-github is deployed but was never used/);

    const forced = await cli(moto(), env, [...args, '--apply', '--yes', '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stderr).toMatch(/--force overrode .*never used/);
    const after = await readState(client, HOME_ACCOUNT, 'alice');
    expect(after?.accessKeys.every((key) => key.status === 'Inactive')).toBe(true);
  }, 120_000);
});

describeWithMoto('ready means deployed: Identity Center and Roles Anywhere read live (built CLI)', (moto) => {
  let proxy: GapProxy;
  let rolesAnywhere: RolesAnywhereStandIn;
  let dir: string;
  beforeAll(async () => {
    proxy = await startGapProxy(moto().endpoint);
    rolesAnywhere = await startRolesAnywhereStandIn(ONE_ANCHOR_ONE_PROFILE);
    dir = mkdtempSync(join(tmpdir(), 'roleshift-ready-live-'));
  });
  afterAll(async () => {
    await proxy.close();
    await rolesAnywhere.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function humanPlan(): string {
    return planFile(dir, {
      userName: 'bob',
      class: 'human',
      strategy: 'identity-center',
      artifacts: [
        {
          kind: 'account-assignment',
          accountId: HOME_ACCOUNT,
          permissionSetName: 'Developer',
          principalType: 'USER',
          principalName: 'bob.jones',
        },
        {
          kind: 'cli-profiles',
          personKey: 'bob',
          startUrl: 'https://d-1.awsapps.com/start',
          ssoRegion: moto().region,
          profiles: [],
        },
      ],
    });
  }

  it('Given a person whose permission set is planned, When start runs before and after Identity Center is set up, Then it is refused until the set is assigned to the person, and then says so', async () => {
    await moto().reset();
    const client = adminClient(moto(), proxy.endpoint);
    await seedFullUser(client, HOME_ACCOUNT, 'bob');
    const env = { AWS_ENDPOINT_URL: proxy.endpoint };
    const args = ['start', `${HOME_ACCOUNT}/bob`, '--plan', humanPlan(), '--store', join(dir, 'ic.duckdb')];

    const nothing = await cli(moto(), env, args);
    expect(nothing.code, nothing.stderr).toBe(2);
    expect(nothing.stdout).toMatch(/permission set Developer does not exist yet/);

    const aws = { endpoint: moto().endpoint, region: moto().region, credentials: moto().credentials };
    const sso = new SSOAdminClient(aws);
    const store = new IdentitystoreClient(aws);
    const instance = (await sso.send(new ListInstancesCommand({}))).Instances?.[0];
    const InstanceArn = instance?.InstanceArn ?? '';
    const IdentityStoreId = instance?.IdentityStoreId ?? '';
    const set = await sso.send(new CreatePermissionSetCommand({ InstanceArn, Name: 'Developer' }));
    const user = await store.send(
      new CreateUserCommand({
        IdentityStoreId,
        UserName: 'bob.jones',
        DisplayName: 'Bob Jones',
        Name: { GivenName: 'Bob', FamilyName: 'Jones' },
      }),
    );
    const unassigned = await cli(moto(), env, args);
    expect(unassigned.code, unassigned.stderr).toBe(2);
    expect(unassigned.stdout).toMatch(/permission set Developer for user bob.jones in \d+ is not assigned yet/);

    await sso.send(
      new CreateAccountAssignmentCommand({
        InstanceArn,
        PermissionSetArn: set.PermissionSet?.PermissionSetArn,
        TargetId: HOME_ACCOUNT,
        TargetType: 'AWS_ACCOUNT',
        PrincipalType: 'USER',
        PrincipalId: user.UserId,
      }),
    );
    // AWS provisions the set to the account with the assignment; moto needs it asked for.
    await sso.send(
      new ProvisionPermissionSetCommand({
        InstanceArn,
        PermissionSetArn: set.PermissionSet?.PermissionSetArn,
        TargetId: HOME_ACCOUNT,
        TargetType: 'AWS_ACCOUNT',
      }),
    );
    const ready = await cli(moto(), env, args);
    expect(ready.code, ready.stderr).toBe(0);
    expect(`${ready.stdout}${ready.stderr}`).toMatch(
      /ready: permission set Developer for user bob.jones in \d+ is assigned/,
    );
    expect(`${ready.stdout}${ready.stderr}`).toMatch(/readiness unknown: whether bob.jones has signed in/);
    sso.destroy();
    store.destroy();
  }, 120_000);

  it('Given a machine whose Roles Anywhere profile is planned, When start runs, Then a profile that cannot hand out the planned role or does not exist refuses it', async () => {
    await moto().reset();
    const client = adminClient(moto(), proxy.endpoint);
    await seedFullUser(client, HOME_ACCOUNT, 'backup');
    const env = { AWS_ENDPOINT_URL: proxy.endpoint, AWS_ENDPOINT_URL_ROLESANYWHERE: rolesAnywhere.endpoint };
    const start = (profile: string, environment: Record<string, string> = env) =>
      cli(moto(), environment, [
        'start',
        `${HOME_ACCOUNT}/backup`,
        '--plan',
        planFile(dir, {
          userName: 'backup',
          class: 'workload',
          strategy: 'roles-anywhere',
          artifacts: [
            { kind: 'trust-anchor', accountId: HOME_ACCOUNT, name: 'onprem-ca' },
            { kind: 'roles-anywhere-profile', accountId: HOME_ACCOUNT, name: profile, roleNames: ['backup-host'] },
          ],
        }),
        '--store',
        join(dir, 'ra.duckdb'),
      ]);
    const cannot = await start('backup');
    expect(cannot.code, cannot.stderr).toBe(2);
    expect(cannot.stdout).toMatch(/Roles Anywhere profile backup in \d+ \S+ cannot hand out backup-host/);
    expect(cannot.stdout).not.toMatch(/trust anchor/);
    expect(rolesAnywhere.seen.some((request) => /rolesanywhere/.test(String(request.headers.authorization)))).toBe(
      true,
    );

    const missing = await start('nightly');
    expect(missing.code, missing.stderr).toBe(2);
    expect(missing.stdout).toMatch(/Roles Anywhere profile nightly does not exist/);

    // moto has no Roles Anywhere: its error page is a read that failed, said and not taken as missing.
    const unread = await start('backup', { AWS_ENDPOINT_URL: proxy.endpoint });
    expect(unread.code, unread.stderr).toBe(0);
    expect(`${unread.stdout}${unread.stderr}`).toMatch(/readiness unknown: could not read Roles Anywhere in \d+: /);
  }, 120_000);
});
