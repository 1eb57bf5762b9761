import type { ActivityEvidence } from './activity-evidence.js';
import type { Usage } from '../model/usage.js';

/** roleshift's user-agent families → the classifier's vocabulary (the SDKs are one family there). */
const FAMILY_FOR_CLASSIFIER: Readonly<Record<string, string>> = {
  'configure-aws-credentials': 'github-actions',
  'aws-sdk-js': 'aws-sdk',
  'aws-sdk-java': 'aws-sdk',
  'aws-sdk-go': 'aws-sdk',
  'aws-sdk-dotnet': 'aws-sdk',
  'aws-sdk-ruby': 'aws-sdk',
  'aws-sdk-php': 'aws-sdk',
  'aws-sdk-rust': 'aws-sdk',
  botocore: 'boto3',
};

const ADDRESS_FOR_CLASSIFIER: Readonly<Record<string, string>> = {
  'aws-service': 'aws',
  private: 'private',
  public: 'public',
};

/** Reduces usage facts to the evidence `classifyUsers` scores, per IAM user ARN. */
export function usageToActivityEvidence(usage: Usage): ActivityEvidence {
  const users: ActivityEvidence['users'] = {};
  for (const principal of usage.principals) {
    if (principal.type !== 'IAMUser') continue;
    const userAgents = [
      ...new Set(principal.userAgents.map((agent) => FAMILY_FOR_CLASSIFIER[agent.family] ?? agent.family)),
    ].sort();
    const addresses = [
      ...new Set(
        principal.addresses
          .map((address) => ADDRESS_FOR_CLASSIFIER[address.kind])
          .filter((kind): kind is string => kind !== undefined),
      ),
    ].sort();
    users[principal.arn] = { userAgents, addresses };
  }
  return { users };
}
