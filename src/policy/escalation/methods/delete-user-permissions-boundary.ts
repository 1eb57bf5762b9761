import type { EscalationMethod } from '../method.js';

export const method: EscalationMethod = {
  id: 'delete-user-permissions-boundary',
  title: "Remove or replace a user's permissions boundary",
  sources: ['pathfinding.cloud iam-014'],
  actors: ['user'],
  target: 'user',
  requires: [{ anyOf: ['iam:DeleteUserPermissionsBoundary', 'iam:PutUserPermissionsBoundary'], on: 'target' }],
  gains: 'unbounded',
};
