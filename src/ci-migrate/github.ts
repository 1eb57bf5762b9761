import { isMap, isScalar, isSeq, parseDocument, type Document, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { detectStyle, stringifyLike } from './yaml-style.js';

export interface RewriteResult {
  changed: boolean;
  text: string;
  /** What was changed and what the user still has to do, one line each. */
  notes: string[];
}

export interface RewriteOptions {
  /** The role to assume; without it the workflow reads it from a repository variable. */
  roleArn?: string;
}

const ACTION = 'aws-actions/configure-aws-credentials';
const KEY_INPUTS = ['aws-access-key-id', 'aws-secret-access-key', 'aws-session-token'];
const KEY_ENV = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'];
const DEFAULT_ROLE = '${{ vars.AWS_ROLE_ARN }}';

function scalarText(node: unknown): string | null {
  return isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number')
    ? String(node.value)
    : null;
}

function keyOf(pair: Pair): string | null {
  return scalarText(pair.key);
}

function findPair(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((pair) => keyOf(pair) === key);
}

function isSecretOrVar(value: string | null): boolean {
  return value !== null && /\$\{\{\s*(secrets|vars|env)\./.test(value);
}

/** Upgrades `@v1`..`@v3` to `@v4` (role-to-assume with OIDC needs a current major); SHA pins are kept. */
function currentAction(uses: string): { uses: string; upgraded: boolean } {
  const match = /^aws-actions\/configure-aws-credentials@v([0-3])(\.[\d.]+)?$/.exec(uses);
  return match ? { uses: `${ACTION}@v4`, upgraded: true } : { uses, upgraded: false };
}

/** Replaces the access-key inputs of a configure-aws-credentials step in place (same position, same comments). */
function rewriteActionStep(doc: Document, step: YAMLMap, roleArn: string, notes: string[], where: string): boolean {
  const withNode = step.get('with', true);
  if (!isMap(withNode)) return false;
  const keyPairs = withNode.items.filter((pair) => KEY_INPUTS.includes(keyOf(pair) ?? ''));
  if (keyPairs.length === 0) return false;
  if (findPair(withNode, 'role-to-assume')) {
    for (const pair of keyPairs) withNode.items.splice(withNode.items.indexOf(pair), 1);
    notes.push(`${where}: removed access-key inputs next to an existing role-to-assume`);
    return true;
  }
  const first = keyPairs[0];
  if (!first) return false;
  first.key = doc.createNode('role-to-assume');
  first.value = doc.createNode(roleArn);
  for (const pair of keyPairs.slice(1)) withNode.items.splice(withNode.items.indexOf(pair), 1);
  const usesPair = findPair(step, 'uses');
  const uses = scalarText(usesPair?.value);
  if (usesPair && uses) {
    const next = currentAction(uses);
    if (next.upgraded) {
      (usesPair.value as Scalar).value = next.uses;
      notes.push(`${where}: ${uses} → ${next.uses} (OIDC role assumption needs a current version)`);
    }
  }
  notes.push(`${where}: access-key inputs → role-to-assume`);
  return true;
}

/** The region an `env` block sets, if any: the new credentials step must use the same. */
function envRegion(holder: YAMLMap): string | null {
  const env = holder.get('env', true);
  if (!isMap(env)) return null;
  const region = env.items.find((pair) => keyOf(pair) === 'AWS_REGION' || keyOf(pair) === 'AWS_DEFAULT_REGION');
  return region ? scalarText(region.value) : null;
}

/** Removes AWS key env entries taken from secrets; returns the region found beside them. */
function stripKeyEnv(holder: YAMLMap): { removed: boolean; region: string | null } {
  const env = holder.get('env', true);
  if (!isMap(env)) return { removed: false, region: envRegion(holder) };
  const keys = env.items.filter((pair) => KEY_ENV.includes(keyOf(pair) ?? '') && isSecretOrVar(scalarText(pair.value)));
  if (!keys.some((pair) => keyOf(pair) === 'AWS_ACCESS_KEY_ID')) return { removed: false, region: envRegion(holder) };
  for (const pair of keys) env.items.splice(env.items.indexOf(pair), 1);
  if (env.items.length === 0) holder.items.splice(holder.items.indexOf(findPair(holder, 'env') as Pair), 1);
  const region = env.items.find((pair) => keyOf(pair) === 'AWS_REGION' || keyOf(pair) === 'AWS_DEFAULT_REGION');
  return { removed: true, region: region ? scalarText(region.value) : null };
}

const AWS_TOOLS = /(^|[\s;&|(])(aws|terraform|tofu|cdk|sam|serverless|sls|pulumi|eksctl)\s/;

function callsAws(job: YAMLMap): boolean {
  const steps = job.get('steps', true);
  if (!isSeq(steps)) return false;
  return steps.items.some((step) => {
    if (!isMap(step)) return false;
    const uses = scalarText(step.get('uses', true)) ?? '';
    const run = scalarText(step.get('run', true)) ?? '';
    return uses.startsWith('aws-actions/') || AWS_TOOLS.test(` ${run} `);
  });
}

function credentialsStep(doc: Document, roleArn: string, region: string): YAMLMap {
  const step = doc.createNode({
    name: 'Configure AWS credentials (OIDC)',
    uses: `${ACTION}@v4`,
    with: { 'role-to-assume': roleArn, 'aws-region': region },
  }) as YAMLMap;
  return step;
}

/**
 * Gives the job `id-token: write` without taking anything away: into the job's own permissions,
 * else into the workflow's (which the job inherits), else a job block with `contents: read`
 * (declaring any permission drops the unlisted defaults, and checkout needs contents).
 */
function grantIdToken(doc: Document, root: YAMLMap, job: YAMLMap, notes: string[], where: string): void {
  const add = (permissions: YAMLMap, level: string): void => {
    const existing = findPair(permissions, 'id-token');
    if (scalarText(existing?.value) === 'write') return;
    if (existing) existing.value = doc.createNode('write');
    else permissions.items.push(doc.createPair('id-token', 'write') as Pair);
    notes.push(`${where}: id-token: write added to the ${level} permissions`);
  };
  const jobPermissions = job.get('permissions', true);
  if (isMap(jobPermissions)) {
    add(jobPermissions, 'job');
    return;
  }
  if (jobPermissions !== undefined) {
    if (scalarText(jobPermissions) !== 'write-all')
      notes.push(`${where}: permissions is "${scalarText(jobPermissions)}": add id-token: write by hand`);
    return;
  }
  const workflowPermissions = root.get('permissions', true);
  if (isMap(workflowPermissions)) {
    add(workflowPermissions, 'workflow');
    return;
  }
  if (workflowPermissions !== undefined) {
    if (scalarText(workflowPermissions) !== 'write-all')
      notes.push(`${where}: workflow permissions is "${scalarText(workflowPermissions)}": add id-token: write by hand`);
    return;
  }
  const block = doc.createNode({ 'id-token': 'write', contents: 'read' }) as YAMLMap;
  const at = Math.max(
    0,
    job.items.findIndex((pair) => keyOf(pair) === 'steps'),
  );
  job.items.splice(at, 0, doc.createPair('permissions', block) as Pair);
  notes.push(`${where}: permissions id-token: write, contents: read added to the job`);
}

/**
 * Rewrites one GitHub Actions workflow from access keys to OIDC role assumption. A workflow that
 * uses no keys comes back unchanged, byte for byte.
 */
export function rewriteGithubWorkflow(text: string, options: RewriteOptions = {}): RewriteResult {
  const doc = parseDocument(text, { keepSourceTokens: false });
  if (doc.errors.length > 0) throw new SyntaxError(doc.errors[0]?.message.split('\n')[0] ?? 'invalid YAML');
  const root = doc.contents;
  const jobs = isMap(root) ? root.get('jobs', true) : undefined;
  if (!isMap(root) || !isMap(jobs)) return { changed: false, text, notes: [] };
  const roleArn = options.roleArn ?? DEFAULT_ROLE;
  const notes: string[] = [];
  const workflowEnv = stripKeyEnv(root);
  let changedAny = workflowEnv.removed;
  // Workflow-level keys reach every job, but only jobs that call AWS need credentials; when no
  // job visibly does, all of them get the step rather than guessing wrong.
  const allJobs = jobs.items.filter((pair) => isMap(pair.value)).map((pair) => keyOf(pair) ?? '?');
  const callers = jobs.items
    .filter((pair) => isMap(pair.value) && callsAws(pair.value))
    .map((pair) => keyOf(pair) ?? '?');
  const workflowTargets = new Set(callers.length > 0 ? callers : allJobs);
  for (const jobPair of jobs.items) {
    const job = jobPair.value;
    const jobName = keyOf(jobPair) ?? '?';
    if (!isMap(job)) continue;
    const steps = job.get('steps', true);
    if (!isSeq(steps)) continue;
    let jobChanged = false;
    const jobEnv = stripKeyEnv(job);
    for (const [index, stepNode] of [...steps.items].entries()) {
      if (!isMap(stepNode)) continue;
      const uses = scalarText(stepNode.get('uses', true));
      const where = `job ${jobName} step ${index + 1}`;
      if (uses?.startsWith(`${ACTION}@`) && rewriteActionStep(doc, stepNode, roleArn, notes, where)) jobChanged = true;
      const stepEnv = stripKeyEnv(stepNode);
      if (stepEnv.removed) {
        const region = stepEnv.region ?? jobEnv.region ?? workflowEnv.region ?? 'us-east-1';
        steps.items.splice(steps.items.indexOf(stepNode), 0, credentialsStep(doc, roleArn, region));
        notes.push(`${where}: AWS key env → an OIDC credentials step before it`);
        jobChanged = true;
      }
    }
    if (jobEnv.removed || (workflowEnv.removed && workflowTargets.has(jobName))) {
      const region = jobEnv.region ?? workflowEnv.region ?? 'us-east-1';
      steps.items.unshift(credentialsStep(doc, roleArn, region));
      notes.push(`job ${jobName}: AWS key env → an OIDC credentials step first`);
      jobChanged = true;
    }
    if (jobChanged) {
      grantIdToken(doc, root, job, notes, `job ${jobName}`);
      changedAny = true;
    }
  }
  if (!changedAny) return { changed: false, text, notes: [] };
  if (!options.roleArn)
    notes.push(`set the repository variable AWS_ROLE_ARN to the role roleshift planned (or pass --role-arn)`);
  return { changed: true, text: stringifyLike(doc, detectStyle(text), text), notes };
}
