import { ALL_ACTORS, type EscalationMethod } from '../method.js';

export const method: EscalationMethod = {
  id: 'update-assume-role-policy',
  title: "Rewrite a role's trust policy to trust itself, then assume the role",
  sources: ['Rhino Security Labs #14', 'iam-vulnerable privesc14', 'pathfinding.cloud iam-012'],
  actors: ALL_ACTORS,
  target: 'role',
  requires: [{ anyOf: ['iam:UpdateAssumeRolePolicy'], on: 'target' }],
  gains: 'acts-as',
};
