import { ALL_ACTORS, type EscalationMethod } from '../method.js';

export const method: EscalationMethod = {
  id: 'attach-user-policy',
  title: 'Attach a managed policy (AdministratorAccess) to a user',
  sources: ['Rhino Security Labs #7', 'iam-vulnerable privesc7', 'pathfinding.cloud iam-008'],
  actors: ALL_ACTORS,
  target: 'user',
  requires: [{ anyOf: ['iam:AttachUserPolicy'], on: 'target' }],
  gains: 'admin',
};
