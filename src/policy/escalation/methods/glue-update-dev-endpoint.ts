import { ALL_ACTORS, type EscalationMethod } from '../method.js';

export const method: EscalationMethod = {
  id: 'glue-update-dev-endpoint',
  title: 'Add an SSH key to an existing Glue development endpoint',
  sources: ['Rhino Security Labs #19', 'iam-vulnerable privesc19', 'pathfinding.cloud glue-002'],
  actors: ALL_ACTORS,
  target: { serviceRole: { service: 'glue.amazonaws.com', passRole: false } },
  requires: [{ anyOf: ['glue:UpdateDevEndpoint'], on: 'any' }],
  gains: 'acts-as',
  assumes: 'a Glue development endpoint runs with the role',
};
