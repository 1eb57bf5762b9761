import { ALL_ACTORS, type EscalationMethod } from '../method.js';

export const method: EscalationMethod = {
  id: 'glue-create-job',
  title: 'Pass a role to a new Glue job and run it',
  sources: ['pathfinding.cloud glue-003', 'pathfinding.cloud glue-004'],
  actors: ALL_ACTORS,
  target: { serviceRole: { service: 'glue.amazonaws.com', passRole: true } },
  requires: [
    { anyOf: ['glue:CreateJob'], on: 'any' },
    { anyOf: ['glue:StartJobRun', 'glue:CreateTrigger'], on: 'any' },
  ],
  gains: 'acts-as',
};
