import type { CheckDefinition } from '../check.js';
import { failed, passed } from '../../model/rule.js';
import { ACCESS_ADVISOR_WINDOW_DAYS, usedSince, windowStart } from '../../model/access-advisor.js';
import { advisedPrincipals } from '../advised-principals.js';

/** How many unused services a message names before it only counts the rest. */
const NAMED = 8;

/**
 * Services a principal's own policies allow that IAM access advisor reports as not used for 90
 * days or more: what removing them would take away, counted and named.
 */
export const rule: CheckDefinition = {
  id: 'access-advisor-unused-services',
  title: 'Services granted but unused for 90 days or more (IAM access advisor)',
  severity: 'low',
  rationale:
    "Every service a principal may use but does not is attack surface for whoever gets its credentials. IAM access advisor records the last authentication to each service the principal's policies allow, without CloudTrail.",
  remediation:
    'Remove the unused services from the policies (roleshift plan narrows a replacement to the services used), or keep them and record why.',
  references: {
    cis: [],
    securityHub: [],
    links: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_last-accessed.html'],
  },
  parameters: () => ({ unusedServiceDays: ACCESS_ADVISOR_WINDOW_DAYS }),
  evaluate: (snapshot) =>
    advisedPrincipals(snapshot).flatMap(({ access, subject }) => {
      const since = windowStart(access);
      if (since === null) return [];
      const unused = access.services.filter((service) => !usedSince(service.lastAuthenticated, since));
      if (unused.length === 0) {
        // A report read only in part proves nothing about the services it did not list.
        return access.complete ? [passed(subject, `uses all ${access.services.length} service(s) it is granted`)] : [];
      }
      const names = unused.map((service) => service.service);
      const shown =
        names.slice(0, NAMED).join(', ') + (names.length > NAMED ? ` and ${names.length - NAMED} more` : '');
      const never = unused.filter((service) => service.lastAuthenticated.state === 'never').length;
      const floor = access.complete ? '' : ' at least';
      return [
        failed(
          subject,
          `${floor}${unused.length} of ${access.services.length} granted service(s) unused for ${ACCESS_ADVISOR_WINDOW_DAYS}+ days (${never} never used); removing them takes away ${shown}`.trim(),
        ),
      ];
    }),
};
