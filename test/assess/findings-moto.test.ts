import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateLoginProfileCommand,
  CreateUserCommand,
  IAMClient,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { classifyUsers } from '../../src/assess/classify.js';
import { runChecks } from '../../src/assess/run-checks.js';
import { collectLive } from '../../src/collect/live.js';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { describeWithMoto, type Moto } from '../harness/moto.js';
import { buildContext } from './builders.js';

const savedEnv = { ...process.env };

function pointSdkAt(moto: Moto): void {
  for (const key of Object.keys(process.env)) if (key.startsWith('AWS_')) delete process.env[key];
  Object.assign(process.env, moto.env());
}

function iam(moto: Moto): IAMClient {
  return new IAMClient({ endpoint: moto.endpoint, region: moto.region, credentials: moto.credentials });
}

const policy = (...statements: Array<Record<string, unknown>>) =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements });

beforeEach(() => {
  process.env = { ...savedEnv };
});
afterEach(() => {
  process.env = { ...savedEnv };
});

describeWithMoto(
  'findings on a live scan of a seeded moto account',
  (moto) => {
    it('Given users seeded through the IAM API, When scanned live and assessed, Then each user has exactly the expected findings and class', async () => {
      const client = iam(moto());
      const user = async (name: string) => client.send(new CreateUserCommand({ UserName: name }));
      await client.send(new CreateGroupCommand({ GroupName: 'Admins' }));
      await client.send(
        new AttachGroupPolicyCommand({ GroupName: 'Admins', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }),
      );

      await user('jane.doe');
      await client.send(new CreateLoginProfileCommand({ UserName: 'jane.doe', Password: 'Correct-Horse-9-Battery' }));
      await client.send(new AddUserToGroupCommand({ GroupName: 'Admins', UserName: 'jane.doe' }));

      // An administrator role Lambda can run as: what makes the deployer's PassRole + Lambda an escalation.
      await client.send(
        new CreateRoleCommand({
          RoleName: 'lambda-admin',
          AssumeRolePolicyDocument: policy({
            Effect: 'Allow',
            Principal: { Service: 'lambda.amazonaws.com' },
            Action: 'sts:AssumeRole',
          }),
        }),
      );
      await client.send(
        new AttachRolePolicyCommand({
          RoleName: 'lambda-admin',
          PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
        }),
      );

      await user('github-actions-deploy');
      await client.send(new CreateAccessKeyCommand({ UserName: 'github-actions-deploy' }));
      await client.send(
        new PutUserPolicyCommand({
          UserName: 'github-actions-deploy',
          PolicyName: 'deploy',
          PolicyDocument: policy({
            Effect: 'Allow',
            Action: ['iam:PassRole', 'lambda:CreateFunction', 'lambda:UpdateFunctionCode'],
            Resource: '*',
          }),
        }),
      );

      await user('etl-svc');
      await client.send(new CreateAccessKeyCommand({ UserName: 'etl-svc' }));
      await client.send(new CreateAccessKeyCommand({ UserName: 'etl-svc' }));

      await user('unused-nothing');
      client.destroy();

      pointSdkAt(moto());
      const now = new Date();
      const snapshot = await collectLive({ now: () => now });
      expect(snapshot.gaps).toEqual([]);
      const classifications = classifyUsers(snapshot, { config: DEFAULT_CONFIG });
      const findings = runChecks(snapshot, buildContext(snapshot, { now, config: DEFAULT_CONFIG, classifications }));

      const byUser: Record<string, string[]> = {};
      for (const f of findings) {
        if (f.resourceType !== 'user') continue;
        const name = f.resourceName.split('/').pop() ?? '';
        byUser[name] = [...(byUser[name] ?? []), f.checkId];
      }
      for (const list of Object.values(byUser)) list.sort();
      expect(byUser).toEqual({
        // An administrator through the Admins group, with no MFA at all.
        'jane.doe': [
          'admin-group-member-without-mfa',
          'admin-hardware-mfa',
          'console-password-without-mfa',
          'full-admin-access',
          'unregistered-user',
        ],
        // Keys created a moment ago and never used are not yet stale (CIS counts from creation).
        'github-actions-deploy': ['privilege-escalation', 'unregistered-user', 'user-attached-policies'],
        'etl-svc': ['multiple-active-keys', 'unregistered-user'],
      });
      expect(findings.filter((f) => f.status === 'error')).toEqual([]);
      const classOf = Object.fromEntries(classifications.map((c) => [c.userName, c.class]));
      expect(classOf).toEqual({
        'jane.doe': 'human',
        'github-actions-deploy': 'ci-cd',
        'etl-svc': 'workload',
        'unused-nothing': 'unknown',
      });
    });
  },
  { managedPolicies: true },
);
