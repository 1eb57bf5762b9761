import { ALL_ACTORS, type EscalationMethod } from '../method.js';

export const method: EscalationMethod = {
  id: 'apprunner-create-service',
  title: 'Pass a role to a new App Runner service',
  sources: ['pathfinding.cloud apprunner-001'],
  actors: ALL_ACTORS,
  target: { serviceRole: { service: 'tasks.apprunner.amazonaws.com', passRole: true } },
  requires: [{ anyOf: ['apprunner:CreateService'], on: 'any' }],
  gains: 'acts-as',
};
