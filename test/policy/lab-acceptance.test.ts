import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectFromFiles } from '../../src/collect/files.js';
import { loadIamCatalog } from '../../src/policy/action-catalog.js';
import { createEvaluator } from '../../src/policy/evaluator/evaluator.js';
import { analyzePrivileges, type PrivilegeAnalysis } from '../../src/policy/privilege/privilege.js';

/**
 * Acceptance on BishopFox's public iam-vulnerable lab, as deployed in cloudsplaining's example
 * GAAD (test/fixtures/corpus/cloudsplaining/example.json, BSD-3-Clause). Before analysis every
 * user, group, role, policy and instance profile is renamed to a random name, so nothing can
 * rely on the lab's telling names; the expected sets come from the lab's own documentation
 * (README "Supported Privilege Escalation Paths", 31 paths, and the tool-testing module's
 * fn1-fn4 / fp1-fp5 cases), mapped through the renaming, never from roleshift's output.
 */
const GAAD = fileURLToPath(new URL('../fixtures/corpus/cloudsplaining/example.json', import.meta.url));
const NOW = new Date('2026-11-20T00:00:00Z');

/** The lab's documented paths: each has a user `<path>-user` and a role `<path>-role`, and the method(s) that exploit it. */
const DOCUMENTED_PATHS: Record<string, string[]> = {
  'privesc1-CreateNewPolicyVersion': ['create-policy-version'],
  'privesc2-SetExistingDefaultPolicyVersion': ['set-default-policy-version'],
  'privesc3-CreateEC2WithExistingInstanceProfile': ['ec2-run-instances'],
  'privesc4-CreateAccessKey': ['create-access-key'],
  'privesc5-CreateLoginProfile': ['create-login-profile'],
  'privesc6-UpdateLoginProfile': ['update-login-profile'],
  'privesc7-AttachUserPolicy': ['attach-user-policy'],
  'privesc8-AttachGroupPolicy': ['attach-group-policy'],
  'privesc9-AttachRolePolicy': ['attach-role-policy'],
  'privesc10-PutUserPolicy': ['put-user-policy'],
  'privesc11-PutGroupPolicy': ['put-group-policy'],
  'privesc12-PutRolePolicy': ['put-role-policy'],
  'privesc13-AddUserToGroup': ['add-user-to-group'],
  'privesc14-UpdatingAssumeRolePolicy': ['update-assume-role-policy'],
  'privesc15-PassExistingRoleToNewLambdaThenInvoke': ['lambda-create-function'],
  'privesc16-PassRoleToNewLambdaThenTriggerWithNewDynamo': ['lambda-create-function'],
  'privesc17-EditExistingLambdaFunctionWithRole': ['lambda-update-function-code'],
  'privesc18-PassExistingRoleToNewGlueDevEndpoint': ['glue-create-dev-endpoint'],
  'privesc19-UpdateExistingGlueDevEndpoint': ['glue-update-dev-endpoint'],
  'privesc20-PassExistingRoleToCloudFormation': ['cloudformation-create-stack'],
  'privesc21-PassExistingRoleToNewDataPipeline': ['datapipeline-create-pipeline'],
  'privesc-CloudFormationUpdateStack': ['cloudformation-update-stack'],
  'privesc-codeBuildCreateProjectPassRole': ['codebuild-create-project'],
  'privesc-ec2InstanceConnect': ['ec2-instance-connect'],
  'privesc-sageMakerCreateNotebookPassRole': ['sagemaker-create-notebook-instance', 'sagemaker-presigned-notebook-url'],
  'privesc-sageMakerCreatePresignedNotebookURL': ['sagemaker-presigned-notebook-url'],
  'privesc-sageMakerCreateProcessingJobPassRole': ['sagemaker-create-processing-job'],
  'privesc-sageMakerCreateTrainingJobPassRole': ['sagemaker-create-training-job'],
  'privesc-ssmSendCommand': ['ssm-send-command'],
  'privesc-ssmStartSession': ['ssm-start-session'],
};
/** The 31st documented path, STS-AssumeRole: a chain starting-role → intermediate-role → ending-role (admin). */
const ASSUME_ROLE_CHAIN = ['privesc-AssumeRole-starting-role', 'privesc-AssumeRole-intermediate-role'];
/** The tool-testing module: false negatives tools must flag, false positives they must not. */
const FALSE_NEGATIVES: Record<string, string[]> = {
  'fn1-privesc3-partial': ['ec2-run-instances'],
  'fn2-exploitableResourceConstraint': ['create-policy-version'],
  'fn3-exploitableConditionConstraint': ['create-policy-version'],
  'fn4-exploitableNotAction': ['put-user-policy', 'put-role-policy'],
};
const FALSE_POSITIVES = [
  'fp1-allow-and-deny',
  'fp2-allow-and-deny-multiple-policies',
  'fp3-deny-iam',
  'fp4-nonExploitableResourceConstraint',
  'fp5-nonExploitableConditionConstraint',
];
/** The lab's SRE principals (privesc-paths/sre.tf): user, group and role hold iam:* on *, so each can grant itself anything. */
const SRE = 'privesc-sre';
/** The lab's two administrator roles (privesc-AssumeRole.tf, service-linked-role-common.tf). */
const LAB_ADMIN_ROLES = ['privesc-AssumeRole-ending-role', 'privesc-high-priv-service-role'];
/** Principals the lab creates without any permission of their own. */
const PERMISSIONLESS = ['privesc-AssumeRole-start-user', 'privesc-permissive-role-trust'];

