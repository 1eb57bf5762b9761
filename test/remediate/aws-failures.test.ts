import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { applyProposal, proposeStart } from '../../src/remediate/engine.js';
import { startFaultProxy, type FaultProxy } from '../harness/fault-proxy.js';
import { describeWithMoto, type Moto } from '../harness/moto.js';
import { adminClient, ALLOW_ALL_SAFETY, engineAgainstMoto, HOME_ACCOUNT, readState, seedFullUser } from './fixtures.js';
import { startGapProxy, type GapProxy } from './moto-gap-proxy.js';

const CHILD = new URL('./cli-child.ts', import.meta.url).pathname;

function remediate(moto: Moto, endpoint: string, args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, 'remediate', ...args], {
      env: moto.env({ AWS_ENDPOINT_URL: endpoint, NO_COLOR: '1' }),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

let work: string;
let gap: GapProxy | undefined;
let faults: FaultProxy | undefined;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'roleshift-remediate-faults-'));
});
afterEach(async () => {
  await faults?.close();
  await gap?.close();
  faults = undefined;
  gap = undefined;
  rmSync(work, { recursive: true, force: true });
});

describeWithMoto('remediation against a failing or throttling AWS', (moto) => {
  it('Given an endpoint that lacks a call remediation makes, When start runs, Then the failure names the call, account, region, HTTP status and what to do, and --debug adds the raw answer', async () => {
    await seedFullUser(adminClient(moto(), moto().endpoint), HOME_ACCOUNT, 'alice');
    const store = join(work, 'roleshift.duckdb');

    // moto answers ListServiceSpecificCredentials with an HTML error page (MOTO.md).
    const plain = await remediate(moto(), moto().endpoint, [
      'start',
      `${HOME_ACCOUNT}/alice`,
      '--force',
      '--store',
      store,
    ]);
    const debug = await remediate(moto(), moto().endpoint, [
      'start',
      `${HOME_ACCOUNT}/alice`,
      '--force',
      '--store',
      store,
      '--debug',
    ]);

    expect(plain.code).toBe(3);
    expect(plain.stderr).toContain(
      `start ${HOME_ACCOUNT}/alice: could not read the user: iam:ListServiceSpecificCredentials in account ${HOME_ACCOUNT}, us-east-1 failed (MalformedResponse): HTTP 500: `,
    );
    expect(plain.stderr).toContain(
      'it may not implement iam:ListServiceSpecificCredentials; --debug shows the raw response',
    );
    expect(plain.stderr).not.toContain('<title>');
    expect(debug.stderr).toMatch(/raw response:\n[\s\S]*<title>500 Internal Server Error<\/title>/);
  });

  it('Given 20% of requests throttled, failed or dropped, When six users are switched off, Then every one of them is', async () => {
    const admin = adminClient(moto(), moto().endpoint);
    const names = ['ann', 'ben', 'cat', 'dan', 'eve', 'fay'];
    for (const name of names) await seedFullUser(admin, HOME_ACCOUNT, name);
    gap = await startGapProxy(moto().endpoint);
    faults = await startFaultProxy({ target: gap.endpoint, faultRate: 0.2, seed: 1 });
    const engine = await engineAgainstMoto(moto(), faults.endpoint);
    try {
      for (const userName of names) {
        const target = { accountId: HOME_ACCOUNT, userName };
        await applyProposal(
          engine.deps,
          await proposeStart(engine.deps, target, { now: new Date(), safety: ALLOW_ALL_SAFETY }),
        );
      }
    } finally {
      engine.close();
    }

    expect(faults.stats.throttled + faults.stats.serverErrors + faults.stats.dropped).toBeGreaterThan(10);
    // Read back past the gap proxy: moto lacks one of the calls a complete read makes.
    const reader = adminClient(moto(), gap.endpoint);
    for (const userName of names) {
      const state = await readState(reader, HOME_ACCOUNT, userName);
      expect(
        state?.accessKeys.every((key) => key.status === 'Inactive'),
        userName,
      ).toBe(true);
      expect(
        state?.inlinePolicies.map((policy) => policy.name),
        userName,
      ).toContain('roleshift-quarantine');
    }
  });
});
