import { ALL_ACTORS, type EscalationMethod } from '../method.js';

export const method: EscalationMethod = {
  id: 'create-user-with-admin',
  title: 'Create a user, make it an administrator and take its credentials',
  sources: ['pathfinding.cloud iam-015', 'Stratus Red Team iam-create-admin-user'],
  actors: ALL_ACTORS,
  target: 'new-user',
  requires: [
    { anyOf: ['iam:CreateUser'], on: 'target' },
    { anyOf: ['iam:AttachUserPolicy', 'iam:PutUserPolicy'], on: 'target' },
    { anyOf: ['iam:CreateAccessKey', 'iam:CreateLoginProfile'], on: 'target' },
  ],
  gains: 'admin',
};
