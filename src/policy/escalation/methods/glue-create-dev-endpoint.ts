import { ALL_ACTORS, type EscalationMethod } from '../method.js';

export const method: EscalationMethod = {
  id: 'glue-create-dev-endpoint',
  title: 'Pass a role to a new Glue development endpoint and log in to it',
  sources: ['Rhino Security Labs #18', 'iam-vulnerable privesc18', 'pathfinding.cloud glue-001'],
  actors: ALL_ACTORS,
  target: { serviceRole: { service: 'glue.amazonaws.com', passRole: true } },
  requires: [{ anyOf: ['glue:CreateDevEndpoint'], on: 'any' }],
  gains: 'acts-as',
};
