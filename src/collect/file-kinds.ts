import { isGaadPage } from './gaad.js';
import { isRecord } from './shape.js';

/**
 * The AWS CLI outputs `scan --from` reads: one kind per CLI command. This table is the one place
 * that says which file a live scan's call corresponds to, what its name is when `export-script`
 * writes it, and what a snapshot lacks without it; the reader and the export script both use it.
 */
export type FileKind =
  | 'gaad'
  | 'credential-report'
  | 'virtual-mfa'
  | 'account-summary'
  | 'account-aliases'
  | 'oidc-list'
  | 'oidc-get'
  | 'saml-list'
  | 'password-policy'
  | 'server-certificates'
  | 'access-advisor'
  | 'organization-accounts'
  | 'organization-features';

export interface FileKindInfo {
  /** The AWS CLI command whose `--output json` this is. */
  command: string;
  /** The IAM (or Organizations) API a live scan calls for the same data: a gap names it. */
  api: string;
  /** The file `roleshift export-script` writes (per provider for `oidc-get`). */
  fileName: string;
  /** What the snapshot does not know when the file is missing, said to the user. */
  lacks: string;
}

export const FILE_KINDS: Record<FileKind, FileKindInfo> = {
  gaad: {
    command: 'iam get-account-authorization-details',
    api: 'iam:GetAccountAuthorizationDetails',
    fileName: 'get-account-authorization-details.json',
    lacks: "the account's users, groups, roles and policies are unknown: the account is left out",
  },
  'credential-report': {
    command: 'iam get-credential-report',
    api: 'iam:GetCredentialReport',
    fileName: 'get-credential-report.json',
    lacks: 'console passwords, access keys, MFA and root credentials of every user are unknown',
  },
  'virtual-mfa': {
    command: 'iam list-virtual-mfa-devices',
    api: 'iam:ListVirtualMFADevices',
    fileName: 'list-virtual-mfa-devices.json',
    lacks: 'whether MFA devices (root and users) are virtual or hardware is unknown',
  },
  'account-summary': {
    command: 'iam get-account-summary',
    api: 'iam:GetAccountSummary',
    fileName: 'get-account-summary.json',
    lacks:
      "root access keys and root MFA rest on the credential report alone, and IAM's own counts cannot confirm that the authorization details are complete",
  },
  'account-aliases': {
    command: 'iam list-account-aliases',
    api: 'iam:ListAccountAliases',
    fileName: 'list-account-aliases.json',
    lacks: 'the account alias is unknown',
  },
  'oidc-list': {
    command: 'iam list-open-id-connect-providers',
    api: 'iam:ListOpenIDConnectProviders',
    fileName: 'list-open-id-connect-providers.json',
    lacks: "the account's OIDC identity providers are unknown: trust policies and plans cannot be checked against them",
  },
  'oidc-get': {
    command: 'iam get-open-id-connect-provider',
    api: 'iam:GetOpenIDConnectProvider',
    fileName: 'get-open-id-connect-provider-<host>.json',
    lacks: 'its audiences (client ids) and thumbprints are unknown',
  },
  'saml-list': {
    command: 'iam list-saml-providers',
    api: 'iam:ListSAMLProviders',
    fileName: 'list-saml-providers.json',
    lacks: 'SAML providers are unknown: Identity Center is recognised from its roles only',
  },
  'password-policy': {
    command: 'iam get-account-password-policy',
    api: 'iam:GetAccountPasswordPolicy',
    fileName: 'get-account-password-policy.json',
    lacks:
      'the account password policy is unknown: the password policy checks (CIS 1.8, 1.9) give no verdict (an account without a policy is saved as {"PasswordPolicy": null})',
  },
  'server-certificates': {
    command: 'iam list-server-certificates',
    api: 'iam:ListServerCertificates',
    fileName: 'list-server-certificates.json',
    lacks: 'the SSL/TLS certificates stored in IAM are unknown: expired ones (CIS 1.19) cannot be found',
  },
  'access-advisor': {
    command: 'iam get-service-last-accessed-details',
    api: 'iam:GetServiceLastAccessedDetails',
    fileName: 'get-service-last-accessed-details-<user>.json',
    lacks: "the user's IAM access advisor report is unknown: its plan mirrors today's policies",
  },
  'organization-accounts': {
    command: 'organizations list-accounts',
    api: 'organizations:ListAccounts',
    fileName: 'organizations-list-accounts.json',
    lacks: 'which accounts the organization has is unknown, so a missing account folder cannot be noticed',
  },
  'organization-features': {
    command: 'iam list-organizations-features',
    api: 'iam:ListOrganizationsFeatures',
    fileName: 'list-organizations-features.json',
    lacks:
      "whether the member accounts' root credentials are centrally managed is unknown: root-credentials-management gives no verdict",
  },
};

