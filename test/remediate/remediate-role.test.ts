import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { NO_ACTIVITY } from '../../src/remediate/activity-source.js';
import {
  applyProposal,
  proposeFinish,
  proposeRestore,
  proposeRollback,
  proposeStart,
  statusAll,
} from '../../src/remediate/engine.js';
import { WRITE_ACTIONS } from '../../src/remediate/plan-steps.js';
import { describeWithMoto } from '../harness/moto.js';
import {
  adminClient,
  ALLOW_ALL_SAFETY,
  createRemediateRole,
  engineAgainstMoto,
  HOME_ACCOUNT,
  OTHER_ACCOUNT,
  seedFullUser,
} from './fixtures.js';
import { startGapProxy, type GapProxy } from './moto-gap-proxy.js';

const TEMPLATE = new URL('../../deploy/remediate-role.yaml', import.meta.url).pathname;

interface Statement {
  Effect: string;
  Action: string[];
}

function statements(): Statement[] {
  const template = parse(readFileSync(TEMPLATE, 'utf8')) as {
    Resources: {
      RoleshiftRemediateRole: { Properties: { Policies: Array<{ PolicyDocument: { Statement: Statement[] } }> } };
    };
  };
  return template.Resources.RoleshiftRemediateRole.Properties.Policies.flatMap(
    (policy) => policy.PolicyDocument.Statement,
  );
}

function allowed(): Set<string> {
  return new Set(
    statements()
      .filter((statement) => statement.Effect === 'Allow')
      .flatMap((statement) => statement.Action),
  );
}

// cfn-lint runs on this template with every other one of deploy/ in test/deploy/templates.test.ts.
describe('deploy/remediate-role.yaml', () => {
  it('Given the template, When its permissions are read, Then no statement allows creating credentials and every write roleshift plans is allowed', () => {
    const allows = allowed();
    for (const forbidden of ['iam:CreateAccessKey', 'iam:CreateLoginProfile', 'iam:UpdateLoginProfile'])
      expect(allows.has(forbidden)).toBe(false);
    expect(statements().find((statement) => statement.Effect === 'Deny')?.Action).toContain('iam:CreateAccessKey');
    for (const api of WRITE_ACTIONS) expect(allows, api).toContain(`iam:${api}`);
  });
});

describeWithMoto('the remediation role allows exactly what a whole cycle calls', (moto) => {
  let proxy: GapProxy;
  beforeAll(async () => {
    proxy = await startGapProxy(moto().endpoint);
  });
  afterAll(async () => {
    await proxy.close();
  });

  it('Given start (with its readiness reads), status, rollback, start, finish and restore in a member account, When the calls are recorded, Then the template allows exactly those actions (plus the planned writes moto cannot hold)', async () => {
    const other = adminClient(moto(), proxy.endpoint, OTHER_ACCOUNT);
    await createRemediateRole(other, HOME_ACCOUNT);
    await seedFullUser(other, OTHER_ACCOUNT, 'carol');
    const carol = { accountId: OTHER_ACCOUNT, userName: 'carol' };
    const engine = await engineAgainstMoto(moto(), proxy.endpoint);
    try {
      const finishOptions = { now: new Date(), watchDays: 0, activity: NO_ACTIVITY, safety: ALLOW_ALL_SAFETY };
      await applyProposal(
        engine.deps,
        await proposeStart(engine.deps, carol, { now: new Date(), safety: ALLOW_ALL_SAFETY }),
      );
      await statusAll(engine.deps, { now: new Date(), activity: NO_ACTIVITY });
      await applyProposal(engine.deps, await proposeRollback(engine.deps, carol));
      await applyProposal(
        engine.deps,
        await proposeStart(engine.deps, carol, { now: new Date(), safety: ALLOW_ALL_SAFETY }),
      );
      await applyProposal(engine.deps, await proposeFinish(engine.deps, carol, finishOptions));
      await applyProposal(engine.deps, await proposeRestore(engine.deps, carol));
      // The readiness check before a start reads the planned role.
      await (await engine.deps.access.gatewayFor(OTHER_ACCOUNT)).readRole('carol-replacement');
    } finally {
      engine.close();
    }
    const called = new Set(engine.calls.map((call) => `iam:${call.api}`));
    // moto has no Roles Anywhere: the readiness check's two list calls are named here.
    const rolesAnywhereReads = ['rolesanywhere:ListProfiles', 'rolesanywhere:ListTrustAnchors'];
    const expected = new Set([...called, ...WRITE_ACTIONS.map((api) => `iam:${api}`), ...rolesAnywhereReads]);
    expect([...allowed()].sort()).toEqual([...expected].sort());
  });
});
