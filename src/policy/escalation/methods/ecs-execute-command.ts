import { ALL_ACTORS, type EscalationMethod } from '../method.js';

export const method: EscalationMethod = {
  id: 'ecs-execute-command',
  title: "Open a shell in a running ECS task and read its role's credentials",
  sources: ['pathfinding.cloud ecs-006'],
  actors: ALL_ACTORS,
  target: { serviceRole: { service: 'ecs-tasks.amazonaws.com', passRole: false } },
  requires: [{ anyOf: ['ecs:ExecuteCommand'], on: 'any' }],
  gains: 'acts-as',
  assumes: 'an ECS task runs with the role',
};