/** The kinds one account folder of a complete export holds (`oidc-get`: one per listed provider). */
export const ACCOUNT_FILE_KINDS: readonly FileKind[] = [
  'gaad',
  'credential-report',
  'virtual-mfa',
  'account-summary',
  'account-aliases',
  'oidc-list',
  'saml-list',
  'password-policy',
  'server-certificates',
];

export function kindLabel(kind: FileKind): string {
  return `${FILE_KINDS[kind].command.replace(/^\w+ /, '')} output`;
}

/** Most specific first: `get-open-id-connect-provider` must not match the list's name. */
const NAME_PATTERNS: ReadonlyArray<[RegExp, FileKind]> = [
  [/service[-_]last[-_]accessed/, 'access-advisor'],
  [/get[-_]open[-_]id[-_]connect[-_]provider(?!s)/, 'oidc-get'],
  [/open[-_]id[-_]connect[-_]providers/, 'oidc-list'],
  [/credential[-_]report/, 'credential-report'],
  [/authorization[-_]details|authz/, 'gaad'],
  [/virtual[-_]mfa/, 'virtual-mfa'],
  [/account[-_]summary/, 'account-summary'],
  [/account[-_]aliases/, 'account-aliases'],
  [/saml[-_]providers/, 'saml-list'],
  [/password[-_]policy/, 'password-policy'],
  [/server[-_]certificates/, 'server-certificates'],
  [/organizations[-_]features/, 'organization-features'],
  [/list[-_]accounts/, 'organization-accounts'],
];

/** What a file's name says it holds; null for names that say nothing (cloudsplaining's `example.json`). */
export function kindFromName(fileName: string): FileKind | null {
  const name = fileName.toLowerCase();
  return NAME_PATTERNS.find(([pattern]) => pattern.test(name))?.[1] ?? null;
}

/** What a parsed JSON document holds, by its shape. */
export function kindFromContent(value: unknown): FileKind | null {
  if (!isRecord(value)) return null;
  const has = (key: string) => key in value;
  if (isGaadPage(value)) return 'gaad';
  if (has('Content') && (has('GeneratedTime') || has('ReportFormat'))) return 'credential-report';
  if (has('VirtualMFADevices')) return 'virtual-mfa';
  if (has('SummaryMap')) return 'account-summary';
  if (has('AccountAliases')) return 'account-aliases';
  if (has('OpenIDConnectProviderList')) return 'oidc-list';
  if (has('Url') && (has('ClientIDList') || has('ThumbprintList'))) return 'oidc-get';
  if (has('SAMLProviderList')) return 'saml-list';
  if (has('PasswordPolicy')) return 'password-policy';
  if (has('ServerCertificateMetadataList')) return 'server-certificates';
  if (has('JobStatus') && (has('ServicesLastAccessed') || has('JobType'))) return 'access-advisor';
  if (has('EnabledFeatures')) return 'organization-features';
  if (has('Accounts')) return 'organization-accounts';
  return null;
}
