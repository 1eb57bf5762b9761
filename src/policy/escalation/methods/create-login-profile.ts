import { ALL_ACTORS, type EscalationMethod } from '../method.js';

export const method: EscalationMethod = {
  id: 'create-login-profile',
  title: 'Give another user a console password',
  sources: ['Rhino Security Labs #5', 'iam-vulnerable privesc5', 'pathfinding.cloud iam-004'],
  actors: ALL_ACTORS,
  target: 'user',
  requires: [{ anyOf: ['iam:CreateLoginProfile'], on: 'target' }],
  gains: 'acts-as',
  targetState: 'no-password',
};
