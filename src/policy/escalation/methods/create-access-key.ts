import { ALL_ACTORS, type EscalationMethod } from '../method.js';

export const method: EscalationMethod = {
  id: 'create-access-key',
  title: 'Create an access key for another user',
  sources: ['Rhino Security Labs #4', 'iam-vulnerable privesc4', 'pathfinding.cloud iam-002'],
  actors: ALL_ACTORS,
  target: 'user',
  requires: [{ anyOf: ['iam:CreateAccessKey'], on: 'target' }],
  gains: 'acts-as',
  assumes: 'the user has fewer than two access keys (or the principal may delete one)',
};
