import { ALL_ACTORS, type EscalationMethod } from '../method.js';

export const method: EscalationMethod = {
  id: 'sts-assume-role',
  title: 'Assume a role whose trust policy lets it in',
  sources: ['iam-vulnerable privesc-AssumeRole', 'PMapper sts edges'],
  actors: ALL_ACTORS,
  target: 'trusting-role',
  requires: [{ anyOf: ['sts:AssumeRole'], on: 'target' }],
  gains: 'acts-as',
};
