/** Proof (c): every role the strategy creates has a trust policy roleshift's own trust analysis passes. */
import { analyzeTrustPolicy } from '../../policy/trust/analyze.js';
import type { StrategyContext } from '../strategies/context.js';
import type { ProofCheck, RoleArtifact } from '../types.js';
import { checkOf, notApplicable } from './requests.js';

export function proveTrust(ctx: StrategyContext, roles: readonly RoleArtifact[]): ProofCheck {
  if (roles.length === 0) return notApplicable('the strategy creates no role of its own: no trust policy to analyse');
  const organizationAccountIds = ctx.snapshot.organization?.accounts.map((account) => account.accountId) ?? null;
  const failures = roles.flatMap((role) =>
    analyzeTrustPolicy(role.trustPolicy, { accountId: role.accountId, organizationAccountIds }).map(
      (issue) => `${role.name}: ${issue.ruleId} (${issue.severity}): ${issue.message}`,
    ),
  );
  return checkOf(roles.length, failures, []);
}
