/**
 * What CloudTrail says about how each IAM user is used, reduced to the families the classifier
 * scores. The activity module fills this in; the classifier reads only this shape, so richer
 * activity data never changes the classifier's signature.
 */

/** User-agent families the classifier gives weight to; any other string is kept but not scored. */
export const USER_AGENT_FAMILIES = [
  'console',
  'aws-cli',
  'aws-sdk',
  'boto3',
  'terraform',
  'github-actions',
  'gitlab',
  'circleci',
  'bitbucket',
  'jenkins',
  'vercel',
  'terraform-cloud',
  'buildkite',
] as const;
export type UserAgentFamily = (typeof USER_AGENT_FAMILIES)[number];

/**
 * Where calls came from. `aws`: an AWS-owned public range (EC2, Lambda...); `vpc`: through a
 * VPC endpoint; `github-hosted` / `gitlab-hosted`: the CI vendor's published runner ranges;
 * `other-cloud`: another provider's ranges; `private`: RFC 1918 through a proxy or Direct Connect;
 * `public`: anything else.
 */
export const ADDRESS_KINDS = [
  'aws',
  'vpc',
  'github-hosted',
  'gitlab-hosted',
  'other-cloud',
  'private',
  'public',
] as const;
export type AddressKind = (typeof ADDRESS_KINDS)[number];

export interface UserActivity {
  /** Families seen (strings outside USER_AGENT_FAMILIES are ignored by the classifier). */
  userAgents: string[];
  /** Address kinds seen (strings outside ADDRESS_KINDS are ignored). */
  addresses: string[];
  /** Compute services seen acting with this user's keys (e.g. the caller was an EC2 instance). */
  computeHints?: string[];
}

/** Activity per IAM user, keyed by the user's ARN. */
export interface ActivityEvidence {
  users: Record<string, UserActivity>;
}

export function activityFor(activity: ActivityEvidence | undefined, userArn: string): UserActivity | null {
  if (!activity) return null;
  return Object.hasOwn(activity.users, userArn) ? (activity.users[userArn] ?? null) : null;
}
