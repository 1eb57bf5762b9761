import type { CiProvider, RunsOn, UserClass } from '../model/classification.js';
import type { PolicyDocument, Tags } from '../model/snapshot.js';
import type { ActionUsage } from '../model/usage.js';

/** What replaces an IAM user. One per class, plus the two outcomes that keep a user for now. */
export type Strategy =
  | 'identity-center'
  | 'aws-login'
  | 'oidc-federation'
  | 'compute-role'
  | 'roles-anywhere'
  | 'external-id-role'
  | 'exception'
  | 'keep-break-glass'
  | 'investigate';

export type MigrationRisk = 'low' | 'medium' | 'high';

/**
 * Usage facts for one IAM user, as the activity module derives them from CloudTrail. All optional:
 * without them the plan mirrors today's policies and says so.
 */
export interface UserUsage {
  /** Every call CloudTrail showed the user making: actions, resources, request values, errors. */
  actions?: ActionUsage[];
  /** Source addresses seen for the user's keys (IPv4/IPv6, no CIDR suffix needed). */
  sourceIps?: string[];
  /** OIDC subjects seen from the same pipeline, e.g. `repo:acme/api:ref:refs/heads/main`. */
  webIdentitySubjects?: string[];
  /** Days in the CloudTrail window the facts come from. */
  windowDays?: number;
}

/** Keyed by user ARN. */
export type UsageByUser = Record<string, UserUsage>;

export interface Prerequisite {
  id: string;
  description: string;
  /** null: roleshift cannot tell from the snapshot. */
  met: boolean | null;
}

/** Granted beyond the calls CloudTrail showed, and why (a passed role, a key, the current grant's scope). */
export interface DerivedGrant {
  action: string;
  resources: string[];
  /** One line: which call implies it, or that the current grant's scope was kept. */
  why: string;
}

/** The permissions a replacement gets, and where they came from. */
export interface PlannedPermissions {
  source: 'usage' | 'access-advisor' | 'current-policies';
  /** Why this source, in one line (shown in the plan). */
  note: string;
  /** AWS-managed policies to attach as they are. */
  awsManagedPolicyArns: string[];
  /** Customer-managed policies referenced by name and path (they must exist where the role lives). */
  customerManagedPolicies: Array<{ name: string; path: string; arn: string }>;
  /** One inline policy merging inline statements (or the least-privilege policy). Null when none. */
  inlinePolicy: PolicyDocument | null;
  /** True when what is granted is, or may be, administrator access (decided by the evaluator). */
  admin: boolean;
  /** For `usage`: what is granted beyond the observed calls and their resources, and why. */
  derived?: DerivedGrant[];
}

export type ProofStatus = 'passed' | 'failed' | 'not-applicable';

/** One of the three checks a replacement must pass before it is deployed. */
export interface ProofCheck {
  status: ProofStatus;
  /** How many requests (or trust rules) were checked. */
  checked: number;
  /** One line per failure: the action, the resource and why (at most 20, then a count). */
  failures: string[];
  /** What the check could not cover, and why. */
  notes: string[];
}

/**
 * The replacement, proven with the evaluator against the user it replaces: (a) every call
 * CloudTrail showed, with its resource, and every action such a call implies is allowed; (b)
 * nothing it allows is denied to the user today (over the action catalogue and the resources
 * seen); (c) its trust policy passes roleshift's trust analysis. A failed check is a blocker.
 */
export interface ReplacementProof {
  verdict: 'proven' | 'failed';
  observedAllowed: ProofCheck;
  withinCurrent: ProofCheck;
  trust: ProofCheck;
}

export interface RoleArtifact {
  kind: 'role';
  accountId: string;
  name: string;
  path: string;
  description: string;
  trustPolicy: PolicyDocument;
  permissions: PlannedPermissions;
  tags: Tags;
  maxSessionDuration: number;
  /** EC2 needs an instance profile wrapping the role. */
  instanceProfile: boolean;
}

