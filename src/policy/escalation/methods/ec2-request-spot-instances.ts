import { ALL_ACTORS, type EscalationMethod } from '../method.js';

export const method: EscalationMethod = {
  id: 'ec2-request-spot-instances',
  title: 'Pass a role to a new EC2 Spot instance',
  sources: ['pathfinding.cloud ec2-003'],
  actors: ALL_ACTORS,
  target: { serviceRole: { service: 'ec2.amazonaws.com', passRole: true, instanceProfile: true } },
  requires: [{ anyOf: ['ec2:RequestSpotInstances'], on: 'any' }],
  gains: 'acts-as',
};
