import { ALL_ACTORS, type EscalationMethod } from '../method.js';

export const method: EscalationMethod = {
  id: 'cloudformation-change-set',
  title: 'Pass a role to a CloudFormation change set and execute it',
  sources: ['pathfinding.cloud cloudformation-005'],
  actors: ALL_ACTORS,
  target: { serviceRole: { service: 'cloudformation.amazonaws.com', passRole: true } },
  requires: [
    { anyOf: ['cloudformation:CreateChangeSet'], on: 'any' },
    { anyOf: ['cloudformation:ExecuteChangeSet'], on: 'any' },
  ],
  gains: 'acts-as',
  roleNamedBy: { key: 'cloudformation:RoleArn', actions: ['cloudformation:CreateChangeSet'] },
};
