import { ALL_ACTORS, type EscalationMethod } from '../method.js';

export const method: EscalationMethod = {
  id: 'add-user-to-group',
  title: 'Add a user (itself) to a group',
  sources: ['Rhino Security Labs #13', 'iam-vulnerable privesc13', 'pathfinding.cloud iam-013'],
  actors: ALL_ACTORS,
  target: 'group',
  requires: [{ anyOf: ['iam:AddUserToGroup'], on: 'target' }],
  gains: 'membership',
};
