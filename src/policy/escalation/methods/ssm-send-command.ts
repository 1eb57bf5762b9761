import { ALL_ACTORS, type EscalationMethod } from '../method.js';

export const method: EscalationMethod = {
  id: 'ssm-send-command',
  title: "Run a command on a managed instance and read its role's credentials",
  sources: ['iam-vulnerable privesc-ssmSendCommand', 'PMapper ssm edges'],
  actors: ALL_ACTORS,
  target: { serviceRole: { service: 'ec2.amazonaws.com', passRole: false, instanceProfile: true } },
  requires: [{ anyOf: ['ssm:SendCommand'], on: 'any' }],
  gains: 'acts-as',
  assumes: 'an instance managed by Systems Manager runs with the role',
};
