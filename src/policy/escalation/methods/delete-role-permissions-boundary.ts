import type { EscalationMethod } from '../method.js';

export const method: EscalationMethod = {
  id: 'delete-role-permissions-boundary',
  title: "Remove or replace a role's permissions boundary",
  sources: ['pathfinding.cloud iam-017'],
  actors: ['role'],
  target: 'role',
  requires: [{ anyOf: ['iam:DeleteRolePermissionsBoundary', 'iam:PutRolePermissionsBoundary'], on: 'target' }],
  gains: 'unbounded',
};
