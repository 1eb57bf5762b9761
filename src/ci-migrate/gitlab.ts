import { isMap, isScalar, isSeq, parseDocument, Scalar, type Document, type Pair, type YAMLMap } from 'yaml';
import type { RewriteOptions, RewriteResult } from './github.js';
import { detectStyle, stringifyLike } from './yaml-style.js';

const KEY_VARIABLES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'];
const RESERVED = new Set([
  'default',
  'include',
  'stages',
  'variables',
  'workflow',
  'image',
  'services',
  'before_script',
  'after_script',
  'cache',
  'pages',
]);

/**
 * The web-identity exchange, as one folded command: it runs in any image with the AWS CLI and
 * leaves the three standard variables set for the rest of the script.
 */
export const ASSUME_ROLE_COMMAND =
  'export $(printf "AWS_ACCESS_KEY_ID=%s AWS_SECRET_ACCESS_KEY=%s AWS_SESSION_TOKEN=%s" $(aws sts assume-role-with-web-identity --role-arn "${AWS_ROLE_ARN}" --role-session-name "gitlab-${CI_PROJECT_ID}-${CI_PIPELINE_ID}" --web-identity-token "${AWS_ID_TOKEN}" --duration-seconds 3600 --query "Credentials.[AccessKeyId,SecretAccessKey,SessionToken]" --output text))';

function keyOf(pair: Pair): string | null {
  return isScalar(pair.key) ? String(pair.key.value) : null;
}

/** Removes AWS key variables that come from CI/CD variables (`$X`); returns whether it did. */
function stripKeyVariables(holder: YAMLMap): boolean {
  const variables = holder.get('variables', true);
  if (!isMap(variables)) return false;
  const keys = variables.items.filter((pair) => {
    const value = isScalar(pair.value) ? String(pair.value.value) : '';
    return KEY_VARIABLES.includes(keyOf(pair) ?? '') && value.includes('$');
  });
  if (!keys.some((pair) => keyOf(pair) === 'AWS_ACCESS_KEY_ID')) return false;
  for (const pair of keys) variables.items.splice(variables.items.indexOf(pair), 1);
  return true;
}

function setRoleVariable(doc: Document, holder: YAMLMap, roleArn: string): void {
  const variables = holder.get('variables', true);
  if (isMap(variables)) variables.set('AWS_ROLE_ARN', roleArn);
  else holder.set('variables', doc.createNode({ AWS_ROLE_ARN: roleArn }));
}

const AWS_TOOLS = /(^|[\s;&|(])(aws|terraform|tofu|cdk|sam|serverless|sls|pulumi|eksctl)\s/;

function callsAws(job: YAMLMap): boolean {
  return ['before_script', 'script', 'after_script'].some((key) => {
    const lines = job.get(key, true);
    return isSeq(lines) && lines.items.some((line) => isScalar(line) && AWS_TOOLS.test(` ${String(line.value)} `));
  });
}

function migrateJob(doc: Document, job: YAMLMap, audience: string): boolean {
  const script = job.get('script', true);
  if (!isSeq(script)) return false;
  if (!job.has('id_tokens')) {
    const tokens = doc.createNode({ AWS_ID_TOKEN: { aud: audience } });
    const at = job.items.findIndex((pair) => keyOf(pair) === 'script');
    job.items.splice(at, 0, doc.createPair('id_tokens', tokens) as Pair);
  }
  const command = new Scalar(ASSUME_ROLE_COMMAND);
  command.type = Scalar.PLAIN;
  script.items.unshift(command);
  return true;
}

/**
 * Rewrites `.gitlab-ci.yml` from access-key variables to an ID token and
 * `aws sts assume-role-with-web-identity`. A file that uses no keys comes back unchanged.
 */
export function rewriteGitlabCi(text: string, options: RewriteOptions & { audience?: string } = {}): RewriteResult {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new SyntaxError(doc.errors[0]?.message.split('\n')[0] ?? 'invalid YAML');
  const root = doc.contents;
  if (!isMap(root)) return { changed: false, text, notes: [] };
  const audience = options.audience ?? 'https://gitlab.com';
  const notes: string[] = [];
  const global = stripKeyVariables(root);
  if (global && options.roleArn) setRoleVariable(doc, root, options.roleArn);
  let changed = global;
  const jobs: Array<{ name: string; job: YAMLMap }> = [];
  for (const pair of root.items) {
    const name = keyOf(pair);
    if (name !== null && !RESERVED.has(name) && !name.startsWith('.') && isMap(pair.value))
      jobs.push({ name, job: pair.value });
  }
  // Global keys reach every job, but only the jobs that call AWS need a token: the others may
  // run in images without the AWS CLI. When no job visibly calls AWS, all of them get one.
  const callers = jobs.filter(({ job }) => callsAws(job));
  const globalTargets = new Set(callers.length > 0 ? callers : jobs);
  for (const entry of jobs) {
    const { name, job } = entry;
    const own = stripKeyVariables(job);
    if (own && options.roleArn) setRoleVariable(doc, job, options.roleArn);
    if ((own || (global && globalTargets.has(entry))) && migrateJob(doc, job, audience)) {
      notes.push(`job ${name}: access-key variables → id_tokens + assume-role-with-web-identity`);
      changed = true;
    }
  }
  if (!changed) return { changed: false, text, notes: [] };
  if (!options.roleArn)
    notes.push('set the CI/CD variable AWS_ROLE_ARN to the role roleshift planned (or pass --role-arn)');
  notes.push(`the ID token audience is ${audience}: it must match the OIDC provider's client id in AWS`);
  return { changed: true, text: stringifyLike(doc, detectStyle(text), text), notes };
}
