/**
 * BishopFox's public iam-vulnerable lab, as deployed in cloudsplaining's example GAAD
 * (test/fixtures/corpus/cloudsplaining/example.json, BSD-3-Clause), with what its documentation
 * says about it: the 31 escalation paths (README "Supported Privilege Escalation Paths"), the
 * tool-testing module's false negatives fn1-fn4 and false positives fp1-fp5, the two
 * administrator roles and the principals without permissions. `hideNames` renames every
 * principal, policy and instance profile to a random name so that no test can rely on what the
 * lab's names say; the expected sets are mapped through the renaming, never taken from
 * roleshift's output.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const LAB_GAAD = fileURLToPath(new URL('../fixtures/corpus/cloudsplaining/example.json', import.meta.url));
export const LAB_ACCOUNT = '200611803367';

/** The lab's documented paths: each has a user `<path>-user` and a role `<path>-role`, and the method(s) that exploit it. */
export const DOCUMENTED_PATHS: Record<string, string[]> = {
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
export const ASSUME_ROLE_CHAIN = ['privesc-AssumeRole-starting-role', 'privesc-AssumeRole-intermediate-role'];
/** The tool-testing module: false negatives tools must flag, false positives they must not. */
export const FALSE_NEGATIVES: Record<string, string[]> = {
  'fn1-privesc3-partial': ['ec2-run-instances'],
  'fn2-exploitableResourceConstraint': ['create-policy-version'],
  'fn3-exploitableConditionConstraint': ['create-policy-version'],
  'fn4-exploitableNotAction': ['put-user-policy', 'put-role-policy'],
};
export const FALSE_POSITIVES = [
  'fp1-allow-and-deny',
  'fp2-allow-and-deny-multiple-policies',
  'fp3-deny-iam',
  'fp4-nonExploitableResourceConstraint',
  'fp5-nonExploitableConditionConstraint',
];
/** The lab's SRE principals (privesc-paths/sre.tf): user, group and role hold iam:* on *, so each can grant itself anything. */
export const SRE = 'privesc-sre';
/** The lab's two administrator roles (privesc-AssumeRole.tf, service-linked-role-common.tf). */
export const LAB_ADMIN_ROLES = ['privesc-AssumeRole-ending-role', 'privesc-high-priv-service-role'];
/** Principals the lab creates without any permission of their own. */
export const PERMISSIONLESS = ['privesc-AssumeRole-start-user', 'privesc-permissive-role-trust'];

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

export interface HiddenLab {
  /** The GAAD with every name replaced. */
  text: string;
  /** The lab's name of everything, to its stand-in. */
  names: ReadonlyMap<string, string>;
}

/** The lab's GAAD with every name replaced by a random one; throws if any name of the lab is left. */
export function hideNames(): HiddenLab {
  const text = readFileSync(LAB_GAAD, 'utf8');
  const prefixes = new Map(patternPrefixes(text).map((p) => [p, `p${randomBytes(3).toString('hex')}-`]));
  const names = renaming(JSON.parse(text), prefixes);
  const hidden = renamed(text, names, prefixes);
  for (const original of [...names.keys(), ...prefixes.keys()])
    if (new RegExp(`["/]${escapeRegExp(original)}["/*]`).test(hidden))
      throw new Error(`${original} is left in the lab`);
  return { text: hidden, names };
}
