import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { parse as parseHcl } from '@cdktf/hcl2json';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_CONFIG, type RoleshiftConfig } from '../../src/config.js';
import { generateFiles } from '../../src/generate/generate.js';
import { GENERATE_FORMATS, type GeneratedFile, type GenerateFormat } from '../../src/generate/types.js';
import { planGuardrails } from '../../src/plan/guardrails.js';
import { planMigration } from '../../src/plan/plan.js';
import { cfnLint } from '../harness/cfn-lint.js';
import { runProcess } from '../harness/run-process.js';
import { CATALOG, DEV, NOW, planningEstate, PROD, SEED } from './estate.js';

const GOLDEN = new URL('./golden/', import.meta.url).pathname;
const CONFIG: RoleshiftConfig = {
  ...DEFAULT_CONFIG,
  ownershipDefaults: { owner: 'cloud-platform', 'cost-center': 'CC-1000' },
};
const scratch = mkdtempSync(join(tmpdir(), 'roleshift-generate-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function generate(format: GenerateFormat, reverse = false): GeneratedFile[] {
  const { snapshot, classifications } = planningEstate();
  if (reverse) {
    snapshot.accounts.reverse();
    for (const account of snapshot.accounts) account.users.reverse();
    classifications.reverse();
  }
  const plan = planMigration(snapshot, {
    classifications,
    config: CONFIG,
    now: NOW,
    externalIdSeed: SEED,
    catalog: CATALOG,
  });
  return generateFiles(plan, planGuardrails(plan, { config: CONFIG }), format);
}

function writeAll(files: GeneratedFile[], root: string): void {
  for (const file of files) {
    const path = join(root, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.content);
  }
}

function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(relative(root, path));
    }
  };
  walk(root);
  return out.sort();
}

