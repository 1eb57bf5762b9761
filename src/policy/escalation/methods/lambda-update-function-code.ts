import { ALL_ACTORS, type EscalationMethod } from '../method.js';

export const method: EscalationMethod = {
  id: 'lambda-update-function-code',
  title: "Replace the code of an existing Lambda function and run it as the function's role",
  sources: ['Rhino Security Labs #17', 'iam-vulnerable privesc17', 'pathfinding.cloud lambda-003'],
  actors: ALL_ACTORS,
  target: { serviceRole: { service: 'lambda.amazonaws.com', passRole: false } },
  requires: [{ anyOf: ['lambda:UpdateFunctionCode'], on: 'any' }],
  gains: 'acts-as',
  assumes: 'a Lambda function runs with the role',
};
