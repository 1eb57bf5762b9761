import { ALL_ACTORS, type EscalationMethod } from '../method.js';

export const method: EscalationMethod = {
  id: 'cloudformation-update-stack',
  title: "Update an existing CloudFormation stack, which acts with the stack's role",
  sources: ['iam-vulnerable privesc-cloudFormationUpdateStack'],
  actors: ALL_ACTORS,
  target: { serviceRole: { service: 'cloudformation.amazonaws.com', passRole: false } },
  requires: [{ anyOf: ['cloudformation:UpdateStack'], on: 'any' }],
  gains: 'acts-as',
  roleNamedBy: { key: 'cloudformation:RoleArn', actions: ['cloudformation:UpdateStack'] },
  assumes: 'a stack was created with the role',
};
