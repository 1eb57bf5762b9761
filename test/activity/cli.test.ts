import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SnapshotSchema } from '../../src/model/snapshot.js';
import { openStore } from '../../src/store/store.js';
import { runInProcess as run } from '../harness/run-in-process.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const corpus = fileURLToPath(new URL('../fixtures/corpus/', import.meta.url));

describe('roleshift activity and scan --cloudtrail', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'roleshift-activity-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('Given the demo estate and CloudTrail logs, When scanned with --cloudtrail, Then the snapshot has usage and the scan keeps its KPIs', async () => {
    const store = join(dir, 'store.duckdb');
    const snapshotFile = join(dir, 'snapshot.json');
    const result = await run([
      'scan',
      '--from',
      join(repo, 'examples/demo-estate'),
      '--cloudtrail',
      join(corpus, 'stratus-red-team/detonation-logs'),
      '--store',
      store,
      '-o',
      snapshotFile,
    ]);
    expect(result.stderr).not.toContain('roleshift:');
    expect(result.code).toBe(0);
    const snapshot = SnapshotSchema.parse(JSON.parse(readFileSync(snapshotFile, 'utf8')));
    expect(snapshot.usage?.source.filesRead).toBe(35);
    expect(snapshot.usage?.principals.length).toBeGreaterThan(10);
    const opened = await openStore(store);
    try {
      const [scan] = await opened.listScans();
      const longLived = snapshot.accounts
        .flatMap((a) => a.users)
        .filter(
          (u) =>
            u.password.enabled ||
            u.accessKeys.some((k) => k.status === 'Active') ||
            u.signingCertificates.some((c) => c.active),
        );
      expect(scan?.kpis.users_long_lived_total).toBe(longLived.length);
      expect(scan?.kpis.active_access_keys).toBe(scan?.activeKeys);
    } finally {
      opened.close();
    }
  });

  it('Given --engine athena without a table, When scanning, Then it is a usage error before anything is written', async () => {
    const result = await run([
      'scan',
      '--from',
      join(repo, 'examples/demo-estate'),
      '--engine',
      'athena',
      '--store',
      join(dir, 's.duckdb'),
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--athena-database and --athena-table');
    expect(result.stderr).not.toContain('reading AWS CLI output files');
  });

  it('Given a web-identity subject with terminal control codes, When usage is printed, Then the codes are neutralised', async () => {
    const file = join(dir, 'trail.json');
    writeFileSync(
      file,
      JSON.stringify([
        {
          eventTime: '2025-03-06T10:00:00Z',
          eventSource: 'sts.amazonaws.com',
          eventName: 'AssumeRoleWithWebIdentity',
          userIdentity: {
            type: 'WebIdentityUser',
            identityProvider: 'token.actions.githubusercontent.com',
            userName: 'repo:evil/x:ref:\u001b[2Jmain',
          },
          responseElements: {
            provider: 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com',
            subjectFromWebIdentityToken: 'repo:evil/x:ref:\u001b[2Jmain',
          },
          requestParameters: { roleArn: 'arn:aws:iam::111111111111:role/deploy' },
        },
      ]),
    );
    const result = await run(['activity', 'usage', '--cloudtrail', file, '--store', join(dir, 's.duckdb')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('web-identity');
    expect(result.stdout).toContain('repo:evil/x:ref:?[2Jmain');
    expect(result.stdout).not.toContain('\u001b');
  });

  it('Given the demo estate logs, When usage is printed, Then counts of one read "1 action", never "1 actions"', async () => {
    const cloudtrail = join(repo, 'examples', 'demo-estate', 'cloudtrail');
    const result = await run(['activity', 'usage', '--cloudtrail', cloudtrail, '--store', join(dir, 's.duckdb')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/; 1 action; agents/);
    expect(result.stdout).not.toMatch(/\b1 actions\b/);
  });

  it('Given an org trail bucket, When athena-ddl runs, Then it prints the projected CREATE TABLE', async () => {
    const result = await run([
      'activity',
      'athena-ddl',
      '--bucket',
      's3://org-trail',
      '--org-id',
      'o-a1b2c3d4e5',
      '--accounts',
      '111111111111,222222222222',
      '--regions',
      'us-east-1',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('CREATE EXTERNAL TABLE IF NOT EXISTS default.cloudtrail_logs');
    expect(result.stdout).toContain("'projection.region.values' = 'us-east-1'");
  });

  it('Given a user observed in CloudTrail, When least-privilege runs with --json, Then the policy names only what it used', async () => {
    const day = join(dir, 'logs/AWSLogs/111111111111/CloudTrail/us-east-1/2025/03/06');
    mkdirSync(day, { recursive: true });
    const identity = {
      type: 'IAMUser',
      arn: 'arn:aws:iam::111111111111:user/deployer',
      accountId: '111111111111',
      accessKeyId: 'AKIADEPLOYER00000001',
      userName: 'deployer',
    };
    writeFileSync(
      join(day, 'f.json'),
      JSON.stringify({
        Records: [
          {
            eventTime: '2025-03-06T10:00:00Z',
            eventSource: 'sqs.amazonaws.com',
            eventName: 'SendMessage',
            userIdentity: identity,
          },
          {
            eventTime: '2025-03-06T10:00:01Z',
            eventSource: 'iam.amazonaws.com',
            eventName: 'CreateUser',
            errorCode: 'AccessDenied',
            userIdentity: identity,
          },
        ],
      }),
    );
    const result = await run([
      'activity',
      'least-privilege',
      '--cloudtrail',
      join(dir, 'logs'),
      '--user',
      'deployer',
      '--store',
      join(dir, 's.duckdb'),
      '--json',
    ]);
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout) as {
      policy: { Statement: Array<{ Action: string[] }> };
      leftOut: Array<{ action: string; reason: string }>;
    };
    expect(output.policy.Statement.flatMap((s) => s.Action)).toEqual(['sqs:SendMessage']);
    expect(output.leftOut).toEqual([{ action: 'iam:CreateUser', reason: 'only-failed' }]);
  });
});
