import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MigrationPlan } from '../../src/plan/types.js';
import type { ReportExtras } from '../../src/report/report-data.js';
import { runCli } from './run-cli.js';
import { type PagePack, unpackReport } from '../../src/report/page-pack.js';

/**
 * `plan`, `generate`, `report` (and so `serve`, which renders the same page) assess the estate
 * through one pipeline: on the same store they must show the same targets, the same policies and
 * the same ExternalIds, run after run, until the seed is rotated.
 */
let work: string;
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'roleshift-one-plan-'));
  const demo = await runCli(['demo', '--store', 'rs.duckdb', '--out-dir', 'demo'], { cwd: work });
  expect(demo.status, demo.stderr).toBe(0);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const EXTERNAL_ID = /rs-[0-9a-f]{32}/g;

function externalIds(text: string): string[] {
  return [...new Set(text.match(EXTERNAL_ID) ?? [])].sort();
}

async function cli(args: string[]): Promise<string> {
  const run = await runCli([...args, '--store', 'rs.duckdb'], { cwd: work });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout;
}

async function plan(): Promise<MigrationPlan> {
  return JSON.parse(await cli(['plan', '--format', 'json'])) as MigrationPlan;
}

async function generatedText(): Promise<string> {
  const { files } = JSON.parse(await cli(['generate', '--format', 'terraform', '--json'])) as {
    files: Array<{ content: string }>;
  };
  return files.map((file) => file.content).join('\n');
}

async function reportExtras(): Promise<ReportExtras> {
  await cli(['report', '-o', 'report.html']);
  const html = readFileSync(join(work, 'report.html'), 'utf8');
  const json = /<script type="application\/json" id="roleshift-data">([\s\S]*?)<\/script>/.exec(html)?.[1];
  if (json === undefined) throw new Error('the report carries no data block');
  const extras = unpackReport(JSON.parse(json) as PagePack).extras;
  if (extras === null) throw new Error('the report carries no assessment');
  return extras;
}

/** Per user: the target and every artifact (roles with their trust and permissions policies). */
function planView(value: MigrationPlan): Record<string, unknown> {
  return Object.fromEntries(
    value.users.map((user) => [
      `${user.accountId}/${user.userName}`,
      {
        strategy: user.strategy,
        target: user.target,
        artifacts: user.artifacts.map((artifact) =>
          artifact.kind === 'config-change' ? artifact.snippet : JSON.stringify(artifact),
        ),
      },
    ]),
  );
}

function reportView(extras: ReportExtras): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(extras.users).map(([key, user]) => [
      key,
      {
        strategy: user.plan?.strategy,
        target: user.plan?.target,
        artifacts: user.plan?.artifacts.map((artifact) => artifact.text ?? JSON.stringify(artifact.value)),
      },
    ]),
  );
}

describe('one plan everywhere (built CLI, one store)', () => {
  it('Given the demo estate in a store, When plan, generate and report run, Then they show the same targets, policies and ExternalIds', async () => {
    const planned = await plan();
    const ids = externalIds(JSON.stringify(planned));
    expect(ids.length).toBeGreaterThan(0);
    expect(reportView(await reportExtras())).toEqual(planView(planned));
    expect(externalIds(JSON.stringify(await reportExtras()))).toEqual(ids);
    expect(externalIds(await generatedText())).toEqual(ids);
  });

  it('Given the same store, When plan runs again, Then the ExternalIds are the same as the first time', async () => {
    expect(externalIds(JSON.stringify(await plan()))).toEqual(externalIds(JSON.stringify(await plan())));
  });

  it('Given the CloudTrail usage in the scan, When the report plans, Then it narrows the deploy role as plan does instead of mirroring its policies', async () => {
    const roleOf = (artifacts: readonly unknown[]) =>
      artifacts.find((artifact) => (artifact as { kind?: string } | null)?.kind === 'role') as
        | { permissions: { note: string } }
        | undefined;
    const reported = (await reportExtras()).users['222222222222/github-actions-deploy']?.plan?.artifacts ?? [];
    const planned = (await plan()).users.find((user) => user.userName === 'github-actions-deploy')?.artifacts ?? [];
    const role = roleOf(reported.map((artifact) => artifact.value));
    expect(role?.permissions.note).toBe('least privilege from CloudTrail activity');
    expect(role).toEqual(roleOf(planned));
  });

  it('Given a rotation of the seed, When plan, generate and report run, Then every ExternalId changes and all three show the new ones', async () => {
    const before = externalIds(JSON.stringify(await plan()));
    const rotation = await runCli(['plan', '--rotate-seed', '--format', 'json', '--store', 'rs.duckdb'], { cwd: work });
    expect(rotation.status, rotation.stderr).toBe(0);
    expect(rotation.stderr).toContain('rotated the ExternalId seed');
    const after = externalIds(rotation.stdout);
    expect(after).toHaveLength(before.length);
    expect(after.filter((id) => before.includes(id))).toEqual([]);
    expect(externalIds(JSON.stringify(await plan()))).toEqual(after);
    expect(externalIds(await generatedText())).toEqual(after);
    expect(externalIds(JSON.stringify(await reportExtras()))).toEqual(after);
  });
});

