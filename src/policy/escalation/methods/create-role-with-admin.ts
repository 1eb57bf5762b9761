import { ALL_ACTORS, type EscalationMethod } from '../method.js';

export const method: EscalationMethod = {
  id: 'create-role-with-admin',
  title: 'Create a role that trusts itself, make it an administrator and assume it',
  sources: ['pathfinding.cloud iam-019', 'Stratus Red Team iam-create-backdoor-role'],
  actors: ALL_ACTORS,
  target: 'new-role',
  requires: [
    { anyOf: ['iam:CreateRole'], on: 'target' },
    { anyOf: ['iam:AttachRolePolicy', 'iam:PutRolePolicy'], on: 'target' },
  ],
  gains: 'admin',
};
