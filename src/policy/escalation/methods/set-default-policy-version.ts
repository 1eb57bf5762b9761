import { ALL_ACTORS, type EscalationMethod } from '../method.js';

export const method: EscalationMethod = {
  id: 'set-default-policy-version',
  title: 'Make another version of a customer managed policy the default',
  sources: ['Rhino Security Labs #2', 'iam-vulnerable privesc2'],
  actors: ALL_ACTORS,
  target: 'policy',
  requires: [{ anyOf: ['iam:SetDefaultPolicyVersion'], on: 'target' }],
  gains: 'maybe-admin',
  assumes: 'another version of the policy grants more; the snapshot keeps only the default version',
};
