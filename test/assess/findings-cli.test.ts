import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020Module from 'ajv/dist/2020.js';
import AjvDraft04Module from 'ajv-draft-04';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectFromFiles } from '../../src/collect/files.js';
import type { Finding } from '../../src/model/finding.js';
import { fixtureSchemaValidator } from '../fixtures/schema-validator.js';
import { buildAccount, buildGap, buildKey, buildRoot, buildSnapshot, buildUser } from './builders.js';
import { runInProcess as run } from '../harness/run-in-process.js';

const ESTATE = fileURLToPath(new URL('../../examples/demo-estate/', import.meta.url));
const SARIF_SCHEMA = JSON.parse(
  readFileSync(new URL('../fixtures/sarif/sarif-2.1.0-rtm.5.json', import.meta.url), 'utf8'),
) as object;
const ASFF_SCHEMA = JSON.parse(
  readFileSync(new URL('../fixtures/asff/aws-security-finding.schema.json', import.meta.url), 'utf8'),
) as object;

describe('roleshift findings', () => {
  let dir: string;
  let estate: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'roleshift-findings-'));
    estate = join(dir, 'estate.json');
    writeFileSync(
      estate,
      JSON.stringify(await collectFromFiles(ESTATE, { now: () => new Date('2026-11-20T00:00:00Z') })),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('Given the demo estate, When asked for JSON, Then the root key of the dev account is a critical finding and trust findings are included', async () => {
    const result = await run(['findings', '--snapshot', estate, '--format', 'json'], dir);
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout) as { findings: Finding[] };
    expect(parsed.findings.find((f) => f.checkId === 'root-access-key')).toMatchObject({
      severity: 'critical',
      accountId: '333333333333',
    });
    expect(parsed.findings.some((f) => f.checkId === 'trust-cross-account-no-external-id')).toBe(true);
  });

  it('Given --fail-on critical, When a critical finding exists, Then the exit code is 1', async () => {
    expect((await run(['findings', '--snapshot', estate, '--fail-on', 'critical'], dir)).code).toBe(1);
  });

  it('Given --fail-on critical on an estate without critical findings, Then the exit code is 0', async () => {
    const clean = join(dir, 'clean.json');
    writeFileSync(
      clean,
      JSON.stringify(
        buildSnapshot([buildAccount('111111111111', { root: buildRoot('111111111111', { hardwareMfa: true }) })]),
      ),
    );
    const result = await run(['findings', '--snapshot', clean, '--fail-on', 'critical'], dir);
    expect(result.code).toBe(0);
  });

  it('Given SARIF, Then stdout is a SARIF 2.1.0 log valid against the schema with a rule per check and trust rule', async () => {
    const result = await run(['findings', '--snapshot', estate, '--format', 'sarif'], dir);
    const log = JSON.parse(result.stdout) as {
      runs: Array<{ tool: { driver: { rules: Array<{ id: string }> } }; results: unknown[] }>;
    };
    const validate = new AjvDraft04Module.default({ strict: false, unicodeRegExp: false }).compile(SARIF_SCHEMA);
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    const rules = log.runs[0]?.tool.driver.rules.map((r) => r.id) ?? [];
    expect(rules).toContain('unused-credentials');
    expect(rules).toContain('trust-public');
    expect(log.runs[0]?.results.length).toBeGreaterThan(10);
  });

  it('Given --include-passed, When asked for JSON, Then the checks that held are written per resource beside the failures, and the gate ignores them', async () => {
    const without = JSON.parse((await run(['findings', '--snapshot', estate, '--format', 'json'], dir)).stdout) as {
      findings: Finding[];
    };
    const result = await run(['findings', '--snapshot', estate, '--format', 'json', '--include-passed'], dir);
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout) as { summary: { total: number; passed: number }; findings: Finding[] };
    expect(without.findings.some((f) => f.status === 'pass')).toBe(false);
    const passed = parsed.findings.filter((f) => f.status === 'pass');
    expect(parsed.summary).toMatchObject({ total: without.findings.length, passed: passed.length });
    expect(passed.find((f) => f.checkId === 'password-policy-length')).toMatchObject({
      accountId: '111111111111',
      resourceType: 'account',
      message: 'the password policy requires at least 14 characters',
      references: { cis: ['1.8'] },
    });
    expect(
      parsed.findings.find((f) => f.checkId === 'password-policy-length' && f.accountId === '222222222222'),
    ).toMatchObject({ status: 'fail', message: expect.stringContaining('requires 8 characters') });
    const gate = await run(['findings', '--snapshot', estate, '--include-passed', '--fail-on', 'info'], dir);
    const failuresOnly = await run(['findings', '--snapshot', estate, '--fail-on', 'info'], dir);
    expect(gate.code).toBe(failuresOnly.code);
  });

  it('Given --include-passed with SARIF, Then passes are results of kind "pass" and level "none" and the log stays valid', async () => {
    const result = await run(['findings', '--snapshot', estate, '--format', 'sarif', '--include-passed'], dir);
    const log = JSON.parse(result.stdout) as { runs: Array<{ results: Array<{ kind: string; level: string }> }> };
    const validate = new AjvDraft04Module.default({ strict: false, unicodeRegExp: false }).compile(SARIF_SCHEMA);
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    const passes = log.runs[0]?.results.filter((r) => r.kind === 'pass') ?? [];
    expect(passes.length).toBeGreaterThan(0);
    expect(passes.every((r) => r.level === 'none')).toBe(true);
  });

  it('Given an exceptions register with an unknown field, Then the command fails with exit 2 naming the file and the line', async () => {
    const register = join(dir, 'bad.yaml');
    writeFileSync(
      register,
      'exceptions:\n  - account: "222222222222"\n    user: vercel-app\n    reason: r\n    owner: o\n    expires: 2027-01-01\n    approver: me\n',
    );
    const result = await run(['findings', '--snapshot', estate, '--exceptions', register], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${register}: line 7: exceptions[0].approver is not a known field`);
  });

  it('Given a register in the default place, When run there, Then a registered user is no longer unregistered', async () => {
    const work = mkdtempSync(join(dir, 'cwd-'));
    writeFileSync(
      join(work, 'roleshift.exceptions.yaml'),
      'exceptions:\n  - account: "222222222222"\n    user: vercel-app\n    reason: Vercel has no OIDC to AWS for this app yet\n    owner: web@acme.example\n    expires: 2099-01-01\n',
    );
    const result = await run(['findings', '--snapshot', estate, '--format', 'json'], work);
    const parsed = JSON.parse(result.stdout) as { findings: Finding[] };
    const unregistered = parsed.findings.filter((f) => f.checkId === 'unregistered-user').map((f) => f.resourceName);
    expect(unregistered).not.toContain('222222222222/vercel-app');
    expect(unregistered).toContain('222222222222/github-actions-deploy');
  });

  it('Given --unused-days, Then the threshold changes the verdicts', async () => {
    const snap = join(dir, 'idle.json');
    const lastUsed = { state: 'at' as const, at: new Date(Date.now() - 20 * 86_400_000).toISOString() };
    writeFileSync(
      snap,
      JSON.stringify(
        buildSnapshot([
          buildAccount('111111111111', { users: [buildUser('idle', { accessKeys: [buildKey({ lastUsed })] })] }),
        ]),
      ),
    );
    const ids = async (args: string[]) =>
      (
        JSON.parse((await run(['findings', '--snapshot', snap, '--format', 'json', ...args], dir)).stdout) as {
          findings: Finding[];
        }
      ).findings.map((f) => f.checkId);
    expect(await ids([])).not.toContain('unused-credentials');
    expect(await ids(['--unused-days', '10'])).toContain('unused-credentials');
  });

  it('Given a snapshot with gaps and no gate tripped, Then the exit code is 3 and the gap is reported', async () => {
    const gappy = join(dir, 'gappy.json');
    writeFileSync(gappy, JSON.stringify(buildSnapshot([buildAccount('111111111111')], { gaps: [buildGap()] })));
    const result = await run(['findings', '--snapshot', gappy], dir);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('1 gap in the scan');
  });

  it.each([
    ['an unknown setting', 'thresholds:\n  unusedDays: 30\n', 'thresholds: unknown setting unusedDays'],
    ['a threshold that is not a number', 'thresholds:\n  keyRotationDays: soon\n', 'thresholds.keyRotationDays: '],
    ['thresholds that are not a map', 'thresholds: 5\n', 'thresholds: '],
  ])(
    'Given a config file with %s, Then the command fails with exit 2 naming the file, the line and the setting',
    async (_name, text, message) => {
      const config = join(dir, 'config.yaml');
      writeFileSync(config, text);
      const result = await run(['findings', '--snapshot', estate, '--config', config], dir);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`${config}: line `);
      expect(result.stderr).toContain(message);
    },
  );

  it('Given a config file with a threshold, Then it changes the verdicts like the flag does', async () => {
    const config = join(dir, 'config-30.yaml');
    writeFileSync(config, 'thresholds:\n  keyRotationDays: 100000\n');
    const parsed = JSON.parse(
      (await run(['findings', '--snapshot', estate, '--config', config, '--format', 'json'], dir)).stdout,
    ) as { findings: Finding[] };
    expect(parsed.findings.some((f) => f.checkId === 'access-key-rotation')).toBe(false);
  });

  it('Given --format asff --include-passed --region, Then every finding, failed or passed, is a valid AwsSecurityFinding for the default product of its own account in that region', async () => {
    const result = await run(
      ['findings', '--snapshot', estate, '--format', 'asff', '--include-passed', '--region', 'eu-west-1'],
      dir,
    );
    const findings = JSON.parse(result.stdout) as Array<{
      ProductArn: string;
      Region: string;
      Compliance: { Status: string };
    }>;
    const validate = new Ajv2020Module.default({ strict: false }).compile(ASFF_SCHEMA);
    const invalid = findings.filter((finding) => !validate(finding));
    expect(invalid, JSON.stringify(validate.errors)).toEqual([]);
    expect(new Set(findings.map((f) => f.Compliance.Status))).toEqual(new Set(['FAILED', 'PASSED']));
    expect(findings.every((f) => f.Region === 'eu-west-1')).toBe(true);
    expect(new Set(findings.map((f) => f.ProductArn))).toEqual(
      new Set(
        ['111111111111', '222222222222', '333333333333'].map(
          (account) => `arn:aws:securityhub:eu-west-1:${account}:product/${account}/default`,
        ),
      ),
    );
  });

  it('Given --format ocsf --include-passed --region, Then every result, failed or passed, is a valid OCSF 1.5.0 Detection Finding filed under its own account in that region', async () => {
    const result = await run(
      ['findings', '--snapshot', estate, '--format', 'ocsf', '--include-passed', '--region', 'eu-west-1'],
      dir,
    );
    expect(result.code).toBe(0);
    const events = JSON.parse(result.stdout) as Array<{
      class_uid: number;
      status_code: string;
      metadata: { event_code: string };
      cloud: { region: string; account: { uid: string } };
    }>;
    const asff = JSON.parse(
      (await run(['findings', '--snapshot', estate, '--format', 'asff', '--include-passed'], dir)).stdout,
    ) as unknown[];
    const validate = fixtureSchemaValidator('ocsf/detection-finding.schema.json');
    const invalid = events.filter((event) => !validate(event));
    expect(invalid, JSON.stringify(validate.errors)).toEqual([]);
    expect(events).toHaveLength(asff.length);
    expect(new Set(events.map((e) => e.status_code))).toEqual(new Set(['FAIL', 'PASS']));
    expect(events.every((e) => e.class_uid === 2004 && e.cloud.region === 'eu-west-1')).toBe(true);
    expect(new Set(events.map((e) => e.cloud.account.uid))).toEqual(
      new Set(['111111111111', '222222222222', '333333333333']),
    );
    const rootKeys = events.filter((e) => e.metadata.event_code === 'root-access-key' && e.status_code === 'FAIL');
    expect(rootKeys).toEqual([
      expect.objectContaining({
        severity_id: 5,
        cloud: expect.objectContaining({ account: expect.objectContaining({ uid: '333333333333' }) }),
      }),
    ]);
  });

  it('Given an Organization snapshot and --format ocsf, Then each finding names the Organization, in us-east-1 when no --region is given', async () => {
    const org = join(dir, 'org.json');
    writeFileSync(
      org,
      JSON.stringify(
        buildSnapshot([buildAccount('111111111111'), buildAccount('222222222222')], {
          organization: { id: 'o-abc123defg', managementAccountId: '222222222222', accounts: [], scps: [] },
        }),
      ),
    );
    const events = JSON.parse((await run(['findings', '--snapshot', org, '--format', 'ocsf'], dir)).stdout) as Array<{
      metadata: { tenant_uid?: string };
      cloud: { org?: { uid: string }; region: string };
    }>;
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.metadata.tenant_uid === 'o-abc123defg' && e.cloud.org?.uid === 'o-abc123defg')).toBe(
      true,
    );
    expect(events.every((e) => e.cloud.region === 'us-east-1')).toBe(true);
  });

  it.each([
    [['--format', 'asff', '--region', 'Europe'], 'expected an AWS region name'],
    [['--format', 'ocsf', '--region', 'Europe'], 'expected an AWS region name'],
    [['--format', 'json', '--region', 'eu-west-1'], '--region names the region written into --format asff or ocsf'],
  ])('Given findings %j, Then it is a usage error that says what to do', async (flags, message) => {
    const result = await run(['findings', '--snapshot', estate, ...flags], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it('Given a format that does not exist, Then it is a usage error', async () => {
    expect((await run(['findings', '--snapshot', estate, '--format', 'xml'], dir)).code).toBe(2);
  });
});
