import { readFileSync } from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AjvDraft04Module from 'ajv-draft-04';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLint, type LintCommandOptions } from './lint.js';
import { EXIT, InputFileError, UserInputError } from '../../errors.js';
import type { CommandContext } from '../command.js';

const SARIF_SCHEMA = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/sarif/sarif-2.1.0-rtm.5.json', import.meta.url), 'utf8'),
) as object;
// The schema's language pattern is not valid as a Unicode regular expression; Ajv must not add the `u` flag.
const validateSarif = new AjvDraft04Module.default({ allErrors: true, strict: false, unicodeRegExp: false }).compile(
  SARIF_SCHEMA,
);

interface Captured {
  ctx: CommandContext;
  out: string[];
  warnings: string[];
}

function context(json = false): Captured {
  const out: string[] = [];
  const warnings: string[] = [];
  const ctx: CommandContext = {
    io: {
      out: (t) => out.push(t),
      log: () => undefined,
      warn: (t) => warnings.push(t),
      color: false,
      json,
      debug: false,
      isTty: false,
    },
    global: {},
    now: new Date('2026-11-23T10:00:00Z'),
  };
  return { ctx, out, warnings };
}

const PUBLIC_TRUST = JSON.stringify(
  { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }] },
  null,
  2,
);
const GITHUB_ORG_WIDE = `resource "aws_iam_role" "ci" {
  assume_role_policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com" }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = { "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com" }
        StringLike   = { "token.actions.githubusercontent.com:sub" = "repo:acme/*" }
      }
    }]
  })
}
`;

describe('roleshift lint', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'roleshift-lint-'));
    await writeFile(join(dir, 'public.json'), PUBLIC_TRUST);
    await mkdir(join(dir, 'infra'));
    await writeFile(join(dir, 'infra', 'main.tf'), GITHUB_ORG_WIDE);
    await writeFile(join(dir, 'infra', 'package.json'), '{"name": "not-iam"}');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('Given a public trust policy and --fail-on high, When linted, Then the finding is printed with file and line and the exit code is 1', async () => {
    const { ctx, out } = context();
    const code = await runLint(ctx, { failOn: 'high' }, [join(dir, 'public.json')]);
    expect(code).toBe(EXIT.findings);
    expect(out.join('')).toContain(`${join(dir, 'public.json')}:6`);
    expect(out.join('')).toContain('trust-public');
  });

  it('Given a directory, When linted as JSON, Then Terraform under it is analysed and unrelated JSON is skipped', async () => {
    const { ctx, out } = context(true);
    const options: LintCommandOptions = {};
    expect(await runLint(ctx, options, [join(dir, 'infra')])).toBe(EXIT.ok);
    const report = JSON.parse(out.join('')) as {
      findings: Array<{ checkId: string; resourceName: string; location: { line: number } }>;
    };
    expect(report.findings.map((f) => [f.checkId, f.resourceName, f.location.line])).toEqual([
      ['oidc-subject-tenant-wide', 'aws_iam_role.ci', 1],
    ]);
  });

  it('Given --fail-on critical and only a medium finding, When linted, Then the exit code is 0', async () => {
    const { ctx } = context();
    expect(await runLint(ctx, { failOn: 'critical' }, [join(dir, 'infra', 'main.tf')])).toBe(EXIT.ok);
  });

  it('Given --format sarif, When linted, Then the output is schema-valid SARIF 2.1.0 with one result per finding and the lint rules listed', async () => {
    const { ctx, out } = context();
    await runLint(ctx, { format: 'sarif' }, [join(dir, 'public.json'), join(dir, 'infra', 'main.tf')]);
    expect(validateSarif(JSON.parse(out.join(''))), JSON.stringify(validateSarif.errors)).toBe(true);
    const sarif = JSON.parse(out.join('')) as {
      version: string;
      runs: Array<{ results: Array<{ ruleId: string }>; tool: { driver: { rules: Array<{ id: string }> } } }>;
    };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]?.results.map((r) => r.ruleId).sort()).toEqual(['oidc-subject-tenant-wide', 'trust-public']);
    expect(sarif.runs[0]?.tool.driver.rules.map((r) => r.id)).toContain('oidc-no-subject');
  });

  it('Given a role whose trust is a variable and a policy with a misspelt action, When linted, Then the skip is warned with the file and the typo is a finding', async () => {
    const file = join(dir, 'vars.tf');
    await writeFile(
      file,
      `resource "aws_iam_role" "r" {\n  assume_role_policy = var.trust\n}\nresource "aws_iam_policy" "p" {\n  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:GetObjcet", Resource = "*" }] })\n}\n`,
    );
    const { ctx, out, warnings } = context(true);
    await runLint(ctx, {}, [file]);
    expect(warnings).toEqual([
      `${file}: aws_iam_role.r: assume_role_policy = var.trust cannot be resolved offline; not analysed.`,
    ]);
    const report = JSON.parse(out.join('')) as { findings: Array<{ checkId: string; resourceName: string }> };
    expect(report.findings.map((f) => [f.checkId, f.resourceName])).toEqual([
      ['identity-unknown-action', 'aws_iam_policy.p'],
    ]);
  });

  it('Given a named file that is not IAM material, When linted, Then it is an input error', async () => {
    const { ctx } = context();
    await expect(runLint(ctx, {}, [join(dir, 'infra', 'package.json')])).rejects.toBeInstanceOf(InputFileError);
  });

  it('Given a missing path, When linted, Then the error names it', async () => {
    const { ctx } = context();
    await expect(runLint(ctx, {}, [join(dir, 'nope.tf')])).rejects.toThrow(/nope\.tf: no such file or directory/);
  });

  it('Given no path, When linted, Then it is a usage error', async () => {
    const { ctx } = context();
    await expect(runLint(ctx, {}, [])).rejects.toBeInstanceOf(UserInputError);
  });
});
