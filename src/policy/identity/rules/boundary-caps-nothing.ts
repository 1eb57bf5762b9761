import { permissionsPolicyRule } from '../rule.js';

export const rule = permissionsPolicyRule({
  id: 'boundary-caps-nothing',
  title: 'Permissions boundary caps nothing',
  severity: 'medium',
  rationale:
    'A permissions boundary limits what its holder can ever do; one that allows every action on every resource and denies none leaves every permission of the holder in place while looking like a control.',
  remediation:
    'Deny in the boundary what no holder may ever do (creating users and keys, removing or editing the boundary, leaving the organization), or allow only the services the holders need.',
  references: {
    cis: [],
    securityHub: [],
    links: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html'],
  },
});
