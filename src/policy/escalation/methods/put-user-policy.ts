import { ALL_ACTORS, type EscalationMethod } from '../method.js';

export const method: EscalationMethod = {
  id: 'put-user-policy',
  title: 'Write an inline policy on a user',
  sources: ['Rhino Security Labs #10', 'iam-vulnerable privesc10', 'pathfinding.cloud iam-007'],
  actors: ALL_ACTORS,
  target: 'user',
  requires: [{ anyOf: ['iam:PutUserPolicy'], on: 'target' }],
  gains: 'admin',
};
