import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { SnapshotSchema, type Snapshot } from '../../src/model/snapshot.js';
import { organizationsFeatures, startIamQueryStandIn, type IamQueryStandIn } from '../harness/iam-query-stand-in.js';
import { describeWithMoto } from '../harness/moto.js';
import { seedOrganization } from '../harness/seed-org.js';
import { BUILT_CLI, runCli } from './run-cli.js';

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'roleshift-org-'));
});
let rootAccess: IamQueryStandIn | undefined;
afterEach(async () => {
  rmSync(work, { recursive: true, force: true });
  await rootAccess?.close();
  rootAccess = undefined;
});

function readSnapshot(name: string): Snapshot {
  return SnapshotSchema.parse(JSON.parse(readFileSync(join(work, name), 'utf8')));
}

/** Collection metadata and the audit role's own last-used time legitimately differ between runs. */
function comparable(snapshot: Snapshot) {
  const { collection: _collection, ...rest } = snapshot;
  return {
    ...rest,
    accounts: rest.accounts.map((account) => ({
      ...account,
      roles: account.roles.map((role) =>
        role.name === 'RoleshiftAudit' ? { ...role, lastUsed: { state: 'unknown' } } : role,
      ),
    })),
  };
}

/** Starts an org scan and SIGKILLs it once `after` accounts are reported finished. */
function scanAndKill(
  env: NodeJS.ProcessEnv,
  after: number,
): Promise<{ signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [BUILT_CLI, 'scan', '--org', '--concurrency', '1', '--store', 'rs.duckdb', '-o', 'killed.json'],
      {
        cwd: work,
        env,
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (new RegExp(`accounts: ${after}/\\d+ done`).test(stderr)) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => resolve({ signal, stderr }));
  });
}

describeWithMoto('scan --org with the built CLI', (moto) => {
  it('given a scan killed with SIGKILL after 3 of 6 accounts, when run again with --resume, then it collects only the rest and the snapshot equals an uninterrupted scan', async () => {
    await seedOrganization(moto(), { members: 5, usersPerAccount: 3 });
    // moto answers iam:ListOrganizationsFeatures with HTTP 500, a gap: the stand-in answers it, the rest goes to moto.
    rootAccess = await startIamQueryStandIn(
      { ListOrganizationsFeatures: () => organizationsFeatures(['RootCredentialsManagement']) },
      moto().endpoint,
    );
    const env = moto().env({ AWS_ENDPOINT_URL_IAM: rootAccess.endpoint });

    const killed = await scanAndKill(env, 3);
    expect(killed.signal).toBe('SIGKILL');

    const resumed = await runCli(
      ['scan', '--org', '--resume', '--store', 'rs.duckdb', '-o', 'resumed.json', '--quiet'],
      {
        cwd: work,
        env,
      },
    );
    expect(resumed.stderr).not.toMatch(/gap:/);
    expect(resumed.stderr).toMatch(/resuming org scan \S+: 3 account\(s\) already collected/);
    expect(resumed.status).toBe(0);

    const fresh = await runCli(['scan', '--org', '--store', 'fresh.duckdb', '-o', 'fresh.json', '--quiet'], {
      cwd: work,
      env,
    });
    expect(fresh.status).toBe(0);

    const resumedSnapshot = readSnapshot('resumed.json');
    expect(comparable(resumedSnapshot)).toEqual(comparable(readSnapshot('fresh.json')));
    // The management account is read with the caller's own credentials: 5 AssumeRole in a full
    // scan; the resumed run only assumed into the accounts the killed run had not finished.
    expect(readSnapshot('fresh.json').collection.apiCalls['sts:AssumeRole']).toBe(5);
    expect(resumedSnapshot.rootAccess?.enabledFeatures).toEqual(['RootCredentialsManagement']);
    expect(resumedSnapshot.collection.apiCalls['sts:AssumeRole']).toBeLessThanOrEqual(3);
  });

  it('given an organization with one suspended-looking gap, when scanned without TTY, then progress is plain lines and gaps exit 3', async () => {
    const org = await seedOrganization(moto(), { members: 2, usersPerAccount: 1 });
    const run = await runCli(
      ['scan', '--org', '--accounts', `${org.memberAccountIds[0]},999999999999`, '--store', 'rs.duckdb'],
      {
        cwd: work,
        env: moto().env(),
      },
    );
    expect(run.stderr).toMatch(/accounts: 1\/1 done/);
    expect(run.stderr).toMatch(/gap: organizations:ListAccounts in 999999999999 failed: AccountNotFound/);
    expect(run.status).toBe(3);
  });
});
