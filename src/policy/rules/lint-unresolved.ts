import { failed, noParameters, type PolicyTarget, type Rule } from '../../model/rule.js';

/** Any policy document, trust or permissions, whose values could not all be resolved offline. */
export const rule: Rule<PolicyTarget, unknown> = {
  id: 'lint-unresolved',
  title: 'Policy has values that cannot be resolved offline',
  severity: 'info',
  rationale:
    'Variables and references are only known at plan or deploy time; lint says what it could not see instead of guessing.',
  remediation:
    'Check the listed variables and references by hand, or lint the Terraform plan JSON (terraform show -json) where they are known.',
  references: { cis: [], securityHub: [], links: [] },
  parameters: noParameters,
  evaluate: (target) =>
    target.unresolved.length === 0
      ? []
      : [
          failed(
            target.subject,
            `Analysed with these left as written, so findings that depend on them may be missing: ${[...new Set(target.unresolved)].join(', ')}.`,
            { location: target.location },
          ),
        ],
};
