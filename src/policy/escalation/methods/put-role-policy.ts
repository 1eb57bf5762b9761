import { ALL_ACTORS, type EscalationMethod } from '../method.js';

export const method: EscalationMethod = {
  id: 'put-role-policy',
  title: 'Write an inline policy on a role',
  sources: ['Rhino Security Labs #12', 'iam-vulnerable privesc12', 'pathfinding.cloud iam-005'],
  actors: ALL_ACTORS,
  target: 'role',
  requires: [{ anyOf: ['iam:PutRolePolicy'], on: 'target' }],
  gains: 'admin',
};
