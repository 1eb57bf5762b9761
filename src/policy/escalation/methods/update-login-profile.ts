import { ALL_ACTORS, type EscalationMethod } from '../method.js';

export const method: EscalationMethod = {
  id: 'update-login-profile',
  title: "Change another user's console password",
  sources: ['Rhino Security Labs #6', 'iam-vulnerable privesc6', 'pathfinding.cloud iam-006'],
  actors: ALL_ACTORS,
  target: 'user',
  requires: [{ anyOf: ['iam:UpdateLoginProfile'], on: 'target' }],
  gains: 'acts-as',
  targetState: 'has-password',
};