const NAME_FIELDS = ['UserName', 'GroupName', 'RoleName', 'PolicyName', 'InstanceProfileName'];

/**
 * Name prefixes that Resource patterns select by (`policy/fn2-*`): the lab's fn2 and fp4 cases
 * turn on them, so they are renamed consistently (a random prefix for a random prefix) to keep
 * what each pattern selects while hiding what the names said.
 */
function patternPrefixes(text: string): string[] {
  return [...new Set([...text.matchAll(/:(?:user|group|role|policy)\/([\w+=,.@-]+)\*/g)].map((m) => m[1] as string))];
}

/** Every principal, policy and instance-profile name of the GAAD, with a random stand-in. */
function renaming(gaad: unknown, prefixes: Map<string, string>): Map<string, string> {
  const names = new Set<string>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object')
      for (const [key, inner] of Object.entries(value)) {
        if (NAME_FIELDS.includes(key) && typeof inner === 'string') names.add(inner);
        if (key === 'GroupList' && Array.isArray(inner)) for (const g of inner) names.add(String(g));
        walk(inner);
      }
  };
  walk(gaad);
  const random = () => randomBytes(6).toString('hex');
  return new Map(
    [...names].map((name) => {
      const prefix = [...prefixes.keys()].find((p) => name.startsWith(p));
      return [name, prefix ? `${prefixes.get(prefix)}${random()}` : `n${random()}`];
    }),
  );
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The GAAD text with every name replaced wherever it stands alone (a JSON string or an ARN segment), and every pattern prefix. */
function renamed(text: string, names: Map<string, string>, prefixes: Map<string, string>): string {
  let out = text;
  for (const [from, to] of [...names.entries()].sort((a, b) => b[0].length - a[0].length))
    out = out.replace(new RegExp(`(?<=["/])${escapeRegExp(from)}(?=["/])`, 'g'), to);
  for (const [from, to] of prefixes) out = out.replace(new RegExp(`(?<=/)${escapeRegExp(from)}(?=\\*)`, 'g'), to);
  return out;
}

let dir = '';
let analysis: PrivilegeAnalysis;
let names: Map<string, string>;
const ACCOUNT = '200611803367';

function arnOf(kind: 'user' | 'role' | 'group', original: string): string {
  const name = names.get(original);
  if (name === undefined) throw new Error(`the lab has no ${kind} ${original}`);
  return `arn:aws:iam::${ACCOUNT}:${kind}/${name}`;
}

/** The role's ARN as the snapshot has it (roles may have a path). */
function roleArn(original: string): string {
  const name = names.get(original);
  const found = analysis.assessments.find((a) => a.principal.kind === 'role' && a.principal.name === name);
  if (!found) throw new Error(`no role ${original}`);
  return found.principal.arn;
}

