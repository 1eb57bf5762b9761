import type { CheckDefinition } from '../check.js';
import { failed, passed } from '../../model/rule.js';
import { advisedPrincipals } from '../advised-principals.js';

/** A user that only reaches IAM and STS with its keys is one that assumes roles for the rest. */
const ROLE_PATH_SERVICES = new Set(['iam', 'sts']);

/**
 * Prowler's iam_user_with_temporary_credentials: a user with access keys whose access advisor
 * shows services other than IAM and STS used, i.e. its long-lived keys call AWS directly instead
 * of assuming a role for temporary credentials.
 */
export const rule: CheckDefinition = {
  id: 'user-with-temporary-credentials',
  title: "User's long-lived keys call services other than IAM and STS directly",
  severity: 'medium',
  rationale:
    'Access keys that call services directly keep every permission of the user for as long as the key lives; a user whose keys only assume roles gets short-lived credentials scoped by the role.',
  remediation:
    'Move the work to a role the user (or better, its replacement: roleshift plan) assumes, and narrow the user to sts:AssumeRole.',
  references: {
    cis: [],
    securityHub: [],
    links: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp.html'],
  },
  parameters: () => ({}),
  evaluate: (snapshot) =>
    advisedPrincipals(snapshot).flatMap(({ access, subject, user }) => {
      if (user === null || user.accessKeys.length === 0) return [];
      const direct = access.services
        .filter((service) => service.lastAuthenticated.state === 'at' && !ROLE_PATH_SERVICES.has(service.service))
        .map((service) => service.service);
      if (direct.length > 0)
        return [
          failed(
            subject,
            `has access keys and used ${direct.length} service(s) beyond IAM and STS: ${direct.join(', ')}`,
          ),
        ];
      // Unread pages may hold a service used directly: no pass on a partial report.
      return access.complete ? [passed(subject, 'its access keys reached only IAM and STS')] : [];
    }),
};
