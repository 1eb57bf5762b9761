import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, ONE_ACCOUNT_FIXTURE, runCli, type CliRun } from './run-cli.js';

/**
 * Issue 15 points 6 and 10 with the built CLI: AWS names carrying ESC, OSC, CR and LF (and one of
 * 70,000 characters) never reach the terminal raw, whichever command prints them (the scan
 * summary, the scan's warnings, findings, the plan table, history), and never land raw in CSV,
 * Markdown or CHANGES.md; the findings table stays small. The JSON snapshot keeps them exactly.
 */

/** What a terminal acts on: every control character but newline and tab (CR only before LF). */
const ACTIVE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e]|\r(?!\n)/;

const LONG_NAME = `deploy-${'x'.repeat(70_000)}`;
/** In the credential report too (a CSV): no comma, quote or line break. */
const KEY_USER = 'ci\u001b]0;pwned\u0007\u001b[2J\u001b]8;;https://evil.example\u001b\\bot\u009b31m';
/** In the authorization details only (so the scan also warns about it): CR and LF as well. */
const GAAD_ONLY = 'mallory\u001b[8m\rroot\n# heading';

let work: string;
let exports: string;

function decodeReport(path: string): string {
  return Buffer.from((JSON.parse(readFileSync(path, 'utf8')) as { Content: string }).Content, 'base64').toString();
}

/** The one-account export with deploy-bot renamed (a key user) and two more hostile users in GAAD. */
function hostileExport(dir: string): void {
  cpSync(ONE_ACCOUNT_FIXTURE, dir, { recursive: true });
  const gaadPath = join(dir, 'get-account-authorization-details.json');
  const gaad = JSON.parse(readFileSync(gaadPath, 'utf8')) as { UserDetailList: Array<Record<string, unknown>> };
  const admin = [
    {
      PolicyName: 'all',
      PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
    },
  ];
  for (const user of gaad.UserDetailList) {
    if (user.UserName !== 'deploy-bot') continue;
    user.UserName = KEY_USER;
    user.Arn = `arn:aws:iam::123456789012:user/machines/${KEY_USER}`;
    user.UserPolicyList = admin;
  }
  for (const name of [GAAD_ONLY, LONG_NAME]) {
    gaad.UserDetailList.push({
      Path: '/',
      UserName: name,
      UserId: `id${name.length}`,
      Arn: `arn:aws:iam::123456789012:user/${name}`,
      CreateDate: '2026-11-23T09:31:55Z',
      UserPolicyList: admin,
      GroupList: [],
      AttachedManagedPolicies: [],
      Tags: [{ Key: 'owner', Value: `\u001b]52;c;${Buffer.from('rm -rf ~').toString('base64')}\u0007` }],
    });
  }
  writeFileSync(gaadPath, JSON.stringify(gaad));
  const reportPath = join(dir, 'get-credential-report.json');
  const report = decodeReport(reportPath).replaceAll('deploy-bot', KEY_USER);
  writeFileSync(
    reportPath,
    JSON.stringify({
      Content: Buffer.from(report).toString('base64'),
      ReportFormat: 'text/csv',
      GeneratedTime: '2026-11-23T09:32:00Z',
    }),
  );
}

function expectInert(run: CliRun, what: string): void {
  expect(run.stderr, `${what} stderr`).not.toMatch(ACTIVE);
  expect(run.stdout, `${what} stdout`).not.toMatch(ACTIVE);
  expect(run.stderr, what).not.toMatch(/internal error/);
}

async function cli(args: string[]): Promise<CliRun> {
  return await runCli([...args, '--store', 'rs.duckdb', '--no-color'], { cwd: work, env: cleanEnv() });
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'roleshift-inject-'));
  exports = join(work, 'exports');
  hostileExport(exports);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('hostile AWS names through every human-facing output of the built CLI', () => {
  it('Given names with ESC, OSC, CR, LF and C1 controls, When scanned, Then the summary and the warnings show them escaped and the snapshot keeps them exactly', async () => {
    const scan = await cli(['scan', '--from', exports, '-o', 'snapshot.json']);
    expect([0, 3], scan.stderr).toContain(scan.status);
    expectInert(scan, 'scan');
    expect(scan.stdout).toContain('ci\\u001b]0;pwned');
    expect(scan.stderr).toContain('mallory\\u001b[8m\\rroot\\n# heading');
    const snapshot = readFileSync(join(work, 'snapshot.json'), 'utf8');
    expect(JSON.parse(snapshot).accounts[0].users.map((user: { name: string }) => user.name)).toContain(GAAD_ONLY);
  });

  it('Given that scan, When findings, plan and history print tables, Then no control reaches the terminal and the 70,000-character name is cut', async () => {
    for (const args of [
      ['findings'],
      ['plan'],
      ['history'],
      ['findings', '--format', 'md'],
      ['plan', '--format', 'md'],
    ]) {
      const run = await cli(args);
      expectInert(run, args.join(' '));
      expect(run.stdout, args.join(' ')).not.toContain('x'.repeat(1_000));
    }
    const findings = await cli(['findings']);
    expect(findings.stdout.length).toBeLessThan(100_000);
    expect(findings.stdout).toContain('…');
  });

  it('Given that scan, When findings are written as CSV and Markdown and the plan as code, Then the files hold no control and CSV cells cannot run formulas', async () => {
    const csvRun = await cli(['findings', '--format', 'csv']);
    expect(csvRun.status, csvRun.stderr).not.toBe(4);
    const csv = csvRun.stdout;
    expect(csv).not.toMatch(ACTIVE);
    expect(csv).toContain('ci\\u001b]0;pwned');
    const md = await cli(['findings', '--format', 'md']);
    expect(md.status, md.stderr).not.toBe(4);
    expect(md.stdout).not.toMatch(ACTIVE);
    expect(md.stdout).toContain('ci\\\\u001b\\]0;pwned');

    const generate = await cli(['generate', '--format', 'terraform', '-o', 'out']);
    expectInert(generate, 'generate');
    const changes = readFileSync(join(work, 'out', 'CHANGES.md'), 'utf8');
    expect(changes).not.toMatch(ACTIVE);
    for (const file of listFiles(join(work, 'out')).filter((path) => path.endsWith('.md')))
      expect(readFileSync(file, 'utf8'), file).not.toMatch(ACTIVE);
  });
});

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}
