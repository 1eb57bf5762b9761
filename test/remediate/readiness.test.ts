import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithMoto } from '../harness/moto.js';
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

function planFile(dir: string): string {
  const path = join(dir, 'plan.json');
  writeFileSync(
    path,
    JSON.stringify({
      users: [
        {
          accountId: HOME_ACCOUNT,
          userName: 'alice',
          class: 'ci-cd',
          strategy: 'oidc-federation',
          blockers: [],
          prerequisites: [{ id: 'oidc-provider', description: 'GitHub OIDC provider exists', met: true }],
          exception: null,
          artifacts: [{ kind: 'role', accountId: HOME_ACCOUNT, name: 'alice-github', path: '/', trustPolicy: TRUST }],
        },
      ],
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
