import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateUserCommand,
  IAMClient,
  PutUserPolicyCommand,
  TagUserCommand,
} from '@aws-sdk/client-iam';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MigrationPlan } from '../../src/plan/types.js';
import { startAccessAdvisorStandIn, type AccessAdvisorStandIn } from '../harness/access-advisor-stand-in.js';
import { describeWithMoto } from '../harness/moto.js';
import { runInProcess } from '../harness/run-in-process.js';

const savedEnv = { ...process.env };
let work: string;
let standIn: AccessAdvisorStandIn | undefined;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'roleshift-advisor-'));
});
afterEach(async () => {
  process.env = { ...savedEnv };
  await standIn?.close();
  standIn = undefined;
  rmSync(work, { recursive: true, force: true });
});

/** Today the worker may use SQS, S3 and DynamoDB; access advisor saw only SQS used (last week). */
const WORKER_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage'],
      Resource: 'arn:aws:sqs:us-east-1:*:orders',
    },
    { Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::orders-archive/*' },
    { Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' },
  ],
};

describeWithMoto(
  'scan --access-advisor then plan, with no CloudTrail (CLI in-process, moto behind the stand-in)',
  (moto) => {
    it('Given a machine user and a user AWS quarantined, When scanned with --access-advisor and planned, Then the quarantined user is the first finding and plan entry, and the worker keeps only SQS and says why', async () => {
      const iam = new IAMClient({ endpoint: moto().endpoint, region: moto().region, credentials: moto().credentials });
      await iam.send(new CreateUserCommand({ UserName: 'orders-worker' }));
      await iam.send(
        new TagUserCommand({
          UserName: 'orders-worker',
          Tags: [
            { Key: 'roleshift:class', Value: 'workload' },
            { Key: 'runs_on', Value: 'ecs' },
          ],
        }),
      );
      await iam.send(
        new PutUserPolicyCommand({
          UserName: 'orders-worker',
          PolicyName: 'worker',
          PolicyDocument: JSON.stringify(WORKER_POLICY),
        }),
      );
      await iam.send(new CreateAccessKeyCommand({ UserName: 'orders-worker' }));
      await iam.send(new CreateUserCommand({ UserName: 'zoe-leaked' }));
      await iam.send(new CreateAccessKeyCommand({ UserName: 'zoe-leaked' }));
      await iam.send(
        new AttachUserPolicyCommand({
          UserName: 'zoe-leaked',
          PolicyArn: 'arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV3',
        }),
      );
      iam.destroy();
      const recent = new Date(Date.now() - 7 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
      standIn = await startAccessAdvisorStandIn(
        {
          reportFor: (arn) =>
            arn.endsWith(':user/orders-worker')
              ? {
                  services: [
                    { namespace: 'dynamodb' },
                    { namespace: 's3', tracked: [{ name: 'PutObject' }] },
                    { namespace: 'sqs', lastAuthenticated: recent },
                  ],
                  pollsBeforeDone: 1,
                }
              : { services: [] },
        },
        moto().endpoint,
      );
      process.env = { ...moto().env({ AWS_ENDPOINT_URL: standIn.endpoint }) };
      const store = join(work, 'rs.duckdb');

      const scan = await runInProcess(['scan', '--access-advisor', '--store', store]);
      const findings = await runInProcess(['findings', '--store', store, '--format', 'json']);
      const plan = await runInProcess(['plan', '--store', store, '--format', 'json']);

      expect(scan.stderr).not.toMatch(/internal error/);
      expect(scan.code).toBe(0);
      expect(standIn.seen.filter((call) => call.action === 'GenerateServiceLastAccessedDetails')).toHaveLength(2);
      const report = JSON.parse(findings.stdout) as { findings: Array<{ checkId: string; resourceName: string }> };
      expect(report.findings[0]).toMatchObject({ checkId: 'compromised-key-quarantine', severity: 'critical' });
      expect(report.findings[0]?.resourceName).toMatch(/\/zoe-leaked$/);
      const planned = JSON.parse(plan.stdout) as MigrationPlan;
      expect(planned.users[0]?.userName).toBe('zoe-leaked');
      const worker = planned.users.find((user) => user.userName === 'orders-worker');
      const role = worker?.artifacts.find((artifact) => artifact.kind === 'role');
      expect(role?.kind === 'role' && role.permissions.source).toBe('access-advisor');
      expect(role?.kind === 'role' && role.permissions.inlinePolicy?.Statement).toEqual([WORKER_POLICY.Statement[0]]);
      expect(worker?.permissionsNote).toMatch(
        /^IAM access advisor \(no CloudTrail\): only the 1 service\(s\) used in the 90 days before/,
      );
    });
  },
  // AWS's quarantine policies exist only when moto loads the AWS managed policies.
  { managedPolicies: true },
);

describe('scan --access-advisor usage errors (CLI in-process)', () => {
  it.each([
    [
      ['scan', '--from', 'exports', '--access-advisor'],
      /--access-advisor is for a live scan; scan --from reads the reports/,
    ],
    [
      ['scan', '--access-advisor', 'everyone'],
      /--access-advisor everyone: give users \(the default\) or users-and-roles/,
    ],
  ])(
    'Given %j, When run, Then it exits 2 with one line saying what to do, before any AWS call',
    async (args, message) => {
      const run = await runInProcess(args);

      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
    },
  );
});
