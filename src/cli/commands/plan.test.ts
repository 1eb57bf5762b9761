import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT, InputFileError, UserInputError } from '../../errors.js';
import type { MigrationPlan } from '../../plan/types.js';
import { planningEstate } from '../../../test/generate/estate.js';
import type { CommandContext } from '../command.js';
import { runCiMigrate } from './ci-migrate.js';
import { runGenerate } from './generate.js';
import { runPlan } from './plan.js';

const scratch = mkdtempSync(join(tmpdir(), 'roleshift-plan-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const snapshotFile = join(scratch, 'snapshot.json');
writeFileSync(snapshotFile, JSON.stringify(planningEstate().snapshot));

function context(json = false): { ctx: CommandContext; out: string[]; logs: string[] } {
  const out: string[] = [];
  const logs: string[] = [];
  const ctx: CommandContext = {
    io: {
      out: (t) => out.push(t),
      log: (t) => logs.push(t),
      warn: (t) => logs.push(`warning: ${t}`),
      color: false,
      json,
      debug: false,
      isTty: false,
    },
    global: {},
    now: new Date('2026-11-23T10:00:00Z'),
  };
  return { ctx, out, logs };
}

describe('roleshift plan', () => {
  it('Given a snapshot, when planning as JSON, then every user is planned and the secret seed is never printed', async () => {
    const { ctx, out } = context();
    expect(await runPlan(ctx, { snapshot: snapshotFile, format: 'json', seed: 'cli-test-seed' }, [])).toBe(EXIT.ok);
    const plan = JSON.parse(out.join('')) as MigrationPlan;
    expect(plan.users).toHaveLength(12);
    expect(out.join('')).not.toContain('cli-test-seed');
  });

  it('Given user selectors, when planning as Markdown, then only those users appear', async () => {
    const { ctx, out } = context();
    await runPlan(ctx, { snapshot: snapshotFile, format: 'md', seed: 'cli-test-seed' }, ['111111111111/breakglass']);
    const text = out.join('');
    expect(text).toMatch(/^# IAM user migration plan/);
    expect(text).toContain('### 111111111111/breakglass');
    expect(text).not.toContain('### 111111111111/datadog');
  });

  it('Given an unknown user, when planning, then a one-line user error names it', async () => {
    await expect(
      runPlan(context().ctx, { snapshot: snapshotFile, seed: 'cli-test-seed' }, ['999999999999/nobody']),
    ).rejects.toThrow(UserInputError);
  });

  it('Given a missing snapshot file, when planning, then the input error names the file', async () => {
    await expect(runPlan(context().ctx, { snapshot: join(scratch, 'missing.json') }, [])).rejects.toThrow(
      InputFileError,
    );
  });

  it('Given a too-short seed, when planning, then it is refused', async () => {
    await expect(runPlan(context().ctx, { snapshot: snapshotFile, seed: 'short' }, [])).rejects.toThrow(
      /at least 8 characters/,
    );
  });
});

describe('roleshift generate', () => {
  it('Given -o DIR, when generating Terraform, then the files are written there', async () => {
    const dir = join(scratch, 'tf');
    const { ctx } = context();
    expect(
      await runGenerate(ctx, { snapshot: snapshotFile, format: 'terraform', output: dir, seed: 'cli-test-seed' }, []),
    ).toBe(EXIT.ok);
    expect(readFileSync(join(dir, 'terraform/guardrails-organization/main.tf'), 'utf8')).toContain(
      'SERVICE_CONTROL_POLICY',
    );
    expect(existsSync(join(dir, 'aws-config/alice@acme.example.config'))).toBe(true);
  });

  it('Given an unknown format, when generating, then it is a user error', async () => {
    await expect(runGenerate(context().ctx, { snapshot: snapshotFile, format: 'pulumi' }, [])).rejects.toThrow(
      /--format must be one of/,
    );
  });
});

describe('roleshift ci-migrate', () => {
  const sample = new URL('../../../examples/workflows/webapp/', import.meta.url).pathname;
  const role = 'arn:aws:iam::222222222222:role/roleshift/github-actions-deploy-oidc';

  it('Given the demo sample without --write, when run, then the diff is printed and no file changes', async () => {
    const checkout = join(scratch, 'dry');
    cpSync(sample, checkout, { recursive: true });
    const before = readFileSync(join(checkout, '.github/workflows/deploy.yml'), 'utf8');
    const { ctx, out } = context();
    expect(await runCiMigrate(ctx, checkout, { roleArn: role })).toBe(EXIT.ok);
    expect(out.join('\n')).toContain(`+          role-to-assume: ${role}`);
    expect(readFileSync(join(checkout, '.github/workflows/deploy.yml'), 'utf8')).toBe(before);
  });

  it('Given --write, when run, then the workflow is rewritten and the untouched one stays as it was', async () => {
    const checkout = join(scratch, 'write');
    cpSync(sample, checkout, { recursive: true });
    const lint = readFileSync(join(checkout, '.github/workflows/lint.yml'), 'utf8');
    expect(await runCiMigrate(context().ctx, checkout, { roleArn: role, write: true })).toBe(EXIT.ok);
    const deploy = readFileSync(join(checkout, '.github/workflows/deploy.yml'), 'utf8');
    expect(deploy).toContain(`role-to-assume: ${role}`);
    expect(deploy).not.toContain('secrets.AWS_SECRET_ACCESS_KEY');
    expect(readFileSync(join(checkout, '.github/workflows/lint.yml'), 'utf8')).toBe(lint);
  });

  it.each([
    ['a malformed role ARN', { roleArn: 'arn:aws:iam::1:user/x' }, /not an IAM role ARN/],
    ['a folder without pipelines', {}, /no .github\/workflows/],
  ])('Given %s, when run, then it is a user error', async (_label, options, message) => {
    await expect(runCiMigrate(context().ctx, scratch, options)).rejects.toThrow(message);
  });
});
