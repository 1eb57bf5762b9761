import { ALL_ACTORS, type EscalationMethod } from '../method.js';

export const method: EscalationMethod = {
  id: 'attach-group-policy',
  title: 'Attach a managed policy (AdministratorAccess) to a group',
  sources: ['Rhino Security Labs #8', 'iam-vulnerable privesc8', 'pathfinding.cloud iam-010'],
  actors: ALL_ACTORS,
  target: 'group',
  requires: [{ anyOf: ['iam:AttachGroupPolicy'], on: 'target' }],
  gains: 'admin',
};
