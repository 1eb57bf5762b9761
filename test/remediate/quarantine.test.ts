import {
  CreateAccessKeyCommand,
  CreateLoginProfileCommand,
  CreateUserCommand,
  IAMClient,
  ListUsersCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  applyProposal,
  proposeRollback,
  proposeStart,
  RemediationStepError,
  resumeAll,
} from '../../src/remediate/engine.js';
import { pendingOperations } from '../../src/remediate/journal.js';
import { createIamGateway } from '../../src/remediate/iam-gateway.js';
import { describeWithMoto } from '../harness/moto.js';
import { adminClient, ALLOW_ALL_SAFETY, engineAgainstMoto, HOME_ACCOUNT } from './fixtures.js';
import { startGapProxy, type GapProxy } from './moto-gap-proxy.js';

const ALLOW_ALL = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}';

describeWithMoto('the quarantine policy under real permission checks', (moto) => {
  let proxy: GapProxy;
  beforeAll(async () => {
    proxy = await startGapProxy(moto().endpoint);
  });
  afterAll(async () => {
    await proxy.close();
  });

  async function userWithKey(
    admin: IAMClient,
    userName: string,
    password: boolean,
    policy = ALLOW_ALL,
  ): Promise<{ accessKeyId: string; secretAccessKey: string }> {
    await admin.send(new CreateUserCommand({ UserName: userName }));
    await admin.send(
      new PutUserPolicyCommand({ UserName: userName, PolicyName: 'everything', PolicyDocument: policy }),
    );
    if (password)
      await admin.send(new CreateLoginProfileCommand({ UserName: userName, Password: 'Not-a-real-password-1!' }));
    const key = await admin.send(new CreateAccessKeyCommand({ UserName: userName }));
    return { accessKeyId: key.AccessKey?.AccessKeyId ?? '', secretAccessKey: key.AccessKey?.SecretAccessKey ?? '' };
  }

  it('Given a console user with permissions, When started with auth checks on, Then its calls are denied, and after rollback they work again', async () => {
    const admin = adminClient(moto(), proxy.endpoint);
    const operator = await userWithKey(admin, 'operator', false);
    const aliceKey = await userWithKey(admin, 'alice', true);
    await fetch(`${moto().endpoint}/moto-api/reset-auth`, { method: 'POST', body: '0' });
    // moto accepts inactive keys when checking permissions (MOTO.md), so whatever blocks alice below is the policy.
    const asAlice = new IAMClient({ endpoint: proxy.endpoint, region: moto().region, credentials: aliceKey });
    await expect(asAlice.send(new ListUsersCommand({}))).resolves.toBeDefined();

    const engine = await engineAgainstMoto(moto(), proxy.endpoint, ':memory:', operator);
    try {
      const alice = { accountId: HOME_ACCOUNT, userName: 'alice' };
      await applyProposal(
        engine.deps,
        await proposeStart(engine.deps, alice, { now: new Date(), safety: ALLOW_ALL_SAFETY }),
      );
      await expect(asAlice.send(new ListUsersCommand({}))).rejects.toMatchObject({ name: 'AccessDenied' });

      await applyProposal(engine.deps, await proposeRollback(engine.deps, alice));
      await expect(asAlice.send(new ListUsersCommand({}))).resolves.toBeDefined();
    } finally {
      engine.close();
    }
  });
  it('Given an operator allowed only to read, When start is applied, Then the denied call leaves the operation pending with its error, and resume completes it once the permission is granted', async () => {
    const admin = adminClient(moto(), proxy.endpoint);
    const adminKey = await userWithKey(admin, 'admin', false);
    const readOnly =
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:Get*","iam:List*"],"Resource":"*"}]}';
    const operator = await userWithKey(admin, 'operator', false, readOnly);
    await userWithKey(admin, 'alice', true);
    await fetch(`${moto().endpoint}/moto-api/reset-auth`, { method: 'POST', body: '0' });
    const asAdmin = new IAMClient({ endpoint: proxy.endpoint, region: moto().region, credentials: adminKey });

    const engine = await engineAgainstMoto(moto(), proxy.endpoint, ':memory:', operator);
    try {
      const alice = { accountId: HOME_ACCOUNT, userName: 'alice' };
      await expect(
        applyProposal(
          engine.deps,
          await proposeStart(engine.deps, alice, { now: new Date(), safety: ALLOW_ALL_SAFETY }),
        ),
      ).rejects.toThrow(RemediationStepError);
      const [pending] = await pendingOperations(engine.deps.connection);
      expect(pending?.lastError).toMatch(
        /#01-UpdateAccessKey: iam:UpdateAccessKey in account 123456789012, us-east-1 failed \(AccessDenied\): HTTP 403: /,
      );
      expect(pending?.steps.map((step) => step.status)).toEqual(['intent', 'planned', 'planned', 'planned']);

      await asAdmin.send(
        new PutUserPolicyCommand({ UserName: 'operator', PolicyName: 'everything', PolicyDocument: ALLOW_ALL }),
      );
      const resumed = await resumeAll(engine.deps);
      expect(resumed.failed).toEqual([]);
      expect(resumed.completed.map((operation) => operation.kind)).toEqual(['start']);
      const after = await createIamGateway(asAdmin, HOME_ACCOUNT).readUser('alice');
      expect(after?.accessKeys.map((key) => key.status)).toEqual(['Inactive']);
      expect(after?.inlinePolicies.map((policy) => policy.name)).toEqual(['everything', 'roleshift-quarantine']);
    } finally {
      engine.close();
    }
  });
});
