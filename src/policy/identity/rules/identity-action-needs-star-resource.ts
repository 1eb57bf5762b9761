import { permissionsPolicyRule } from '../rule.js';

export const rule = permissionsPolicyRule({
  id: 'identity-action-needs-star-resource',
  title: 'Action accepts only "*" as its resource, but the statement names ARNs',
  severity: 'low',
  rationale:
    'Some actions (most List and Describe calls, for example) are not authorized against any resource type and match only Resource "*". Scoped to ARNs, the statement silently grants nothing for them: the policy does less than it reads.',
  remediation:
    'Move the actions that accept only "*" into a statement with Resource "*" (they cannot be scoped by resource; use conditions where the service supports them).',
  references: {
    cis: [],
    securityHub: [],
    links: [
      'https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html',
    ],
  },
});
