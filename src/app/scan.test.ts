import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAccount, buildKey, buildSnapshot, buildUser } from '../../test/fixtures/build-snapshot.js';
import { DEFAULT_CONFIG } from '../config.js';
import type { PrincipalUsage, Usage } from '../model/usage.js';
import { openStore } from '../store/store.js';
import { assessEstate, scoreEstate } from './assess.js';
import { cloudTrailOptionsOf } from './cloudtrail.js';
import { DEMO_ESTATE_DIR } from './demo.js';
import { loadEstate, type RunContext } from './estate.js';
import { scanEstate } from './scan.js';
import { buildEstate } from '../../test/fixtures/build-estate.js';

/** Inside the demo's CloudTrail week, so its usage counts as recent. */
const NOW = new Date('2026-11-20T00:00:00Z');

describe('the KPIs a scan stores', () => {
  let dir: string;
  let storePath: string;
  const context: RunContext = { now: NOW, notes: { log: () => undefined, warn: () => undefined } };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'roleshift-scan-kpis-'));
    storePath = join(dir, 'roleshift.duckdb');
    await scanEstate(
      {
        source: { kind: 'files', dir: DEMO_ESTATE_DIR },
        cloudTrail: cloudTrailOptionsOf({ cloudtrail: join(DEMO_ESTATE_DIR, 'cloudtrail') }, context.notes),
        output: null,
        storePath,
        config: DEFAULT_CONFIG,
      },
      { ...context, write: () => undefined },
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('Given the demo estate scanned with its CloudTrail, When the whole assessment scores the stored snapshot, Then its KPIs are the ones the scan stored', async () => {
    const store = await openStore(storePath);
    const [scan] = await store.listScans().finally(() => store.close());
    const { estate } = await loadEstate({ storePath, config: DEFAULT_CONFIG }, context);

    const assessed = (await assessEstate(estate)).kpis;

    expect(estate.snapshot.usage).toBeDefined();
    expect(scan?.kpis.users_long_lived_total).toBeGreaterThan(0);
    expect(scan?.kpis).toHaveProperty('human_idp_events');
    expect(scan?.kpis).toEqual(assessed);
  });
});

describe('scoreEstate', () => {
  const githubActionsCaller: PrincipalUsage = {
    arn: 'arn:aws:iam::111111111111:user/q7k2',
    type: 'IAMUser',
    accountId: '111111111111',
    userName: 'q7k2',
    sessionIssuerArn: null,
    consoleLogins: { total: 0, withMfa: 0, withoutMfa: 0, failed: 0 },
    events: 50,
    firstSeen: '2026-11-01T00:00:00Z',
    lastSeen: '2026-11-02T00:00:00Z',
    actions: [],
    addresses: [],
    userAgents: [
      { family: 'configure-aws-credentials', events: 50, example: 'configure-aws-credentials-for-github-actions' },
    ],
    regions: ['us-east-1'],
    errors: {},
  };
  const snapshot = buildSnapshot([
    buildAccount('111111111111', { users: [buildUser('q7k2', { accessKeys: [buildKey()] })] }),
  ]);
  const usage: Usage = {
    source: {
      engine: 'duckdb',
      origin: 'test',
      since: null,
      until: null,
      filesRead: 1,
      filesSkipped: 0,
      unreadable: [],
      records: 50,
      badRecords: 0,
    },
    principals: [githubActionsCaller],
    accessKeys: [],
    federatedSessions: [],
  };

  it('Given a key used only from GitHub Actions, When scored, Then CloudTrail makes it a machine, as in the whole assessment', async () => {
    const estate = buildEstate({ ...snapshot, usage }, NOW);

    const kpis = scoreEstate(estate);

    expect(kpis.users_long_lived_machines).toBe(1);
    expect(scoreEstate(buildEstate(snapshot, NOW)).users_long_lived_machines).toBe(0);
    expect(kpis).toEqual((await assessEstate(estate)).kpis);
  });
});
