/**
 * A workload on AWS compute: the role the service already knows how to use (an EC2 instance
 * profile, an ECS task role, an EKS Pod Identity role, a Lambda execution role).
 */
import { RunsOnSchema } from '../../model/classification.js';
import type { Tags } from '../../model/snapshot.js';
import { isIdentifier, shellWord, type IdentifierKind } from '../../shell-quote.js';
import { plannedPermissions } from '../permissions/sources.js';
import { placeholder, serviceTrust } from '../trust-policies.js';
import {
  role,
  roleArn,
  switchOffStep,
  tag,
  type StrategyContext,
  type StrategyDefinition,
  type StrategyResult,
} from './context.js';
import { investigate } from './investigate.js';
import { planOnPrem } from './roles-anywhere.js';

const COMPUTE: Record<string, { service: string; suffix: string; label: string; scoped: boolean; actions: string[] }> =
  {
    ec2: {
      service: 'ec2.amazonaws.com',
      suffix: 'ec2',
      label: 'EC2 instance profile',
      scoped: false,
      actions: ['sts:AssumeRole'],
    },
    ecs: {
      service: 'ecs-tasks.amazonaws.com',
      suffix: 'ecs-task',
      label: 'ECS task role',
      scoped: true,
      actions: ['sts:AssumeRole'],
    },
    eks: {
      service: 'pods.eks.amazonaws.com',
      suffix: 'eks-pod',
      label: 'EKS Pod Identity role',
      scoped: true,
      actions: ['sts:AssumeRole', 'sts:TagSession'],
    },
    lambda: {
      service: 'lambda.amazonaws.com',
      suffix: 'lambda',
      label: 'Lambda execution role',
      scoped: false,
      actions: ['sts:AssumeRole'],
    },
  };

interface ComputeChange {
  snippet: string;
  /** What the command still needs and why: a tag is missing, or holds no valid identifier. */
  blockers: string[];
}

/**
 * The command that attaches the role to the workload. Every value comes from the user's tags,
 * which anyone who may tag the user controls: each is checked against its identifier pattern
 * and printed as one shell word; one that fails becomes a placeholder and a blocker.
 */
function computeChange(runsOn: string, arn: string, name: string, tags: Tags): ComputeChange {
  const blockers: string[] = [];
  const value = (keys: string[], what: string, kind: IdentifierKind): string => {
    const found = tag(tags, keys);
    if (found === null) blockers.push(`Unknown ${what}: tag the IAM user or fill the placeholder in the change.`);
    else if (!isIdentifier(kind, found))
      blockers.push(
        `The tag ${keys.join(' / ')} of the IAM user is not a valid ${kind}: fix the tag or fill the placeholder in the change.`,
      );
    else return shellWord(found);
    return placeholder(what);
  };
  const role = shellWord(arn);
  switch (runsOn) {
    case 'ec2': {
      const instance = value(['instance_id', 'ec2_instance'], 'instance id', 'EC2 instance id');
      return {
        snippet: `aws ec2 associate-iam-instance-profile --instance-id ${instance} --iam-instance-profile ${shellWord(`Name=${name}`)}`,
        blockers,
      };
    }
    case 'ecs':
      return {
        snippet: `"taskRoleArn": ${JSON.stringify(arn)}  # in the task definition; delete AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY from its environment`,
        blockers,
      };
    case 'eks': {
      const cluster = value(['eks_cluster', 'cluster'], 'cluster name', 'EKS cluster name');
      const namespace = value(['namespace', 'k8s_namespace'], 'namespace', 'Kubernetes name');
      const account = value(['service_account', 'serviceaccount'], 'service account', 'Kubernetes name');
      return {
        snippet: `aws eks create-pod-identity-association --cluster-name ${cluster} --namespace ${namespace} --service-account ${account} --role-arn ${role}`,
        blockers,
      };
    }
    default: {
      const fn = value(['function_name', 'lambda_function'], 'function name', 'Lambda function name');
      return { snippet: `aws lambda update-function-configuration --function-name ${fn} --role ${role}`, blockers };
    }
  }
}

function planWorkload(ctx: StrategyContext): StrategyResult {
  const tagged = RunsOnSchema.safeParse(tag(ctx.user.tags, ['runs_on', 'runs-on', 'platform'])?.toLowerCase());
  const runsOn =
    ctx.classification.runsOn !== null && ctx.classification.runsOn !== 'unknown'
      ? ctx.classification.runsOn
      : tagged.success
        ? tagged.data
        : ctx.classification.runsOn;
  if (runsOn === 'on-prem' || runsOn === 'other-cloud') return planOnPrem(ctx);
  const compute = runsOn ? COMPUTE[runsOn] : undefined;
  if (!compute || !runsOn) {
    return investigate(
      ctx,
      `where the workload runs is ${runsOn ?? 'unknown'}: tag the user runs_on=ec2|ecs|eks|lambda|on-prem`,
    );
  }
  const { user, account } = ctx;
  const permissions = plannedPermissions(ctx);
  const trust = serviceTrust(compute.service, account.accountId, compute.actions, compute.scoped);
  const replacement = role(
    ctx,
    compute.suffix,
    `${compute.label} replacing IAM user ${user.name}`,
    trust,
    permissions,
    runsOn === 'ec2',
  );
  const arn = roleArn(replacement);
  const change = computeChange(runsOn, arn, replacement.name, user.tags);
  return {
    strategy: 'compute-role',
    target: `${compute.label} ${replacement.name}`,
    prerequisites: [],
    blockers: change.blockers,
    steps: [
      `Create role ${replacement.name} for ${compute.service} (${permissions.note}).`,
      `Attach it to the workload: ${change.snippet}`,
      'Remove the access key from the workload configuration (environment variables, ~/.aws/credentials, secrets store); the SDK picks up the role on its own.',
      switchOffStep(ctx),
    ],
    artifacts: [
      replacement,
      {
        kind: 'config-change',
        accountId: account.accountId,
        userName: user.name,
        title: `attach ${compute.label}`,
        snippet: change.snippet,
      },
    ],
    permissions,
  };
}

export const strategy: StrategyDefinition = {
  id: 'compute-role',
  title: 'role of the compute service the workload runs on (EC2, ECS, EKS, Lambda)',
  baseRisk: 2,
  classes: ['workload'],
  plan: planWorkload,
};
