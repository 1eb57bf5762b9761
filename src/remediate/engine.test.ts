import { DeleteAccessKeyCommand, GetUserCommand, IAMClient, ListUsersCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  adminClient,
  ALLOW_ALL_SAFETY,
  comparable,
  createRemediateRole,
  engineAgainstMoto,
  HOME_ACCOUNT,
  OTHER_ACCOUNT,
  readState,
  seedFullUser,
} from '../../test/remediate/fixtures.js';
import { startGapProxy, type GapProxy } from '../../test/remediate/moto-gap-proxy.js';
import { describeWithMoto } from '../../test/harness/moto.js';
import { NO_ACTIVITY } from './activity-source.js';
import { applyProposal, proposeFinish, proposeRestore, proposeRollback, proposeStart, statusAll } from './engine.js';
import { userOperations } from './journal.js';
import { QUARANTINE_POLICY_NAME } from './plan-steps.js';
import { checkSafety } from './safety.js';

describeWithMoto('remediation engine against moto', (moto) => {
  let proxy: GapProxy;
  beforeAll(async () => {
    proxy = await startGapProxy(moto().endpoint);
  });
  afterAll(async () => {
    await proxy.close();
  });

  const alice = { accountId: HOME_ACCOUNT, userName: 'alice' };

  it('Given a user with keys and a password, When start is applied, Then active keys go inactive, the console is fenced and the stage is tagged', async () => {
    const admin = adminClient(moto(), proxy.endpoint);
    const seeded = await seedFullUser(admin, HOME_ACCOUNT, 'alice');
    const engine = await engineAgainstMoto(moto(), proxy.endpoint);
    try {
      const now = new Date();
      const proposal = await proposeStart(engine.deps, alice, { now, safety: ALLOW_ALL_SAFETY });
      expect(proposal.steps.map((step) => step.call.api)).toEqual([
        'UpdateAccessKey',
        'PutUserPolicy',
        'TagUser',
        'TagUser',
      ]);
      await applyProposal(engine.deps, proposal);

      const after = await readState(admin, HOME_ACCOUNT, 'alice');
      expect(after?.accessKeys).toEqual([
        { accessKeyId: seeded.keys[0]?.accessKeyId, status: 'Inactive' },
        { accessKeyId: seeded.keys[1]?.accessKeyId, status: 'Inactive' },
      ]);
      expect(after?.loginProfile).not.toBeNull();
      expect(after?.inlinePolicies.map((policy) => policy.name)).toContain(QUARANTINE_POLICY_NAME);
      expect(after?.tags).toContainEqual({ Key: 'roleshift:stage', Value: 'watching' });
      expect(after?.tags).toContainEqual({ Key: 'roleshift:since', Value: now.toISOString() });
      const [status] = await statusAll(engine.deps, { now, activity: NO_ACTIVITY });
      expect(status).toMatchObject({ stage: 'watching', since: now.toISOString(), daysInWatch: 0, screams: [] });

      const again = await proposeStart(engine.deps, alice, { now, safety: ALLOW_ALL_SAFETY });
      expect(again.skip).toMatch(/already watching/);
    } finally {
      engine.close();
    }
  });

  it('Given a started user, When rolled back, Then keys, policies and tags are exactly as before, byte for byte', async () => {
    const admin = adminClient(moto(), proxy.endpoint);
    await seedFullUser(admin, HOME_ACCOUNT, 'alice');
    const before = await readState(admin, HOME_ACCOUNT, 'alice');
    const engine = await engineAgainstMoto(moto(), proxy.endpoint);
    try {
      await applyProposal(
        engine.deps,
        await proposeStart(engine.deps, alice, { now: new Date(), safety: ALLOW_ALL_SAFETY }),
      );
      const rollback = await proposeRollback(engine.deps, alice);
      expect(rollback.steps.map((step) => step.call.api)).toEqual([
        'UntagUser',
        'UntagUser',
        'DeleteUserPolicy',
        'UpdateAccessKey',
      ]);
      await applyProposal(engine.deps, rollback);
      expect(await readState(admin, HOME_ACCOUNT, 'alice')).toEqual(before);
      const [status] = await statusAll(engine.deps, { now: new Date(), activity: NO_ACTIVITY });
      expect(status?.stage).toBe('rolled-back');
    } finally {
      engine.close();
    }
  });

  it('Given a quiet watch, When finished, Then the full backup is journaled before the first delete and deletes follow the order AWS requires', async () => {
    const admin = adminClient(moto(), proxy.endpoint);
    await seedFullUser(admin, HOME_ACCOUNT, 'alice');
    const engine = await engineAgainstMoto(moto(), proxy.endpoint);
    try {
      await applyProposal(
        engine.deps,
        await proposeStart(engine.deps, alice, { now: new Date(), safety: ALLOW_ALL_SAFETY }),
      );
      const beforeFinish = await readState(admin, HOME_ACCOUNT, 'alice');
      const finish = await proposeFinish(engine.deps, alice, {
        now: new Date(),
        watchDays: 0,
        activity: NO_ACTIVITY,
        safety: ALLOW_ALL_SAFETY,
      });
      expect(finish.refusals).toEqual([]);
      engine.calls.length = 0;
      await applyProposal(engine.deps, finish);

      const writes = engine.calls.map((call) => call.api);
      expect(writes).toEqual([
        'DeleteLoginProfile',
        'DeleteAccessKey',
        'DeleteAccessKey',
        'DeleteSigningCertificate',
        'DeleteSSHPublicKey',
        'DeactivateMFADevice',
        'DeleteVirtualMFADevice',
        'DeleteUserPolicy',
        'DeleteUserPolicy',
        'DeleteUserPolicy',
        'DetachUserPolicy',
        'RemoveUserFromGroup',
        'RemoveUserFromGroup',
        'DeleteUser',
      ]);
      expect(await readState(admin, HOME_ACCOUNT, 'alice')).toBeNull();
      const operations = await userOperations(engine.deps.connection, HOME_ACCOUNT, 'alice');
      const finished = operations.find((operation) => operation.kind === 'finish');
      expect(finished?.priorState).toEqual(beforeFinish);
      expect(finished?.priorState?.sshPublicKeys[0]?.body).toMatch(/^ssh-ed25519 /);
      expect(finished?.priorState?.signingCertificates[0]?.body).toMatch(/^-----BEGIN CERTIFICATE-----/);
      expect(finished?.priorState?.inlinePolicies.map((policy) => policy.name).sort()).toEqual([
        'deploy',
        'logs',
        'roleshift-quarantine',
      ]);
      expect(finished?.steps.every((step) => step.status === 'done')).toBe(true);
    } finally {
      engine.close();
    }
  });

  it('Given a deleted user, When restored, Then path, tags, groups and policies come back without the quarantine policy or roleshift tags', async () => {
    const admin = adminClient(moto(), proxy.endpoint);
    await seedFullUser(admin, HOME_ACCOUNT, 'alice');
    const original = await readState(admin, HOME_ACCOUNT, 'alice');
    const engine = await engineAgainstMoto(moto(), proxy.endpoint);
    try {
      await applyProposal(
        engine.deps,
        await proposeStart(engine.deps, alice, { now: new Date(), safety: ALLOW_ALL_SAFETY }),
      );
      await applyProposal(
        engine.deps,
        await proposeFinish(engine.deps, alice, {
          now: new Date(),
          watchDays: 0,
          activity: NO_ACTIVITY,
          safety: ALLOW_ALL_SAFETY,
        }),
      );
      const restore = await proposeRestore(engine.deps, alice);
      expect(restore.notes.join(' ')).toMatch(/new credentials must be issued/);
      await applyProposal(engine.deps, restore);
      expect((await proposeRestore(engine.deps, alice)).skip).toBe('already restored');

      const restored = await readState(admin, HOME_ACCOUNT, 'alice');
      expect(restored).toMatchObject({
        path: original?.path,
        tags: original?.tags,
        inlinePolicies: original?.inlinePolicies,
        attachedPolicies: original?.attachedPolicies,
        groups: original?.groups,
        accessKeys: [],
        loginProfile: null,
        mfaDevices: [],
      });
    } finally {
      engine.close();
    }
  });

  it('Given a started user whose switched-off key is used, When finishing, Then the scream blocks the deletion', async () => {
    const admin = adminClient(moto(), proxy.endpoint);
    const seeded = await seedFullUser(admin, HOME_ACCOUNT, 'alice');
    const engine = await engineAgainstMoto(moto(), proxy.endpoint);
    try {
      await applyProposal(
        engine.deps,
        await proposeStart(engine.deps, alice, { now: new Date(), safety: ALLOW_ALL_SAFETY }),
      );
      const key = seeded.keys[0];
      if (!key) throw new Error('seed made no key');
      const asAlice = new IAMClient({ endpoint: proxy.endpoint, region: moto().region, credentials: key });
      await asAlice.send(new ListUsersCommand({})).catch(() => undefined);

      const [status] = await statusAll(engine.deps, { now: new Date(), activity: NO_ACTIVITY });
      expect(status?.screams?.map((scream) => scream.kind)).toEqual(['key-used-after-switch-off']);
      const finish = await proposeFinish(engine.deps, alice, {
        now: new Date(),
        watchDays: 0,
        activity: NO_ACTIVITY,
        safety: ALLOW_ALL_SAFETY,
      });
      expect(finish.steps).toEqual([]);
      expect(finish.refusals.join(' ')).toMatch(/1 scream/);
      expect(await readState(admin, HOME_ACCOUNT, 'alice')).not.toBeNull();
    } finally {
      engine.close();
    }
  });

  it('Given a user in another account, When started and rolled back, Then the calls go through the assumed RoleshiftRemediate role into that account only', async () => {
    const home = adminClient(moto(), proxy.endpoint, HOME_ACCOUNT);
    const other = adminClient(moto(), proxy.endpoint, OTHER_ACCOUNT);
    await createRemediateRole(other, HOME_ACCOUNT);
    await seedFullUser(other, OTHER_ACCOUNT, 'bob');
    const before = await readState(other, OTHER_ACCOUNT, 'bob');
    const bob = { accountId: OTHER_ACCOUNT, userName: 'bob' };
    const engine = await engineAgainstMoto(moto(), proxy.endpoint);
    try {
      await applyProposal(
        engine.deps,
        await proposeStart(engine.deps, bob, { now: new Date(), safety: ALLOW_ALL_SAFETY }),
      );
      expect((await readState(other, OTHER_ACCOUNT, 'bob'))?.tags).toContainEqual({
        Key: 'roleshift:stage',
        Value: 'watching',
      });
      await expect(home.send(new GetUserCommand({ UserName: 'bob' }))).rejects.toThrow();
      expect(new Set(engine.calls.map((call) => call.accountId))).toEqual(new Set([OTHER_ACCOUNT]));
      await applyProposal(engine.deps, await proposeRollback(engine.deps, bob));
      expect(comparable(await readState(other, OTHER_ACCOUNT, 'bob'))).toEqual(comparable(before));
    } finally {
      engine.close();
    }
  });

  it('Given a break-glass user, When start is proposed without --force, Then it is refused and nothing is planned', async () => {
    const admin = adminClient(moto(), proxy.endpoint);
    await seedFullUser(admin, HOME_ACCOUNT, 'alice');
    const engine = await engineAgainstMoto(moto(), proxy.endpoint);
    try {
      const safety = () =>
        checkSafety(
          {
            userClass: 'break-glass',
            classSource: 'plan',
            exception: null,
            replacementReady: true,
            live: [],
            readinessDetail: '',
          },
          false,
        );
      const proposal = await proposeStart(engine.deps, alice, { now: new Date(), safety });
      expect(proposal.steps).toEqual([]);
      expect(proposal.refusals).toEqual(['it is a break-glass user (plan)']);
    } finally {
      engine.close();
    }
  });
  it('Given a key deleted by someone else during the watch, When rolled back, Then the rest is restored and the lost key is said, not silently skipped', async () => {
    const admin = adminClient(moto(), proxy.endpoint);
    const seeded = await seedFullUser(admin, HOME_ACCOUNT, 'alice');
    const engine = await engineAgainstMoto(moto(), proxy.endpoint);
    try {
      await applyProposal(
        engine.deps,
        await proposeStart(engine.deps, alice, { now: new Date(), safety: ALLOW_ALL_SAFETY }),
      );
      const lost = seeded.keys[0]?.accessKeyId;
      await admin.send(new DeleteAccessKeyCommand({ UserName: 'alice', AccessKeyId: lost }));
      const rollback = await proposeRollback(engine.deps, alice);
      expect(rollback.notes).toEqual([`access key ${lost} was deleted since the start: it cannot be switched back on`]);
      expect(rollback.steps.map((step) => step.call.api)).toEqual(['UntagUser', 'UntagUser', 'DeleteUserPolicy']);
      await applyProposal(engine.deps, rollback);
      const after = await readState(admin, HOME_ACCOUNT, 'alice');
      expect(after?.inlinePolicies.map((policy) => policy.name)).not.toContain(QUARANTINE_POLICY_NAME);
      expect(after?.tags.map((tag) => tag.Key)).toEqual(['owner', 'cost center']);
    } finally {
      engine.close();
    }
  });
});