describe('the demo replacements, proven (built CLI, one store)', () => {
  const deployRole = (planned: MigrationPlan) =>
    planned.users
      .find((user) => user.userName === 'github-actions-deploy')
      ?.artifacts.find((artifact) => artifact.kind === 'role');

  it('Given the demo deploy user, When planned from its CloudTrail calls, Then its role keeps PassRole on its one role for CloudFormation and the stack scope it is granted, never "*"', async () => {
    const role = deployRole(await plan());
    const statements = (role?.kind === 'role' ? role.permissions.inlinePolicy?.Statement : []) as Array<{
      Action: string[];
      Resource: string[];
      Condition?: unknown;
    }>;
    const passRole = statements.find((statement) => statement.Action.includes('iam:PassRole'));
    expect(passRole?.Resource).toEqual(['arn:aws:iam::222222222222:role/cfn-exec-webapp']);
    expect(passRole?.Condition).toEqual({
      StringEquals: { 'iam:PassedToService': 'cloudformation.amazonaws.com' },
    });
    const stacks = statements.find((statement) => statement.Action.includes('cloudformation:CreateChangeSet'));
    expect(stacks?.Resource).toEqual(['arn:aws:cloudformation:us-east-1:222222222222:stack/webapp-*/*']);
    // Every CreateChangeSet CloudTrail showed passed that role: held to it, the role cannot run an
    // existing webapp stack's other role.
    expect(stacks?.Condition).toEqual({
      ArnEquals: { 'cloudformation:RoleArn': ['arn:aws:iam::222222222222:role/cfn-exec-webapp'] },
    });
    expect(statements.flatMap((statement) => statement.Resource)).not.toContain('*');
  });

  it('Given the demo as a user runs it, When generate writes every format and roleshift lint reads what it wrote, Then nothing is above LOW', async () => {
    for (const format of ['terraform', 'cloudformation', 'json']) {
      await cli(['generate', '--format', format, '-o', `generated-${format}`]);
      const linted = await runCli(['lint', `generated-${format}`, '--format', 'json'], { cwd: work });
      expect(linted.status, linted.stderr).toBe(0);
      const { findings } = JSON.parse(linted.stdout) as {
        findings: Array<{ severity: string; checkId: string; message: string }>;
      };
      expect(findings.length, format).toBeGreaterThan(0);
      const aboveLow = findings.filter((finding) => !['info', 'low'].includes(finding.severity));
      expect(aboveLow.map((finding) => `${format}: ${finding.severity} ${finding.checkId} ${finding.message}`)).toEqual(
        [],
      );
    }
  });

  it('Given the demo estate, When planned and reported, Then every replacement that grants permissions carries its proof, the deploy role is proven on its observed calls, and the report shows the same proof', async () => {
    const planned = await plan();
    const withPermissions = planned.users.filter((user) =>
      user.artifacts.some((artifact) => artifact.kind === 'role' || artifact.kind === 'permission-set'),
    );
    expect(withPermissions.length).toBeGreaterThan(5);
    for (const user of withPermissions) expect(user.proof?.verdict, user.userName).toMatch(/^(proven|failed)$/);
    const deploy = planned.users.find((user) => user.userName === 'github-actions-deploy');
    expect(deploy?.proof?.verdict).toBe('proven');
    expect(deploy?.proof?.observedAllowed.checked).toBeGreaterThan(0);
    expect((await reportExtras()).users['222222222222/github-actions-deploy']?.plan?.proof).toEqual(deploy?.proof);
  });
});
