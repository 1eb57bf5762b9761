import { ALL_ACTORS, type EscalationMethod } from '../method.js';

export const method: EscalationMethod = {
  id: 'ec2-modify-user-data',
  title: "Rewrite a stopped instance's user data and restart it",
  sources: ['pathfinding.cloud ec2-002'],
  actors: ALL_ACTORS,
  target: { serviceRole: { service: 'ec2.amazonaws.com', passRole: false, instanceProfile: true } },
  requires: [
    { anyOf: ['ec2:ModifyInstanceAttribute'], on: 'any' },
    { anyOf: ['ec2:StopInstances'], on: 'any' },
    { anyOf: ['ec2:StartInstances'], on: 'any' },
  ],
  gains: 'acts-as',
  assumes: 'an instance runs with the role',
};
