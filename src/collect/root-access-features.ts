import { ListOrganizationsFeaturesCommand, type IAMClient } from '@aws-sdk/client-iam';
import { hasErrorCode } from '../aws/errors.js';
import type { RootAccess } from '../model/organization.js';

/**
 * Answers that say the features are off rather than that the call failed: centralised root
 * access needs IAM's trusted access in Organizations and an organization with all features, so
 * without either nothing can be enabled.
 */
export const NOTHING_ENABLED = ['ServiceAccessNotEnabledException', 'OrganizationNotInAllFeaturesModeException'];

/**
 * The centralised root access features of the organization (`RootCredentialsManagement`,
 * `RootSessions`), read once from the management account. Any other failure (not the management
 * account, denied, an endpoint without the call) propagates, so the caller records it as a gap.
 */
export async function readRootAccess(
  iam: IAMClient,
  organization: { id: string; managementAccountId: string },
): Promise<RootAccess> {
  const managementAccountId = organization.managementAccountId;
  try {
    const answer = await iam.send(new ListOrganizationsFeaturesCommand({}));
    return {
      organizationId: answer.OrganizationId ?? organization.id,
      managementAccountId,
      enabledFeatures: [...(answer.EnabledFeatures ?? [])].sort(),
    };
  } catch (error) {
    if (hasErrorCode(error, ...NOTHING_ENABLED))
      return { organizationId: organization.id, managementAccountId, enabledFeatures: [] };
    throw error;
  }
}
