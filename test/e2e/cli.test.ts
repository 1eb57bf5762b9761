import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SnapshotSchema } from '../../src/model/snapshot.js';
import { describeWithMoto } from '../harness/moto.js';
import { cleanEnv, ONE_ACCOUNT_FIXTURE, runCli } from './run-cli.js';

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'roleshift-e2e-'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

describe('roleshift scan --from (built CLI)', () => {
  it('Given AWS CLI output files, When scanned with -o, Then it exits 0, writes a valid snapshot, stores it and prints the summary', async () => {
    const run = await runCli(
      ['scan', '--from', ONE_ACCOUNT_FIXTURE, '-o', 'out/snapshot.json', '--store', 'rs.duckdb'],
      {
        cwd: work,
      },
    );
    expect(run.stderr).not.toMatch(/internal error/);
    expect(run.status).toBe(0);
    const snapshot = SnapshotSchema.parse(JSON.parse(readFileSync(join(work, 'out/snapshot.json'), 'utf8')));
    expect(snapshot.accounts.map((account) => account.accountId)).toEqual(['123456789012']);
    expect(snapshot.accounts[0]?.users.map((user) => user.name).sort()).toEqual([
      'alice',
      'deploy-bot',
      'readonly-auditor',
    ]);
    expect(run.stdout).toMatch(/1 account, 3 IAM users/);
    expect(run.stdout).toMatch(/IAM users with long-lived credentials\s+2/);
    expect(run.stderr).toMatch(/saved scan \S+ in .*rs\.duckdb/);
    expect(readdirSync(join(work, 'out'))).toEqual(['snapshot.json']);
  });

  it('Given --json, When scanned, Then stdout is only JSON and the logs are on stderr', async () => {
    const run = await runCli(['scan', '--from', ONE_ACCOUNT_FIXTURE, '--json', '--store', 'rs.duckdb'], { cwd: work });
    expect(run.status).toBe(0);
    const output = JSON.parse(run.stdout) as {
      scanId: string;
      summary: { users: number; longLived: { keysOnly: number } };
    };
    expect(output.scanId).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{6}$/);
    expect(output.summary.users).toBe(3);
    expect(output.summary.longLived.keysOnly).toBe(1);
    expect(run.stderr).toMatch(/reading AWS CLI output files from/);
  });

  it.each([
    [
      'a truncated GAAD',
      (dir: string) =>
        writeFileSync(join(dir, 'get-account-authorization-details.json'), '{"UserDetailList": [{"UserName": "a'),
    ],
    [
      'malformed JSON in the credential report',
      (dir: string) => writeFileSync(join(dir, 'get-credential-report.json'), '{not json'),
    ],
  ])(
    'Given %s, When scanned, Then it exits 2 with one line naming the file and writes nothing',
    async (_label, spoil) => {
      const input = join(work, 'input');
      cpSync(ONE_ACCOUNT_FIXTURE, input, { recursive: true });
      spoil(input);
      const run = await runCli(['scan', '--from', input, '-o', 'snapshot.json', '--store', 'rs.duckdb'], { cwd: work });
      expect(run.status).toBe(2);
      const lines = run.stderr.trim().split('\n');
      expect(lines.at(-1)).toMatch(/^roleshift: .*\.json/);
      expect(run.stdout).toBe('');
      expect(existsSync(join(work, 'snapshot.json'))).toBe(false);
      expect(existsSync(join(work, 'rs.duckdb'))).toBe(false);
    },
  );

  it('Given an empty folder, When scanned, Then it exits 2 and writes nothing', async () => {
    const empty = join(work, 'empty');
    cpSync(ONE_ACCOUNT_FIXTURE, empty, { recursive: true, filter: (source) => !source.endsWith('.json') });
    const run = await runCli(['scan', '--from', empty, '-o', 'snapshot.json', '--store', 'rs.duckdb'], { cwd: work });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^roleshift: /m);
    expect(existsSync(join(work, 'snapshot.json'))).toBe(false);
    expect(existsSync(join(work, 'rs.duckdb'))).toBe(false);
  });

  it('Given --from with --profile, When scanned, Then it is a usage error (exit 2)', async () => {
    const run = await runCli(['scan', '--from', ONE_ACCOUNT_FIXTURE, '--profile', 'prod'], { cwd: work });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--from reads files; --profile and --region are for a live scan');
  });

  it('Given -o naming a folder, When scanned, Then it refuses before collecting (exit 2) and stores nothing', async () => {
    mkdirSync(join(work, 'out'));
    const run = await runCli(['scan', '--from', ONE_ACCOUNT_FIXTURE, '-o', 'out', '--store', 'rs.duckdb'], {
      cwd: work,
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('-o out is a folder');
    expect(run.stderr).not.toContain('reading AWS CLI output files');
    expect(existsSync(join(work, 'rs.duckdb'))).toBe(false);
  });

  it('Given an unknown option, When run, Then it exits 2', async () => {
    expect((await runCli(['scan', '--no-such-option'], { cwd: work })).status).toBe(2);
  });
});

