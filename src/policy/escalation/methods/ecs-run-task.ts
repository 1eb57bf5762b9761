import { ALL_ACTORS, type EscalationMethod } from '../method.js';

export const method: EscalationMethod = {
  id: 'ecs-run-task',
  title: 'Pass a role to a new ECS task definition and run it',
  sources: [
    'pathfinding.cloud ecs-002',
    'pathfinding.cloud ecs-003',
    'pathfinding.cloud ecs-004',
    'pathfinding.cloud ecs-005',
  ],
  actors: ALL_ACTORS,
  target: { serviceRole: { service: 'ecs-tasks.amazonaws.com', passRole: true } },
  requires: [
    { anyOf: ['ecs:RegisterTaskDefinition'], on: 'any' },
    { anyOf: ['ecs:RunTask', 'ecs:StartTask', 'ecs:CreateService'], on: 'any' },
  ],
  gains: 'acts-as',
};
