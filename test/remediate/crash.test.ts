import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  applyProposal,
  proposeFinish,
  proposeRestore,
  proposeRollback,
  proposeStart,
  resumeAll,
} from '../../src/remediate/engine.js';
import { NO_ACTIVITY } from '../../src/remediate/activity-source.js';
import { allOperations } from '../../src/remediate/journal.js';
import type { UserState } from '../../src/remediate/plan-steps.js';
import { describeWithMoto, type Moto } from '../harness/moto.js';
import {
  adminClient,
  ALLOW_ALL_SAFETY,
  comparable,
  engineAgainstMoto,
  HOME_ACCOUNT,
  readState,
  seedFullUser,
} from './fixtures.js';
import { startGapProxy, type GapProxy } from './moto-gap-proxy.js';

const CHILD = new URL('./cli-child.ts', import.meta.url).pathname;
const ALICE = { accountId: HOME_ACCOUNT, userName: 'alice' };

type Scenario = 'start' | 'rollback' | 'finish' | 'restore';

/** The remediate CLI in its own process, so SIGKILL is a real crash (no finally blocks, no flush). */
function runChild(
  moto: Moto,
  endpoint: string,
  args: string[],
  crashAfter: string,
): Promise<{ signal: NodeJS.Signals | null; code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, 'remediate', ...args], {
      env: moto.env({ AWS_ENDPOINT_URL: endpoint, ROLESHIFT_TEST_CRASH_AFTER: crashAfter, NO_COLOR: '1' }),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code, signal, stderr }));
  });
}

describeWithMoto('remediation survives SIGKILL at every step (resume completes it)', (moto) => {
  let proxy: GapProxy;
  let dir: string;
  beforeAll(async () => {
    proxy = await startGapProxy(moto().endpoint);
    dir = mkdtempSync(join(tmpdir(), 'roleshift-crash-'));
  });
  afterAll(async () => {
    await proxy.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Same ids on every run: reset, seed moto's id generator, create the same user. */
  async function freshEstate(): Promise<void> {
    await fetch(`${moto().endpoint}/moto-api/reset`, { method: 'POST' });
    await fetch(`${moto().endpoint}/moto-api/seed?a=42`, { method: 'POST' });
    await seedFullUser(adminClient(moto(), proxy.endpoint), HOME_ACCOUNT, 'alice');
  }

  /** Runs the commands before the scenario's own, in-process, into the store file. */
  async function prepare(scenario: Scenario, storePath: string): Promise<void> {
    if (scenario === 'start') return;
    const engine = await engineAgainstMoto(moto(), proxy.endpoint, storePath);
    try {
      await applyProposal(
        engine.deps,
        await proposeStart(engine.deps, ALICE, { now: new Date(), safety: ALLOW_ALL_SAFETY }),
      );
      if (scenario === 'restore') {
        await applyProposal(
          engine.deps,
          await proposeFinish(engine.deps, ALICE, {
            now: new Date(),
            watchDays: 0,
            activity: NO_ACTIVITY,
            safety: ALLOW_ALL_SAFETY,
          }),
        );
      }
    } finally {
      engine.close();
    }
  }

  /** The uninterrupted run: its final state and the step ids of the scenario's command. */
  async function reference(scenario: Scenario): Promise<{ final: unknown; stepIds: string[] }> {
    await freshEstate();
    const storePath = join(dir, `reference-${scenario}.duckdb`);
    await prepare(scenario, storePath);
    const engine = await engineAgainstMoto(moto(), proxy.endpoint, storePath);
    try {
      const proposal =
        scenario === 'start'
          ? await proposeStart(engine.deps, ALICE, { now: new Date(), safety: ALLOW_ALL_SAFETY })
          : scenario === 'rollback'
            ? await proposeRollback(engine.deps, ALICE)
            : scenario === 'restore'
              ? await proposeRestore(engine.deps, ALICE)
              : await proposeFinish(engine.deps, ALICE, {
                  now: new Date(),
                  watchDays: 0,
                  activity: NO_ACTIVITY,
                  safety: ALLOW_ALL_SAFETY,
                });
      await applyProposal(engine.deps, proposal);
      return {
        final: comparable(await readState(adminClient(moto(), proxy.endpoint), HOME_ACCOUNT, 'alice')),
        stepIds: proposal.steps.map((step) => step.stepId),
      };
    } finally {
      engine.close();
    }
  }

  const COMMAND_ARGS: Record<Scenario, string[]> = {
    start: ['start', `${HOME_ACCOUNT}/alice`, '--apply', '--yes', '--force'],
    rollback: ['rollback', `${HOME_ACCOUNT}/alice`, '--apply', '--yes'],
    finish: ['finish', `${HOME_ACCOUNT}/alice`, '--apply', '--yes', '--force', '--watch-days', '0'],
    restore: ['restore', `${HOME_ACCOUNT}/alice`, '--apply', '--yes'],
  };

  for (const scenario of ['start', 'rollback', 'finish', 'restore'] as const) {
    it(`Given ${scenario} killed after each step's AWS call and before its journal write, When resumed, Then AWS ends exactly as after an uninterrupted ${scenario}`, async () => {
      const { final, stepIds } = await reference(scenario);
      expect(stepIds.length).toBeGreaterThan(scenario === 'finish' ? 10 : 3);
      for (const [index, stepId] of stepIds.entries()) {
        await freshEstate();
        const storePath = join(dir, `${scenario}-${index}.duckdb`);
        await prepare(scenario, storePath);
        const before: UserState | null = await readState(adminClient(moto(), proxy.endpoint), HOME_ACCOUNT, 'alice');

        const crashed = await runChild(
          moto(),
          proxy.endpoint,
          [...COMMAND_ARGS[scenario], '--store', storePath],
          stepId,
        );
        expect(crashed.signal, `${stepId}: ${crashed.stderr}`).toBe('SIGKILL');

        const engine = await engineAgainstMoto(moto(), proxy.endpoint, storePath);
        try {
          const pending = (await allOperations(engine.deps.connection)).filter(
            (operation) => operation.status === 'pending',
          );
          expect(pending.map((operation) => operation.kind)).toEqual([scenario]);
          const interrupted = pending[0];
          expect(interrupted?.steps.find((step) => step.stepId === stepId)?.status).toBe('intent');
          if (scenario === 'finish')
            expect(interrupted?.priorState, 'the backup is complete before any delete').toEqual(before);

          await resumeAll(engine.deps);
          expect((await allOperations(engine.deps.connection)).every((operation) => operation.status === 'done')).toBe(
            true,
          );
        } finally {
          engine.close();
        }
        expect(comparable(await readState(adminClient(moto(), proxy.endpoint), HOME_ACCOUNT, 'alice')), stepId).toEqual(
          final,
        );
      }
    }, 600_000);
  }
});
