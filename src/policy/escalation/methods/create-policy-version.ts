import { ALL_ACTORS, type EscalationMethod } from '../method.js';

export const method: EscalationMethod = {
  id: 'create-policy-version',
  title: 'Write a new default version of a customer managed policy',
  sources: ['Rhino Security Labs #1', 'iam-vulnerable privesc1', 'pathfinding.cloud iam-001'],
  actors: ALL_ACTORS,
  target: 'policy',
  requires: [{ anyOf: ['iam:CreatePolicyVersion'], on: 'target' }],
  gains: 'admin',
};
