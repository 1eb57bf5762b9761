import type { CheckDefinition, CheckResult } from '../check.js';
import { principalSubject } from '../check.js';
import { failed, passed } from '../../model/rule.js';
import { describeEscalation } from '../../policy/describe.js';
import { ESCALATION_REFERENCES } from '../../policy/identity/escalation.js';
import { isServiceLinkedRole } from '../../policy/evaluator/principals.js';

/**
 * roleshift: a user, group or role that can become an administrator (or make others one), found
 * by the escalation graph. Replaces `user-privilege-escalation`, which covered users only and a
 * fixed list of actions.
 */
export const rule: CheckDefinition = {
  id: 'privilege-escalation',
  title: 'Principal can escalate its privileges',
  severity: 'high',
  rationale:
    'A principal that can write a policy version, attach or write policies, create keys or passwords for other users, join a group, assume a more powerful role or pass one to a service that runs code is, in effect, as powerful as what it can reach; for an IAM user its long-lived key is the weakest link. Found by the escalation graph over every user, group and role (46 published methods and the AssumeRole edges of the trust policies); the finding names the path step by step, and its severity is what the path gains: administrator is critical, "all but a few services" or the power to make others administrators is high.',
  remediation:
    'Break the first step of the path: remove the IAM write action (or scope it to ${aws:username}), scope iam:PassRole to named roles with iam:PassedToService, or narrow the trust policy of the role the path assumes.',
  references: ESCALATION_REFERENCES,
  parameters: () => ({}),
  evaluate: (_snapshot, { permissions }) => {
    const out: CheckResult[] = [];
    for (const principal of permissions.evaluator.principals()) {
      if (isServiceLinkedRole(principal)) continue;
      const assessment = permissions.privileges.of(principal.arn);
      if (assessment === undefined) continue;
      const subject = principalSubject(principal);
      const { escalation } = assessment;
      if (escalation !== null)
        out.push(failed(subject, describeEscalation(escalation), { severity: escalation.severity }));
      else if (assessment.admin.level !== 'none')
        out.push(passed(subject, 'already an administrator (reported by full-admin-access or admin-role)'));
      else out.push(passed(subject, 'no escalation path found'));
    }
    return out;
  },
};
