import { ALL_ACTORS, type EscalationMethod } from '../method.js';

export const method: EscalationMethod = {
  id: 'ec2-instance-connect',
  title: "Push an SSH key to a running instance and read its role's credentials",
  sources: ['iam-vulnerable privesc-ec2InstanceConnect', 'pathfinding.cloud ec2instanceconnect-003'],
  actors: ALL_ACTORS,
  target: { serviceRole: { service: 'ec2.amazonaws.com', passRole: false, instanceProfile: true } },
  requires: [
    {
      anyOf: ['ec2-instance-connect:SendSSHPublicKey', 'ec2-instance-connect:SendSerialConsoleSSHPublicKey'],
      on: 'any',
    },
  ],
  gains: 'acts-as',
  assumes: 'an instance runs with the role',
};