export interface OidcProviderArtifact {
  kind: 'oidc-provider';
  accountId: string;
  /** Without https://, as IAM names the provider. */
  host: string;
  url: string;
  clientIds: string[];
  /** Whether the snapshot already has it: then it is referenced, not created. */
  exists: boolean;
  tags: Tags;
}

export interface PermissionSetArtifact {
  kind: 'permission-set';
  name: string;
  description: string;
  sessionDuration: string;
  permissions: PlannedPermissions;
  tags: Tags;
}

export interface IdentityStoreUserArtifact {
  kind: 'identity-store-user';
  userName: string;
  displayName: string;
  givenName: string;
  familyName: string;
  email: string | null;
}

export interface IdentityStoreGroupArtifact {
  kind: 'identity-store-group';
  displayName: string;
  members: string[];
}

export interface AccountAssignmentArtifact {
  kind: 'account-assignment';
  accountId: string;
  permissionSetName: string;
  principalType: 'USER' | 'GROUP';
  principalName: string;
}

export interface CliProfilesArtifact {
  kind: 'cli-profiles';
  personKey: string;
  startUrl: string;
  ssoRegion: string;
  profiles: Array<{ name: string; accountId: string; permissionSetName: string; region: string }>;
}

export interface TrustAnchorArtifact {
  kind: 'trust-anchor';
  accountId: string;
  name: string;
  /** A Private CA ARN when one is known, else a certificate bundle to fill in. */
  source: { type: 'AWS_ACM_PCA'; acmPcaArn: string } | { type: 'CERTIFICATE_BUNDLE'; placeholder: string };
  tags: Tags;
}

export interface RolesAnywhereProfileArtifact {
  kind: 'roles-anywhere-profile';
  accountId: string;
  name: string;
  roleNames: string[];
  tags: Tags;
}

export interface ExceptionDraftArtifact {
  kind: 'exception-draft';
  accountId: string;
  userName: string;
  userArn: string;
  reason: string;
  owner: string;
  /** ISO date (YYYY-MM-DD). */
  reviewBy: string;
  /** How often the register entry is to be reviewed. */
  reviewEveryDays: number;
  rotationDays: number;
  /** Scoping the user's policy should get while the exception lasts. */
  scopedPolicy: PolicyDocument | null;
  sourceIps: string[];
}

/** A change outside AWS: a configuration line, a workflow, a credential_process entry. */
export interface ConfigChangeArtifact {
  kind: 'config-change';
  accountId: string;
  userName: string;
  title: string;
  snippet: string;
}

export type Artifact =
  | RoleArtifact
  | OidcProviderArtifact
  | PermissionSetArtifact
  | IdentityStoreUserArtifact
  | IdentityStoreGroupArtifact
  | AccountAssignmentArtifact
  | CliProfilesArtifact
  | TrustAnchorArtifact
  | RolesAnywhereProfileArtifact
  | ExceptionDraftArtifact
  | ConfigChangeArtifact;

export interface UserPlan {
  accountId: string;
  userName: string;
  userArn: string;
  class: UserClass;
  ciProvider: CiProvider | null;
  runsOn: RunsOn | null;
  confidence: number;
  strategy: Strategy;
  /** One line: what replaces this user. */
  target: string;
  risk: MigrationRisk;
  /** Higher is riskier; the plan is sorted by it, ascending. */
  riskScore: number;
  riskReasons: string[];
  prerequisites: Prerequisite[];
  /** Placeholders and unknowns that stop the migration until someone fills them in. */
  blockers: string[];
  steps: string[];
  artifacts: Artifact[];
  /** Ownership tags put on everything generated for this user. */
  ownershipTags: Tags;
  /** Where the permissions came from; null when the strategy creates no permissions. */
  permissionsNote: string | null;
  /** Set when the user is covered by an exception in the register. */
  exception: { reason: string; expires: string | null } | null;
  /** The proof of the replacement's permissions and trust; null when the strategy replaces nothing. */
  proof: ReplacementProof | null;
}

export interface MigrationPlan {
  /** ISO date the plan was made for (dates such as review dates derive from it). */
  planDate: string;
  users: UserPlan[];
  summary: Record<Strategy, number>;
}
