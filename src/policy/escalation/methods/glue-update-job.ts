import { ALL_ACTORS, type EscalationMethod } from '../method.js';

export const method: EscalationMethod = {
  id: 'glue-update-job',
  title: 'Pass a role to an existing Glue job and run it',
  sources: ['pathfinding.cloud glue-005', 'pathfinding.cloud glue-006'],
  actors: ALL_ACTORS,
  target: { serviceRole: { service: 'glue.amazonaws.com', passRole: true } },
  requires: [
    { anyOf: ['glue:UpdateJob'], on: 'any' },
    { anyOf: ['glue:StartJobRun', 'glue:CreateTrigger'], on: 'any' },
  ],
  gains: 'acts-as',
  assumes: 'a Glue job exists',
};
