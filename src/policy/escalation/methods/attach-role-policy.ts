import { ALL_ACTORS, type EscalationMethod } from '../method.js';

export const method: EscalationMethod = {
  id: 'attach-role-policy',
  title: 'Attach a managed policy (AdministratorAccess) to a role',
  sources: ['Rhino Security Labs #9', 'iam-vulnerable privesc9', 'pathfinding.cloud iam-009'],
  actors: ALL_ACTORS,
  target: 'role',
  requires: [{ anyOf: ['iam:AttachRolePolicy'], on: 'target' }],
  gains: 'admin',
};
