import { ESCALATION_REFERENCES } from '../escalation.js';
import { permissionsPolicyRule } from '../rule.js';

export const rule = permissionsPolicyRule({
  id: 'identity-privilege-escalation',
  title: 'Policy lets its holder escalate its own privileges',
  severity: 'high',
  rationale:
    'Some permissions are worth every other permission: writing a policy version, attaching or writing policies, creating keys or passwords for other users, or passing a role to a service that runs code. A policy that grants one of them on its own makes its holder as powerful as whatever it can reach (the methods of Rhino Security Labs, BishopFox iam-vulnerable and later research, in src/policy/escalation/methods/).',
  remediation:
    'Scope the IAM write actions to the principal itself where they are self-service (${aws:username}), and iam:PassRole to named roles with an iam:PassedToService condition; grant the service actions separately from the roles they can run as.',
  references: ESCALATION_REFERENCES,
});
