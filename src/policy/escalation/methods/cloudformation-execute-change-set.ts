import { ALL_ACTORS, type EscalationMethod } from '../method.js';

export const method: EscalationMethod = {
  id: 'cloudformation-execute-change-set',
  title: "Change an existing CloudFormation stack through a change set, with the stack's role",
  sources: ['pathfinding.cloud cloudformation-005'],
  actors: ALL_ACTORS,
  target: { serviceRole: { service: 'cloudformation.amazonaws.com', passRole: false } },
  requires: [
    { anyOf: ['cloudformation:CreateChangeSet'], on: 'any' },
    { anyOf: ['cloudformation:ExecuteChangeSet'], on: 'any' },
  ],
  gains: 'acts-as',
  roleNamedBy: { key: 'cloudformation:RoleArn', actions: ['cloudformation:CreateChangeSet'] },
  assumes: 'a stack was created with the role',
};
