/**
 * A third party: a role the vendor's account assumes with an ExternalId, or, when the vendor
 * cannot assume roles, a documented exception (see `exception.ts`).
 */
import { externalIdFor } from '../names.js';
import { plannedPermissions } from '../permissions/sources.js';
import { externalIdTrust, placeholder } from '../trust-policies.js';
import {
  role,
  roleArn,
  switchOffStep,
  tag,
  type StrategyContext,
  type StrategyDefinition,
  type StrategyResult,
} from './context.js';
import { vendorException } from './exception.js';

function planThirdParty(ctx: StrategyContext): StrategyResult {
  const { user, account } = ctx;
  const vendor = tag(user.tags, ['vendor', 'vendor_name', 'third_party', 'integration']) ?? user.name;
  const vendorAccount =
    tag(user.tags, ['vendor_account_id', 'vendor_account', 'vendor_aws_account'])?.match(/^\d{12}$/)?.[0] ?? null;
  const canAssume = tag(user.tags, ['vendor_assume_role', 'vendor_supports_roles', 'supports_assume_role']);
  // Said in so many words in a purpose tag ("vendor cannot assume roles") counts as much as a flag.
  const purpose = tag(user.tags, ctx.config.classification.purposeTagKeys) ?? '';
  const cannot =
    (canAssume !== null && /^(false|no|0|none)$/i.test(canAssume)) ||
    (canAssume === null &&
      /\b(cannot|can't|can ?not|does not|doesn't|unable to) (assume|use) (iam )?roles?\b/i.test(purpose));
  const permissions = plannedPermissions(ctx);
  if (cannot) return vendorException(ctx, vendor, permissions);
  const externalId = externalIdFor(ctx.externalIdSeed, account.accountId, user.name);
  const principalAccount = vendorAccount ?? placeholder(`${user.name} vendor account id`);
  const replacement = role(
    ctx,
    'vendor',
    `Role for ${vendor} replacing IAM user ${user.name}`,
    externalIdTrust(principalAccount, externalId),
    permissions,
  );
  return {
    strategy: 'external-id-role',
    target: `Role ${replacement.name} for ${vendor} with ExternalId`,
    prerequisites: [
      {
        id: 'vendor-assumes-roles',
        description: `${vendor} can assume an IAM role with an ExternalId`,
        met: canAssume === null ? null : true,
      },
      { id: 'vendor-account-known', description: `${vendor}'s AWS account id is known`, met: vendorAccount !== null },
    ],
    blockers: vendorAccount
      ? []
      : [`Unknown AWS account of ${vendor}: tag the user vendor_account_id=... (the trust policy has a placeholder).`],
    steps: [
      `Create role ${replacement.name} trusting ${vendor}'s account ${principalAccount} with ExternalId ${externalId} (${permissions.note}).`,
      `Give ${vendor} the role ARN ${roleArn(replacement)} and the ExternalId; record both in your vendor register.`,
      switchOffStep(ctx),
    ],
    artifacts: [replacement],
    permissions,
  };
}

export const strategy: StrategyDefinition = {
  id: 'external-id-role',
  title: "role the vendor's account assumes with an ExternalId",
  baseRisk: 3,
  classes: ['third-party'],
  plan: planThirdParty,
};
