import { ALL_ACTORS, type EscalationMethod } from '../method.js';

export const method: EscalationMethod = {
  id: 'ssm-start-session',
  title: "Open a shell on a managed instance and read its role's credentials",
  sources: ['iam-vulnerable privesc-ssmStartSession', 'PMapper ssm edges'],
  actors: ALL_ACTORS,
  target: { serviceRole: { service: 'ec2.amazonaws.com', passRole: false, instanceProfile: true } },
  requires: [{ anyOf: ['ssm:StartSession'], on: 'any' }],
  gains: 'acts-as',
  assumes: 'an instance managed by Systems Manager runs with the role',
};
