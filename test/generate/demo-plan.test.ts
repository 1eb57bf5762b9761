import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseHcl } from '@cdktf/hcl2json';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyUsers } from '../../src/assess/classify.js';
import { rewriteGithubWorkflow } from '../../src/ci-migrate/github.js';
import { collectFromFiles } from '../../src/collect/files.js';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { lintPaths } from '../../src/app/lint.js';
import { generateFiles } from '../../src/generate/generate.js';
import { GENERATE_FORMATS } from '../../src/generate/types.js';
import type { Snapshot } from '../../src/model/snapshot.js';
import { planGuardrails } from '../../src/plan/guardrails.js';
import { planMigration } from '../../src/plan/plan.js';
import type { MigrationPlan, RoleArtifact } from '../../src/plan/types.js';
import { analyzeTrustPolicy } from '../../src/policy/trust/analyze.js';
import { cfnLint } from '../harness/cfn-lint.js';
import { CATALOG } from './estate.js';

/** The demo estate end to end: scan files → classify → plan → generate → validators → ci-migrate. */
const ESTATE = fileURLToPath(new URL('../../examples/demo-estate/', import.meta.url));
const WORKFLOW = fileURLToPath(
  new URL('../../examples/workflows/webapp/.github/workflows/deploy.yml', import.meta.url),
);
const AS_OF = new Date('2026-11-20T00:00:00Z');
const scratch = mkdtempSync(join(tmpdir(), 'roleshift-demo-plan-'));
let snapshot: Snapshot;
let plan: MigrationPlan;

