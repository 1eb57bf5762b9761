import { ALL_ACTORS, type EscalationMethod } from '../method.js';

export const method: EscalationMethod = {
  id: 'lambda-create-function',
  title: 'Pass a role to a new Lambda function and run it',
  sources: [
    'Rhino Security Labs #15',
    'Rhino Security Labs #16',
    'iam-vulnerable privesc15',
    'iam-vulnerable privesc16',
    'pathfinding.cloud lambda-001',
    'pathfinding.cloud lambda-002',
    'pathfinding.cloud lambda-006',
  ],
  actors: ALL_ACTORS,
  target: { serviceRole: { service: 'lambda.amazonaws.com', passRole: true } },
  requires: [
    { anyOf: ['lambda:CreateFunction'], on: 'any' },
    {
      anyOf: [
        'lambda:InvokeFunction',
        'lambda:CreateEventSourceMapping',
        'lambda:AddPermission',
        'lambda:CreateFunctionUrlConfig',
      ],
      on: 'any',
    },
  ],
  gains: 'acts-as',
};