describe('generate', () => {
  it.each(GENERATE_FORMATS)(
    'Given the planning estate, when generating %s, then the files equal the golden files',
    (format) => {
      const files = generate(format);
      const root = join(GOLDEN, format);
      if (process.env.UPDATE_GOLDEN === '1') {
        rmSync(root, { recursive: true, force: true });
        writeAll(files, root);
      }
      expect(files.map((file) => file.path)).toEqual(listFiles(root));
      for (const file of files) expect(file.content, file.path).toBe(readFileSync(join(root, file.path), 'utf8'));
    },
  );

  it.each(GENERATE_FORMATS)(
    'Given the same estate in another order, when generating %s, then the output is byte-identical',
    (format) => {
      expect(generate(format, true)).toEqual(generate(format));
    },
  );

  it('Given the Terraform output, when every file is parsed with hcl2json, then each parses and holds the expected resources', async () => {
    const files = generate('terraform').filter((file) => file.path.endsWith('.tf'));
    expect(files.length).toBe(5);
    const parsed = new Map<string, Record<string, Record<string, unknown>>>();
    for (const file of files) {
      const json = (await parseHcl(file.path, file.content)) as { resource?: Record<string, Record<string, unknown>> };
      parsed.set(file.path, json.resource ?? {});
    }
    const prod = parsed.get(`terraform/account-${PROD}/main.tf`) ?? {};
    expect(Object.keys(prod.aws_iam_role ?? {}).sort()).toEqual([
      'backup_agent_roles_anywhere',
      'datadog_vendor',
      'github_deploy_oidc',
      'gitlab_ci_oidc',
      'orders_worker_ecs_task',
    ]);
    expect(Object.keys(prod.aws_iam_openid_connect_provider ?? {}).sort()).toEqual([
      'gitlab_com',
      'token_actions_githubusercontent_com',
    ]);
    // The provider already exists in the dev account: referenced, not created again.
    expect(parsed.get(`terraform/account-${DEV}/main.tf`)?.aws_iam_openid_connect_provider).toBeUndefined();
    const ic = parsed.get('terraform/identity-center/main.tf') ?? {};
    expect(Object.keys(ic.aws_ssoadmin_account_assignment ?? {}).sort()).toEqual([
      `developers_developers_${PROD}`,
      `user_alice_smith_alice_acme_example_${DEV}`,
    ]);
    const account = parsed.get('terraform/guardrails-account/main.tf') ?? {};
    expect(Object.keys(account.aws_cloudwatch_event_rule ?? {})).toHaveLength(5);
  });

  it.skipIf(!inject('tools').terraform)(
    'Given the Terraform output, when checked with terraform fmt, then it is already canonical',
    async () => {
      const root = join(scratch, 'fmt');
      writeAll(generate('terraform'), root);
      const result = await runProcess('terraform', ['fmt', '-check', '-recursive', '-diff', join(root, 'terraform')]);
      expect(result.stdout).toBe('');
      expect(result.status).toBe(0);
    },
  );

  it('Given the CloudFormation output, when linted with cfn-lint, then there are zero errors and warnings', async () => {
    const root = join(scratch, 'cfn');
    const files = generate('cloudformation').filter(
      (file) => file.path.endsWith('.yaml') && file.path.startsWith('cloudformation/'),
    );
    expect(files.length).toBe(5);
    writeAll(files, root);
    const result = await cfnLint(files.map((file) => join(root, file.path)));
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  it('Given the CloudFormation output, when read, then every role, permission set, topic and SCP carries owner and cost-centre tags', () => {
    const tagged = [
      'AWS::IAM::Role',
      'AWS::SSO::PermissionSet',
      'AWS::SNS::Topic',
      'AWS::Organizations::Policy',
      'AWS::RolesAnywhere::Profile',
    ];
    let seen = 0;
    for (const file of generate('cloudformation').filter((f) => f.path.startsWith('cloudformation/'))) {
      const template = parseYaml(file.content) as {
        Resources: Record<string, { Type: string; Properties: { Tags?: Array<{ Key: string; Value: string }> } }>;
      };
      for (const [name, resource] of Object.entries(template.Resources)) {
        if (!tagged.includes(resource.Type)) continue;
        seen += 1;
        const tags = Object.fromEntries((resource.Properties.Tags ?? []).map((tag) => [tag.Key, tag.Value]));
        expect({ name, owner: Boolean(tags.owner), costCentre: Boolean(tags['cost-center']) }).toEqual({
          name,
          owner: true,
          costCentre: true,
        });
      }
    }
    expect(seen).toBe(12);
  });

  it('Given a person with users in two accounts, when the AWS CLI reads the generated config, then both SSO profiles resolve', async () => {
    const files = generate('json');
    const config = files.find((file) => file.path === 'aws-config/alice@acme.example.config');
    if (!config) throw new Error('no CLI config generated');
    const path = join(scratch, 'alice.config');
    writeFileSync(path, config.content);
    const env = { ...process.env, AWS_CONFIG_FILE: path, AWS_SHARED_CREDENTIALS_FILE: '/dev/null' };
    const get = async (key: string, profile: string): Promise<string> =>
      (await runProcess('aws', ['configure', 'get', key, '--profile', profile], { env })).stdout.trim();
    expect(await get('sso_account_id', 'acme-prod')).toBe(PROD);
    expect(await get('sso_role_name', 'acme-prod')).toBe('developers');
    expect(await get('sso_account_id', 'acme-dev')).toBe(DEV);
    expect(await get('sso_role_name', 'acme-dev')).toBe('user-alice.smith');
    expect(await get('sso_session', 'acme-dev')).toBe('roleshift');
    const list = await runProcess('aws', ['configure', 'list-profiles'], { env });
    // `list-profiles` exists only in AWS CLI v2 (Debian's awscli on CI); v1 rejects the subcommand.
    if (list.status === 0) expect(list.stdout.trim().split('\n').sort()).toEqual(['acme-dev', 'acme-prod']);
    else expect(list.stderr).toMatch(/Invalid choice/);
  });
});

describe('exception drafts', () => {
  it('Given a vendor that cannot assume roles, when generated, then the draft parses with the exceptions register reader', async () => {
    const { parseExceptions } = await import('../../src/assess/exceptions.js');
    const draft = generate('json').find((file) => file.path === 'exceptions/drafts.yaml');
    if (!draft) throw new Error('no draft generated');
    expect(parseExceptions(draft.content, 'drafts.yaml')).toMatchObject([
      {
        account: PROD,
        user: 'signing-service',
        owner: 'payments',
        expires: '2027-02-21',
        controls: { scopedPolicy: true, rotationDays: 90 },
      },
    ]);
  });
});
