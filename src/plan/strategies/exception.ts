/**
 * Users that stay for now, documented: an entry of the exceptions register, or a vendor that
 * cannot assume roles, whose key is kept scoped to the addresses it comes from and rotated.
 */
import { shellWord } from '../../shell-quote.js';
import { EXCEPTION_PATH } from '../guardrails.js';
import { isoDatePlusDays } from '../names.js';
import { plannedPermissions } from '../permissions/sources.js';
import { hasPlaceholder, placeholder } from '../trust-policies.js';
import type { PlannedPermissions } from '../types.js';
import type { StrategyContext, StrategyDefinition, StrategyResult } from './context.js';

function scopedToAddresses(permissions: PlannedPermissions, sourceIps: string[]): PlannedPermissions {
  if (sourceIps.length === 0 || !permissions.inlinePolicy) return permissions;
  const statements = ([] as unknown[]).concat(permissions.inlinePolicy.Statement ?? []);
  const cidrs = [...new Set(sourceIps)]
    .sort()
    .map((ip) => (ip.includes('/') ? ip : ip.includes(':') ? `${ip}/128` : `${ip}/32`));
  return {
    ...permissions,
    inlinePolicy: {
      Version: '2012-10-17',
      Statement: statements.map((statement) => {
        if (typeof statement !== 'object' || statement === null) return statement;
        const record = statement as Record<string, unknown>;
        if (record.Effect !== 'Allow') return statement;
        const condition = (record.Condition as Record<string, unknown> | undefined) ?? {};
        return { ...record, Condition: { ...condition, IpAddress: { 'aws:SourceIp': cidrs } } };
      }),
    },
  };
}

/** A vendor that cannot assume roles keeps its key as a documented, scoped and rotated exception. */
export function vendorException(ctx: StrategyContext, vendor: string, permissions: PlannedPermissions): StrategyResult {
  const { user, account, config, now } = ctx;
  const sourceIps = ctx.usage?.sourceIps ?? [];
  const scoped = scopedToAddresses(permissions, sourceIps);
  const reviewEveryDays = config.exceptionReviewDays;
  const reviewBy = isoDatePlusDays(now, reviewEveryDays);
  const owner = ctx.ownership.owner ?? config.ownershipDefaults.owner ?? placeholder('owner');
  return {
    strategy: 'exception',
    target: `Documented exception: ${vendor} cannot assume roles; keep the key, scoped and rotated`,
    prerequisites: [{ id: 'vendor-assumes-roles', description: `${vendor} can assume an IAM role`, met: false }],
    blockers: hasPlaceholder(owner)
      ? ['No owner for the exception: tag the user owner=... or set ownershipDefaults.owner.']
      : [],
    steps: [
      `Add the drafted entry to the exceptions register (${config.exceptionsFile}) and have ${owner} approve it.`,
      `Move the user under the exception path so the guardrail SCP lets approvers rotate its key: aws iam update-user --user-name ${shellWord(user.name)} --new-path ${shellWord(EXCEPTION_PATH)}`,
      sourceIps.length > 0
        ? `Replace the user's policies with the scoped policy (allowed only from ${sourceIps.length} source address(es) seen in CloudTrail).`
        : 'No source addresses known: collect CloudTrail activity to add an aws:SourceIp condition.',
      `Rotate the access key every ${config.thresholds.keyRotationDays} days; review the exception by ${reviewBy} and ask ${vendor} again for role support.`,
    ],
    artifacts: [
      {
        kind: 'exception-draft',
        accountId: account.accountId,
        userName: user.name,
        userArn: user.arn,
        reason: `${vendor} cannot assume IAM roles`,
        owner,
        reviewBy,
        reviewEveryDays,
        rotationDays: config.thresholds.keyRotationDays,
        scopedPolicy: scoped.inlinePolicy,
        sourceIps: [...new Set(sourceIps)].sort(),
      },
    ],
    permissions: scoped,
  };
}

/** A user covered by a live entry of the exceptions register: kept until the entry is reviewed. */
export function registeredException(reason: string, expires: string | null): StrategyResult {
  return {
    strategy: 'exception',
    target: `Covered by the exceptions register: ${reason}`,
    prerequisites: [],
    blockers: [],
    steps: [`Keep the user until the exception is reviewed${expires ? ` (expires ${expires.slice(0, 10)})` : ''}.`],
    artifacts: [],
    permissions: null,
  };
}

export const strategy: StrategyDefinition = {
  id: 'exception',
  title: 'documented exception: the user stays, scoped, rotated and reviewed',
  baseRisk: 1,
  // No class is planned as an exception first: users reach it through the register or as a vendor
  // that cannot assume roles. Asked directly, it keeps the user with its permissions scoped.
  classes: [],
  plan: (ctx) => vendorException(ctx, ctx.user.name, plannedPermissions(ctx)),
};
