import { ALL_ACTORS, type EscalationMethod } from '../method.js';

export const method: EscalationMethod = {
  id: 'put-group-policy',
  title: 'Write an inline policy on a group',
  sources: ['Rhino Security Labs #11', 'iam-vulnerable privesc11', 'pathfinding.cloud iam-011'],
  actors: ALL_ACTORS,
  target: 'group',
  requires: [{ anyOf: ['iam:PutGroupPolicy'], on: 'target' }],
  gains: 'admin',
};
