import type { CheckDefinition } from '../check.js';
import { eachUser } from '../check.js';
import { failed, passed, userSubject } from '../../model/rule.js';
import { quarantinePolicies } from '../../model/quarantine.js';

/** AWS attached its compromised-key quarantine policy: one of the user's keys is known to be leaked. */
export const rule: CheckDefinition = {
  id: 'compromised-key-quarantine',
  title: 'AWS quarantined the user for a leaked access key',
  severity: 'critical',
  rationale:
    "AWS attaches AWSCompromisedKeyQuarantine (V2, V3) when it finds one of the user's access keys published on the internet. The policy denies only some actions: the key still works for the rest, and whoever found it may already have used it.",
  remediation:
    'Deactivate and delete the exposed key now, review CloudTrail for what the key did since it leaked, then replace the user (roleshift plan lists it first); detach the quarantine policy only after that.',
  references: {
    cis: [],
    securityHub: [],
    links: [
      'https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSCompromisedKeyQuarantineV3.html',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html#securing_access-keys',
    ],
  },
  parameters: () => ({}),
  evaluate: (snapshot) =>
    eachUser(snapshot).map(({ account, user }) => {
      const subject = userSubject(account, user);
      const policies = quarantinePolicies(user);
      return policies.length > 0
        ? failed(subject, `AWS attached ${policies.join(', ')}: one of its access keys was found leaked`)
        : passed(subject, 'no AWS compromised-key quarantine policy attached');
    }),
};
