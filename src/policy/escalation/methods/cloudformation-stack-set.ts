import { ALL_ACTORS, type EscalationMethod } from '../method.js';

export const method: EscalationMethod = {
  id: 'cloudformation-stack-set',
  title: 'Pass an administration role to a new CloudFormation stack set',
  sources: ['pathfinding.cloud cloudformation-003'],
  actors: ALL_ACTORS,
  target: { serviceRole: { service: 'cloudformation.amazonaws.com', passRole: true } },
  requires: [
    { anyOf: ['cloudformation:CreateStackSet'], on: 'any' },
    { anyOf: ['cloudformation:CreateStackInstances'], on: 'any' },
  ],
  gains: 'acts-as',
};