beforeAll(async () => {
  snapshot = await collectFromFiles(ESTATE, { now: () => AS_OF });
  plan = planMigration(snapshot, {
    classifications: classifyUsers(snapshot, { config: DEFAULT_CONFIG }),
    config: DEFAULT_CONFIG,
    now: AS_OF,
    externalIdSeed: 'demo-seed-0001',
    catalog: CATALOG,
  });
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the demo estate plan', () => {
  it('Given the demo estate, when planned, then every IAM user has a plan with the strategy its kind calls for', () => {
    expect(plan.users.map((user) => user.userArn).sort()).toEqual(
      snapshot.accounts.flatMap((account) => account.users.map((user) => user.arn)).sort(),
    );
    const strategies = Object.fromEntries(
      plan.users.map((user) => [`${user.accountId}/${user.userName}`, user.strategy]),
    );
    expect(strategies).toMatchObject({
      '111111111111/breakglass-admin': 'keep-break-glass',
      '111111111111/maria.garcia': 'identity-center',
      '222222222222/maria.garcia': 'identity-center',
      '333333333333/maria.garcia': 'identity-center',
      '111111111111/li.chen': 'identity-center',
      '333333333333/alex.kim': 'identity-center',
      '222222222222/github-actions-deploy': 'oidc-federation',
      '222222222222/vercel-app': 'oidc-federation',
      '222222222222/backup-onprem-nas': 'roles-anywhere',
      '222222222222/signing-service-partner': 'exception',
    });
  });

  it('Given a person with users in three accounts, when planned, then one config file has a profile per account', () => {
    const maria = plan.users.find((user) => user.userName === 'maria.garcia');
    const profiles = maria?.artifacts.find((artifact) => artifact.kind === 'cli-profiles');
    expect(profiles?.kind === 'cli-profiles' && profiles.profiles.map((profile) => profile.accountId)).toEqual([
      '111111111111',
      '222222222222',
      '333333333333',
    ]);
  });

  it('Given the GitHub deploy user, when planned, then its role trusts only acme/webapp on main and passes the trust analyzer', () => {
    const deploy = plan.users.find((user) => user.userName === 'github-actions-deploy');
    expect(deploy?.blockers).toEqual([]);
    const role = deploy?.artifacts.find((artifact): artifact is RoleArtifact => artifact.kind === 'role');
    expect(JSON.stringify(role?.trustPolicy)).toContain('repo:acme/webapp:ref:refs/heads/main');
    // The provider already exists in prod: referenced, not planned again.
    expect(deploy?.artifacts.find((artifact) => artifact.kind === 'oidc-provider')).toMatchObject({ exists: true });
  });

  it('Given every role planned without blockers, when analysed, then the trust analyzer reports nothing', () => {
    const roles = plan.users
      .filter((user) => user.blockers.length === 0)
      .flatMap((user) => user.artifacts)
      .filter((artifact): artifact is RoleArtifact => artifact.kind === 'role');
    expect(roles.length).toBeGreaterThan(0);
    for (const role of roles)
      expect({ role: role.name, issues: analyzeTrustPolicy(role.trustPolicy, { accountId: role.accountId }) }).toEqual({
        role: role.name,
        issues: [],
      });
  });

  it('Given the demo plan, when generated in every format, then Terraform parses, CloudFormation lints clean and the output is deterministic', async () => {
    const guardrails = planGuardrails(plan, { config: DEFAULT_CONFIG });
    for (const format of GENERATE_FORMATS) {
      const files = generateFiles(plan, guardrails, format);
      expect(generateFiles(plan, guardrails, format)).toEqual(files);
      for (const file of files) {
        const path = join(scratch, format, file.path);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, file.content);
        if (file.path.endsWith('.tf'))
          await expect(parseHcl(file.path, file.content)).resolves.toHaveProperty('resource');
        if (file.path.endsWith('.json')) expect(() => JSON.parse(file.content)).not.toThrow();
      }
      if (format === 'cloudformation') {
        const templates = files
          .filter((file) => file.path.startsWith('cloudformation/'))
          .map((file) => join(scratch, format, file.path));
        const lint = await cfnLint(templates);
        expect(lint.output).toBe('');
        expect(lint.status).toBe(0);
      }
    }
  });

  it('Given the demo plan generated in every format, when roleshift lint reads every file, then nothing is above LOW', async () => {
    const guardrails = planGuardrails(plan, { config: DEFAULT_CONFIG });
    const root = join(scratch, 'lint');
    for (const format of GENERATE_FORMATS) {
      for (const file of generateFiles(plan, guardrails, format)) {
        const path = join(root, format, file.path);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, file.content);
      }
    }
    const quiet = { log: () => undefined, warn: () => undefined, debug: false };
    const { findings } = await lintPaths([root], {}, { notes: quiet, now: new Date() });
    const aboveLow = findings.filter((finding) => !['info', 'low'].includes(finding.severity));
    expect(aboveLow.map((finding) => `${finding.severity} ${finding.checkId} ${finding.message}`)).toEqual([]);
    expect(findings.length).toBeGreaterThan(0);
  });

  it('Given the Vercel user whose team is unknown, when generated, then one parameter or variable feeds the provider URL, its client id, the principal and the condition keys', () => {
    const guardrails = planGuardrails(plan, { config: DEFAULT_CONFIG });
    const cfn = generateFiles(plan, guardrails, 'cloudformation').find((file) =>
      file.path.endsWith('account-222222222222.yaml'),
    );
    const tf = generateFiles(plan, guardrails, 'terraform').find((file) =>
      file.path.endsWith('account-222222222222/main.tf'),
    );
    for (const [text, team] of [
      [cfn?.content ?? '', '${VercelAppTeam}'],
      [tf?.content ?? '', '${var.vercel_app_team}'],
    ] as const) {
      expect(text).toContain(`https://oidc.vercel.com/${team}`);
      expect(text).toContain(`https://vercel.com/${team}`);
      expect(text).toContain(`oidc-provider/oidc.vercel.com/${team}`);
      expect(text).toContain(`oidc.vercel.com/${team}:sub`);
      expect(text).not.toContain('REPLACE_ME_');
    }
  });

  it('Given the demo sample workflow, when migrated with the planned role, then it assumes that role and keeps everything else', () => {
    const deploy = plan.users.find((user) => user.userName === 'github-actions-deploy');
    const role = deploy?.artifacts.find((artifact): artifact is RoleArtifact => artifact.kind === 'role');
    const roleArn = `arn:aws:iam::${role?.accountId}:role${role?.path}${role?.name}`;
    expect(roleArn).toBe('arn:aws:iam::222222222222:role/roleshift/github-actions-deploy-oidc');
    const original = readFileSync(WORKFLOW, 'utf8');
    const result = rewriteGithubWorkflow(original, { roleArn });
    expect(result.changed).toBe(true);
    const expected = original
      .replace('permissions:\n  contents: read\n', 'permissions:\n  contents: read\n  id-token: write\n')
      .replace(
        '          aws-access-key-id: ${{ secrets.AWS_ACCESS_KEY_ID }}\n          aws-secret-access-key: ${{ secrets.AWS_SECRET_ACCESS_KEY }}\n',
        `          role-to-assume: ${roleArn}\n`,
      );
    expect(expected).not.toBe(original);
    expect(result.text).toBe(expected);
  });
});
