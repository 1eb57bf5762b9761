import { ALL_ACTORS, type EscalationMethod } from '../method.js';

export const method: EscalationMethod = {
  id: 'ec2-run-instances',
  title: 'Pass a role to a new EC2 instance and read its credentials',
  sources: ['Rhino Security Labs #3', 'iam-vulnerable privesc3', 'pathfinding.cloud ec2-001'],
  actors: ALL_ACTORS,
  target: { serviceRole: { service: 'ec2.amazonaws.com', passRole: true, instanceProfile: true } },
  requires: [{ anyOf: ['ec2:RunInstances'], on: 'any' }],
  gains: 'acts-as',
};
