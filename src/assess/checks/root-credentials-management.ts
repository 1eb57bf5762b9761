import type { CheckDefinition } from '../check.js';
import { failed, noParameters, passed, type Subject } from '../../model/rule.js';
import type { RootAccess } from '../../model/organization.js';

/**
 * The organization, reported on its management account: the feature is switched on there. No
 * ARN: the snapshot does not know the partition, and Security Hub then names the account itself.
 */
function organizationSubject(rootAccess: RootAccess): Subject {
  const { managementAccountId, organizationId } = rootAccess;
  return {
    accountId: managementAccountId,
    resourceType: 'account',
    resourceArn: null,
    resourceName:
      organizationId === null ? managementAccountId : `${managementAccountId} (organization ${organizationId})`,
  };
}

/**
 * Prowler iam_root_credentials_management_enabled: member accounts' root users without
 * long-term credentials, managed from the management account (centralised root access).
 */
export const rule: CheckDefinition = {
  id: 'root-credentials-management',
  title: "Member accounts' root credentials not centrally managed",
  severity: 'medium',
  rationale:
    "Every member account's root user can hold a password, access keys and MFA devices that sign in with full control of the account, beyond the reach of SCPs. Centralised root credentials management lets the management account remove them and keep new accounts without them; root sessions then run only short, task-scoped actions from the management account.",
  remediation:
    'In the management account, enable trusted access for IAM in Organizations and turn on root credentials management (and root sessions) under IAM > Root access management (`aws iam enable-organizations-root-credentials-management`), then delete the root credentials of the member accounts.',
  references: {
    cis: [],
    securityHub: [],
    links: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html#id_root-user-access-management'],
  },
  parameters: noParameters,
  evaluate: (snapshot) => {
    const rootAccess = snapshot.rootAccess;
    // Only an Organization scan (or its export) reads the features; unread (a gap says why) is no verdict.
    if (rootAccess === undefined) return [];
    const features = new Set(rootAccess.enabledFeatures);
    const sessions = features.has('RootSessions')
      ? 'root sessions are enabled'
      : 'root sessions (RootSessions) are not enabled';
    const subject = organizationSubject(rootAccess);
    return [
      features.has('RootCredentialsManagement')
        ? passed(subject, `member accounts' root credentials are centrally managed; ${sessions}`)
        : failed(
            subject,
            `member accounts' root credentials are not centrally managed (RootCredentialsManagement not enabled); ${sessions}`,
          ),
    ];
  },
};
