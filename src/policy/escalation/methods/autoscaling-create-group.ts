import { ALL_ACTORS, type EscalationMethod } from '../method.js';

export const method: EscalationMethod = {
  id: 'autoscaling-create-group',
  title: 'Pass a role to instances an Auto Scaling group launches',
  sources: ['PMapper autoscaling edges'],
  actors: ALL_ACTORS,
  target: { serviceRole: { service: 'ec2.amazonaws.com', passRole: true, instanceProfile: true } },
  requires: [
    { anyOf: ['autoscaling:CreateAutoScalingGroup'], on: 'any' },
    { anyOf: ['autoscaling:CreateLaunchConfiguration', 'ec2:CreateLaunchTemplate'], on: 'any' },
  ],
  gains: 'acts-as',
};