beforeAll(async () => {
  const text = readFileSync(GAAD, 'utf8');
  const prefixes = new Map(patternPrefixes(text).map((p) => [p, `p${randomBytes(3).toString('hex')}-`]));
  names = renaming(JSON.parse(text), prefixes);
  dir = mkdtempSync(join(tmpdir(), 'roleshift-lab-'));
  const hidden = renamed(text, names, prefixes);
  for (const original of [...names.keys(), ...prefixes.keys()])
    expect(hidden).not.toMatch(new RegExp(`["/]${escapeRegExp(original)}["/*]`));
  writeFileSync(join(dir, 'gaad.json'), hidden);
  const snapshot = await collectFromFiles(dir, { now: () => NOW });
  analysis = analyzePrivileges(createEvaluator(snapshot, { now: NOW }), await loadIamCatalog());
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('iam-vulnerable lab, every name replaced by a random one', () => {
  it.each(Object.entries(DOCUMENTED_PATHS))(
    'Given the documented path %s, When analysed, Then its user and its role are flagged through that method',
    (path, methods) => {
      for (const arn of [arnOf('user', `${path}-user`), roleArn(`${path}-role`)]) {
        const finding = analysis.of(arn)?.escalation;
        expect(finding, `${path}: ${arn}`).toBeTruthy();
        expect(
          methods.some((m) => finding?.steps[0]?.method.split('+').includes(m)),
          `${path}: ${finding?.steps[0]?.method}`,
        ).toBe(true);
      }
    },
  );

  it('Given the SRE principals with iam:*, When analysed, Then the user, the group and the role can make themselves administrators', () => {
    for (const arn of [arnOf('user', `${SRE}-user`), arnOf('group', `${SRE}-group`), roleArn(`${SRE}-role`)])
      expect(analysis.of(arn)?.escalation?.gains, arn).toBe('admin');
  });

  it('Given the STS-AssumeRole path, When analysed, Then the starting and intermediate roles reach the ending role step by step', () => {
    const [starting, intermediate] = ASSUME_ROLE_CHAIN.map(roleArn);
    const ending = roleArn('privesc-AssumeRole-ending-role');
    const start = analysis.of(starting as string)?.escalation;
    expect(start).toMatchObject({ gains: 'admin', severity: 'critical', certain: true });
    expect(start?.steps.map((s) => [s.method, s.becomes])).toEqual([
      ['sts-assume-role', intermediate],
      ['sts-assume-role', ending],
    ]);
    expect(analysis.of(intermediate as string)?.escalation?.steps.map((s) => s.becomes)).toEqual([ending]);
  });

  it.each(Object.entries(FALSE_NEGATIVES))(
    'Given the false-negative case %s, When analysed, Then its user and role are flagged',
    (name, methods) => {
      for (const arn of [arnOf('user', `${name}-user`), roleArn(`${name}-role`)]) {
        const finding = analysis.of(arn)?.escalation;
        expect(finding?.gains, `${name}: ${arn}`).toBe('admin');
        expect(methods).toContain(finding?.steps[0]?.method);
      }
    },
  );

  it.each(FALSE_POSITIVES)(
    'Given the false-positive case %s, When analysed, Then neither its user nor its role is flagged or admin',
    (name) => {
      for (const arn of [arnOf('user', `${name}-user`), roleArn(`${name}-role`)]) {
        const assessment = analysis.of(arn);
        expect(assessment?.escalation, `${name}: ${arn}`).toBeNull();
        expect(assessment?.admin.admin).toBe('no');
        expect(assessment?.admin.level).toBe('none');
      }
    },
  );

  it('Given the principals created without permissions, When analysed, Then none is flagged', () => {
    for (const arn of [arnOf('user', PERMISSIONLESS[0] as string), roleArn(PERMISSIONLESS[1] as string)]) {
      expect(analysis.of(arn)?.escalation).toBeNull();
      expect(analysis.of(arn)?.admin.admin).toBe('no');
    }
  });

  it('Given the lab admin roles, When analysed, Then both are full administrators, reported with who can assume them', () => {
    for (const original of LAB_ADMIN_ROLES) {
      const assessment = analysis.of(roleArn(original));
      expect(assessment?.admin).toMatchObject({ admin: 'yes', level: 'full' });
      expect(assessment?.assumableBy.length).toBeGreaterThan(0);
    }
    const ending = analysis.of(roleArn('privesc-AssumeRole-ending-role'));
    expect(ending?.assumableBy.map((a) => (a.kind === 'principal' ? a.principal.arn : a.kind))).toEqual([
      roleArn('privesc-AssumeRole-intermediate-role'),
    ]);
    const service = analysis.of(roleArn('privesc-high-priv-service-role'));
    expect(service?.assumableBy.every((a) => a.kind === 'outside' && a.trusted.kind === 'service')).toBe(true);
  });

  it('Given the whole lab, When counted, Then 35 users and 37 roles are flagged: every documented path, the chain and fn1-fn4', () => {
    const flagged = analysis.assessments.filter((a) => a.escalation !== null);
    const paths = [...Object.keys(DOCUMENTED_PATHS), ...Object.keys(FALSE_NEGATIVES), SRE];
    const expectedUsers = paths.map((p) => arnOf('user', `${p}-user`));
    const expectedRoles = [...paths.map((p) => roleArn(`${p}-role`)), ...ASSUME_ROLE_CHAIN.map(roleArn)];
    const flaggedArns = new Set(flagged.map((a) => a.principal.arn));
    for (const arn of [...expectedUsers, ...expectedRoles]) expect(flaggedArns.has(arn), arn).toBe(true);
    expect([expectedUsers.length, expectedRoles.length]).toEqual([35, 37]);
  });
});
