import { ListOrganizationsFeaturesCommand, type IAMClient } from '@aws-sdk/client-iam';
import { hasErrorCode } from '../aws/errors.js';

/**
 * Answers that say the features are off rather than that the call failed: centralised root
 * access needs IAM's trusted access in Organizations and an organization with all features, so
 * without either nothing can be enabled.
 */
const NOTHING_ENABLED = ['ServiceAccessNotEnabledException', 'OrganizationNotInAllFeaturesModeException'];

/**
 * The centralised root access features of the organization (`RootCredentialsManagement`,
 * `RootSessions`), read once from the management account. Any other failure (not the management
 * account, denied, an endpoint without the call) propagates, so the caller records it as a gap.
 */
export async function readRootAccessFeatures(iam: IAMClient): Promise<string[]> {
  try {
    const answer = await iam.send(new ListOrganizationsFeaturesCommand({}));
    return [...(answer.EnabledFeatures ?? [])].sort();
  } catch (error) {
    if (hasErrorCode(error, ...NOTHING_ENABLED)) return [];
    throw error;
  }
}