describe('roleshift history (built CLI)', () => {
  it('Given no store, When history runs, Then it says so, exits 0 and creates nothing', async () => {
    const run = await runCli(['history'], { cwd: work });
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/no scans in .* yet: run roleshift scan/);
    expect(existsSync(join(work, '.roleshift'))).toBe(false);
  });

  it('Given two scans in the default store, When history runs, Then both are listed with their counts', async () => {
    for (let i = 0; i < 2; i += 1)
      expect((await runCli(['scan', '--from', ONE_ACCOUNT_FIXTURE], { cwd: work })).status).toBe(0);
    expect(existsSync(join(work, '.roleshift', 'roleshift.duckdb'))).toBe(true);
    const json = await runCli(['history', '--json'], { cwd: work });
    expect(json.status).toBe(0);
    const { scans } = JSON.parse(json.stdout) as {
      scans: Array<{ scanId: string; users: number; usersWithLongLivedCredentials: number; activeKeys: number }>;
    };
    expect(scans).toHaveLength(2);
    expect(
      scans.map(({ users, usersWithLongLivedCredentials, activeKeys }) => ({
        users,
        usersWithLongLivedCredentials,
        activeKeys,
      })),
    ).toEqual([
      { users: 3, usersWithLongLivedCredentials: 2, activeKeys: 1 },
      { users: 3, usersWithLongLivedCredentials: 2, activeKeys: 1 },
    ]);
    const table = await runCli(['history'], { cwd: work });
    expect(table.status).toBe(0);
    for (const scan of scans) expect(table.stdout).toContain(scan.scanId);
    expect(table.stdout.split('\n')[0]).toMatch(/^scan\s+collected\s+source\s+accounts\s+users\s+long-lived/);
  });
});

describe('roleshift demo (built CLI)', () => {
  it("Given an empty folder, When roleshift demo runs there, Then it prints the summary and writes the snapshot (with the logs' usage), the report and a store row", async () => {
    const run = await runCli(['demo'], { cwd: work });
    expect(run.stderr).not.toMatch(/internal error/);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/3 accounts, \d+ IAM users/);
    expect(run.stdout).toMatch(/IAM users with long-lived credentials\s+\d+/);
    expect(run.stdout).toContain(join('.roleshift', 'demo', 'report.html'));
    // The bundled export is old by design: one note says so, instead of a warning per account.
    expect(run.stderr).not.toMatch(/warning:/);
    expect(
      run.stderr.split('\n').filter((line) => line.startsWith('note: the demo estate is a fixed export')),
    ).toHaveLength(1);
    // Every hint is a command that works from the clone, where `roleshift` alone is not on PATH.
    const hints = run.stdout.slice(run.stdout.indexOf('next, on the same scan'));
    const hintLines = hints
      .split('\n')
      .slice(1)
      .filter((line) => line.trim() !== '');
    expect(hintLines.length).toBeGreaterThan(0);
    expect(hintLines.filter((line) => !line.trimStart().startsWith('npx roleshift '))).toEqual([]);
    expect(run.stdout).toContain('see npx roleshift history');
    const snapshot = SnapshotSchema.parse(
      JSON.parse(readFileSync(join(work, '.roleshift', 'demo', 'snapshot.json'), 'utf8')),
    );
    expect(snapshot.accounts).toHaveLength(3);
    expect(
      snapshot.usage?.principals.some(
        (principal) => principal.arn === 'arn:aws:iam::222222222222:user/github-actions-deploy',
      ),
    ).toBe(true);
    expect(snapshot.usage?.federatedSessions.some((session) => session.kind === 'identity-center')).toBe(true);
    const html = readFileSync(join(work, '.roleshift', 'demo', 'report.html'), 'utf8');
    expect(html).toContain('id="roleshift-data"');
    const history = JSON.parse((await runCli(['history', '--json'], { cwd: work })).stdout) as {
      scans: Array<{ kpis: Record<string, number> }>;
    };
    expect(history.scans).toHaveLength(1);
    expect(history.scans[0]?.kpis.human_idp_share).toBeGreaterThan(0);
  });
});

describeWithMoto('roleshift scan live (built CLI against moto)', (moto) => {
  it('Given a scanner allowed only to read GAAD, When it scans live, Then the denied calls are gaps, shown, and the exit code is 3', async () => {
    const iam = new IAMClient({ endpoint: moto().endpoint, region: moto().region, credentials: moto().credentials });
    await iam.send(new CreateUserCommand({ UserName: 'scanner' }));
    await iam.send(new CreateUserCommand({ UserName: 'legacy-ci' }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'scanner',
        PolicyName: 'gaad-only',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: ['iam:GetAccountAuthorizationDetails', 'sts:GetCallerIdentity'], Resource: '*' },
          ],
        }),
      }),
    );
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'scanner' }))).AccessKey;
    if (!key?.AccessKeyId || !key.SecretAccessKey) throw new Error('moto gave no key');
    await fetch(`${moto().endpoint}/moto-api/reset-auth`, { method: 'POST', body: '0' });

    const env = cleanEnv({
      AWS_ENDPOINT_URL: moto().endpoint,
      AWS_REGION: moto().region,
      AWS_ACCESS_KEY_ID: key.AccessKeyId,
      AWS_SECRET_ACCESS_KEY: key.SecretAccessKey,
    });
    const run = await runCli(['scan', '--store', 'rs.duckdb', '-o', 'snapshot.json'], { cwd: work, env });
    expect(run.stderr).not.toMatch(/internal error/);
    expect(run.status).toBe(3);
    expect(run.stderr).toMatch(/gap: iam:GenerateCredentialReport .*AccessDenied/);
    expect(run.stderr).toMatch(/results above are incomplete, not clean/);
    expect(run.stderr).not.toContain(key.SecretAccessKey);
    // The SDK's notice about its own future Node requirement is not the user's to act on (bin.ts).
    expect(run.stderr).not.toMatch(/NodeVersionSupportWarning/);
    const snapshot = SnapshotSchema.parse(JSON.parse(readFileSync(join(work, 'snapshot.json'), 'utf8')));
    expect(snapshot.gaps.length).toBeGreaterThan(0);
    expect(snapshot.accounts[0]?.users.map((user) => user.name).sort()).toEqual(['legacy-ci', 'scanner']);
    expect(readFileSync(join(work, 'snapshot.json'), 'utf8')).not.toContain(key.SecretAccessKey);
  });
});
