import { rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { buildAccount, buildUser } from '../../test/fixtures/build-snapshot.js';
import {
  startAccessAdvisorStandIn,
  type AccessAdvisorStandIn,
  type ReportSpec,
} from '../../test/harness/access-advisor-stand-in.js';
import { exportWithScript } from '../../test/harness/export-with-cli.js';
import { describeWithMoto } from '../../test/harness/moto.js';
import { readAccessAdvisorFiles } from './access-advisor-files.js';
import { collectAccount } from './account.js';
import { createAccountClients } from './clients.js';
import { collectFromFiles } from './files.js';

const NOW = new Date('2026-11-23T10:00:00Z');
const scratch = mkdtempSync(join(tmpdir(), 'roleshift-advisor-files-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let standIn: AccessAdvisorStandIn | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

const DEPLOY_REPORT: ReportSpec = {
  pollsBeforeDone: 1,
  services: [
    {
      namespace: 's3',
      name: 'Amazon S3',
      lastAuthenticated: '2026-11-20T08:00:00Z',
      tracked: [{ name: 'PutObject', lastAccessed: '2026-11-20T08:00:00Z' }, { name: 'PutBucketPolicy' }],
    },
    { namespace: 'sqs', name: 'Amazon SQS', lastAuthenticated: '2026-10-01T00:00:00Z' },
    { namespace: 'dynamodb', name: 'Amazon DynamoDB' },
  ],
};

describeWithMoto(
  'export-script --access-advisor with the real AWS CLI, then scan --from (moto behind the stand-in)',
  (moto) => {
    // Each AWS CLI call starts Python: slow on a loaded machine, never timed.
    it('Given two users, When the printed script exports access advisor and the folder is scanned, Then the reports equal the live ones; a user whose file is removed is a gap naming it', {
      timeout: 300_000,
    }, async () => {
      const iam = new IAMClient({ endpoint: moto().endpoint, region: moto().region, credentials: moto().credentials });
      for (const name of ['alice', 'deploy-bot']) await iam.send(new CreateUserCommand({ UserName: name }));
      iam.destroy();
      standIn = await startAccessAdvisorStandIn(
        { reportFor: (arn) => (arn.endsWith(':user/deploy-bot') ? DEPLOY_REPORT : { services: [] }) },
        moto().endpoint,
      );
      const clients = createAccountClients({
        region: moto().region,
        endpoint: standIn.endpoint,
        credentials: moto().credentials,
      });
      const live = await collectAccount(clients, {
        now: () => NOW,
        sleep: async () => undefined,
        reportPollMs: 1,
        accessAdvisor: { scope: 'users', pollMs: 1 },
      }).finally(() => clients.destroy());

      const dir = join(scratch, 'one');
      const exported = await exportWithScript(moto().env({ AWS_ENDPOINT_URL: standIn.endpoint }), dir, {
        accessAdvisor: true,
      });
      expect(exported.stderr).not.toMatch(/failed|not written/);
      expect(exported.status).toBe(0);
      const accountId = live.account?.accountId ?? '';
      expect(exported.files.filter((file) => file.includes('last-accessed'))).toEqual([
        `${accountId}/get-service-last-accessed-details-alice.json`,
        `${accountId}/get-service-last-accessed-details-deploy-bot.json`,
      ]);
      const files = await collectFromFiles(dir, { now: () => NOW });
      expect(files.gaps).toEqual([]);
      expect(files.accounts[0]?.accessAdvisor).toEqual(live.account?.accessAdvisor);

      rmSync(join(dir, accountId, 'get-service-last-accessed-details-alice.json'));
      const short = await collectFromFiles(dir, { now: () => NOW });
      expect(short.accounts[0]?.accessAdvisor?.principals.map((principal) => principal.arn)).toEqual([
        live.account?.accessAdvisor?.principals[1]?.arn,
      ]);
      expect(short.gaps.map((gap) => [gap.api, gap.errorCode, gap.message])).toEqual([
        [
          'iam:GetServiceLastAccessedDetails',
          'FileMissing',
          "no get-service-last-accessed-details-<user>.json for 1 user(s) (alice): the user's IAM access advisor report is unknown: its plan mirrors today's policies",
        ],
      ]);
    });
  },
);

describe('readAccessAdvisorFiles', () => {
  const account = buildAccount('111111111111', { users: [buildUser('alice'), buildUser('bob')] });
  const file = (name: string, content: unknown) => ({
    path: `exports/111111111111/get-service-last-accessed-details-${name}.json`,
    kind: 'access-advisor' as const,
    continues: false,
    content,
  });

  it('Given a folder without access advisor files, When read, Then there is no advisor data and no gap', () => {
    expect(readAccessAdvisorFiles([], account)).toEqual({ advisor: null, gaps: [] });
  });

  it('Given a job exported while IN_PROGRESS and a file naming no user, When read, Then each is a gap naming its file and neither user has a report', () => {
    const result = readAccessAdvisorFiles(
      [
        file('alice', { JobStatus: 'IN_PROGRESS', JobCreationDate: '2026-11-23T09:00:00Z' }),
        file('carol', { JobStatus: 'COMPLETED' }),
      ],
      account,
    );

    expect(result.advisor).toEqual({ principals: [] });
    expect(result.gaps.map((gap) => [gap.errorCode, gap.message])).toEqual([
      [
        'JobIN_PROGRESS',
        'exports/111111111111/get-service-last-accessed-details-alice.json: the report job was IN_PROGRESS when exported: export it again',
      ],
      [
        'UnknownUser',
        'exports/111111111111/get-service-last-accessed-details-carol.json: the file name names no user of the account (expected get-service-last-accessed-details-<user>.json)',
      ],
      [
        'FileMissing',
        "no get-service-last-accessed-details-<user>.json for 1 user(s) (bob): the user's IAM access advisor report is unknown: its plan mirrors today's policies",
      ],
    ]);
  });
});
