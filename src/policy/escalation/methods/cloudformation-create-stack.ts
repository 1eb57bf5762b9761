import { ALL_ACTORS, type EscalationMethod } from '../method.js';

export const method: EscalationMethod = {
  id: 'cloudformation-create-stack',
  title: 'Pass a role to a new CloudFormation stack that creates what it likes',
  sources: ['Rhino Security Labs #20', 'iam-vulnerable privesc20', 'pathfinding.cloud cloudformation-001'],
  actors: ALL_ACTORS,
  target: { serviceRole: { service: 'cloudformation.amazonaws.com', passRole: true } },
  requires: [{ anyOf: ['cloudformation:CreateStack'], on: 'any' }],
  gains: 'acts-as',
  roleNamedBy: { key: 'cloudformation:RoleArn', actions: ['cloudformation:CreateStack'] },
};
