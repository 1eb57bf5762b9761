import {
  IDENTITY_CENTER_SAML_PROVIDER,
  type Account,
  type MfaDevice,
  type OidcProvider,
  type PasswordPolicy,
  type Role,
  type Root,
  type SamlProvider,
  type ServerCertificate,
  type User,
} from '../model/snapshot.js';
import { UNKNOWN } from '../model/when.js';
import { ROOT_ROW_USER, type CredentialReport, type CredentialReportRow } from './credential-report.js';
import { compare, type Gaad, type GaadUser } from './gaad.js';
import type { VirtualMfaDevice } from './iam-lists.js';

/** Everything read for one account; null where a source was not read (denied, or no file). */
export interface AccountSources {
  accountId: string;
  gaad: Gaad;
  credentialReport: CredentialReport | null;
  virtualMfaDevices: VirtualMfaDevice[] | null;
  accountSummary: Record<string, number> | null;
  aliases: string[] | null;
  oidcProviders: OidcProvider[] | null;
  samlProviders: SamlProvider[] | null;
  passwordPolicy: PasswordPolicy | null;
  serverCertificates: ServerCertificate[] | null;
}

const SSO_ROLE_PATH = '/aws-reserved/sso.amazonaws.com/';

function rootArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:root`;
}

function isRootDevice(device: VirtualMfaDevice, accountId: string): boolean {
  return device.userArn === rootArn(accountId) || device.serial.endsWith(':mfa/root-account-mfa-device');
}

/**
 * The MFA devices one user has. Virtual devices are listed account-wide with their user; the
 * credential report says MFA is active; an active MFA with no virtual device must be a hardware
 * one (TOTP token or FIDO key), which only a per-user call could name, so its serial is null.
 */
function mfaDevicesOf(userArn: string, mfaActive: boolean, devices: VirtualMfaDevice[] | null): MfaDevice[] {
  const virtual: MfaDevice[] = (devices ?? [])
    .filter((device) => device.userArn === userArn)
    .map((device) => ({ serial: device.serial, kind: 'virtual', enabledAt: device.enabledAt }));
  if (virtual.length > 0 || !mfaActive || devices === null) return virtual;
  return [{ serial: null, kind: 'hardware', enabledAt: UNKNOWN }];
}

function pathFromUserArn(arn: string): string {
  const resource = arn.slice(arn.indexOf(':user/') + ':user'.length);
  return resource.slice(0, resource.lastIndexOf('/') + 1) || '/';
}

function mergeUser(
  gaadUser: GaadUser | null,
  row: CredentialReportRow | null,
  devices: VirtualMfaDevice[] | null,
): User {
  const arn = gaadUser?.arn ?? (row as CredentialReportRow).arn;
  const mfaActive = row?.mfaActive ?? false;
  return {
    arn,
    name: gaadUser?.name ?? (row as CredentialReportRow).user,
    userId: gaadUser?.userId ?? null,
    path: gaadUser?.path ?? pathFromUserArn(arn),
    createDate: gaadUser?.createDate ?? row?.userCreationTime ?? UNKNOWN,
    tags: gaadUser?.tags ?? {},
    groups: gaadUser?.groups ?? [],
    attachedPolicies: gaadUser?.attachedPolicies ?? [],
    inlinePolicies: gaadUser?.inlinePolicies ?? [],
    permissionsBoundary: gaadUser?.permissionsBoundary ?? null,
    // Without a report row nothing is known about the password: unknown dates, not "never".
    password: row?.password ?? { enabled: false, lastUsed: UNKNOWN, lastChanged: UNKNOWN, nextRotation: UNKNOWN },
    mfaActive,
    mfaDevices: mfaDevicesOf(arn, mfaActive, devices),
    accessKeys: row?.accessKeys ?? [],
    signingCertificates: row?.signingCertificates ?? [],
    inCredentialReport: row !== null,
  };
}

function buildRoot(sources: AccountSources): Root | null {
  const row = sources.credentialReport?.rows.find((candidate) => candidate.user === ROOT_ROW_USER) ?? null;
  const summary = sources.accountSummary;
  if (row === null && summary === null) return null;
  const mfaActive = row?.mfaActive ?? summary?.AccountMFAEnabled === 1;
  let hardwareMfa: boolean | null = null;
  if (mfaActive && sources.virtualMfaDevices !== null) {
    hardwareMfa = !sources.virtualMfaDevices.some((device) => isRootDevice(device, sources.accountId));
  }
  const keysPresent = summary?.AccountAccessKeysPresent;
  return {
    arn: row?.arn || rootArn(sources.accountId),
    passwordLastUsed: row?.password.lastUsed ?? UNKNOWN,
    mfaActive,
    hardwareMfa,
    accessKeys: row?.accessKeys ?? [],
    accessKeysPresent: keysPresent !== undefined ? keysPresent > 0 : row !== null ? row.accessKeys.length > 0 : null,
    signingCertificates: row?.signingCertificates ?? [],
  };
}

/**
 * Identity Center leaves two marks in a member account: the `AWSReservedSSO_*` roles it
 * provisions under its reserved path, and the `AWSSSO_*_DO_NOT_DELETE` SAML provider those roles
 * trust. GAAD alone has no provider list, so a trust on that provider also counts.
 */
export function detectIdentityCenter(
  roles: readonly Role[],
  samlProviders: readonly SamlProvider[],
): Account['identityCenter'] {
  const evidence = new Set<string>();
  for (const role of roles) {
    if (role.path.startsWith(SSO_ROLE_PATH) && role.name.startsWith('AWSReservedSSO_')) {
      evidence.add(`role ${role.name} (path ${role.path})`);
    }
  }
  for (const provider of samlProviders) {
    if (IDENTITY_CENTER_SAML_PROVIDER.test(provider.name)) evidence.add(`SAML provider ${provider.name}`);
  }
  if (samlProviders.length === 0) {
    const trusting = new Map<string, string[]>();
    for (const role of roles) {
      const match = /saml-provider\/(AWSSSO_[0-9A-Za-z]+_DO_NOT_DELETE)/.exec(JSON.stringify(role.trustPolicy));
      if (match) trusting.set(match[1] as string, [...(trusting.get(match[1] as string) ?? []), role.name]);
    }
    for (const [provider, names] of trusting)
      evidence.add(`SAML provider ${provider} (trusted by ${names.sort(compare).join(', ')})`);
  }
  const sorted = [...evidence].sort(compare);
  return { inUse: sorted.length > 0, evidence: sorted };
}

/**
 * Merges what was read for one account into the Snapshot's Account. Pure and deterministic:
 * every list is sorted by ARN or name. Users found in only one of GAAD and the credential report
 * are kept, flagged by `inCredentialReport`, and named in a warning.
 */
export function buildAccount(sources: AccountSources): { account: Account; warnings: string[] } {
  const warnings: string[] = [];
  const rows = new Map<string, CredentialReportRow>();
  for (const row of sources.credentialReport?.rows ?? []) if (row.user !== ROOT_ROW_USER) rows.set(row.arn, row);

  const users: User[] = [];
  const notInReport: string[] = [];
  for (const gaadUser of sources.gaad.users) {
    const row = rows.get(gaadUser.arn) ?? null;
    if (row === null) notInReport.push(gaadUser.name);
    users.push(mergeUser(gaadUser, row, sources.virtualMfaDevices));
  }
  const gaadArns = new Set(sources.gaad.users.map((user) => user.arn));
  const notInGaad: string[] = [];
  for (const row of rows.values()) {
    if (gaadArns.has(row.arn)) continue;
    notInGaad.push(row.user);
    users.push(mergeUser(null, row, sources.virtualMfaDevices));
  }
  users.sort((a, b) => compare(a.arn, b.arn));

  const id = sources.accountId;
  if (sources.credentialReport === null) {
    if (sources.gaad.users.length > 0) {
      warnings.push(
        `account ${id}: no credential report: passwords, access keys and MFA of ${sources.gaad.users.length} user(s) are unknown`,
      );
    }
  } else if (notInReport.length > 0) {
    warnings.push(
      `account ${id}: ${notInReport.length} user(s) in the authorization details are not in the credential report (created after it was generated?): ${notInReport.sort(compare).join(', ')}`,
    );
  }
  if (notInGaad.length > 0) {
    warnings.push(
      `account ${id}: ${notInGaad.length} user(s) in the credential report are not in the authorization details (deleted since?): ${notInGaad.sort(compare).join(', ')}`,
    );
  }

  const samlProviders = sources.samlProviders ?? [];
  const account: Account = {
    accountId: id,
    alias: sources.aliases?.[0] ?? null,
    credentialReport:
      sources.credentialReport === null
        ? null
        : { generatedAt: sources.credentialReport.generatedAt, rows: sources.credentialReport.rows.length },
    root: buildRoot(sources),
    accountSummary: sources.accountSummary,
    users,
    roles: sources.gaad.roles,
    groups: sources.gaad.groups,
    policies: sources.gaad.policies,
    oidcProviders: [...(sources.oidcProviders ?? [])].sort((a, b) => compare(a.arn, b.arn)),
    samlProviders: [...samlProviders].sort((a, b) => compare(a.arn, b.arn)),
    identityCenter: detectIdentityCenter(sources.gaad.roles, samlProviders),
    passwordPolicy: sources.passwordPolicy,
    serverCertificates: sources.serverCertificates,
  };
  return { account, warnings };
}

/**
 * One warning per distinct generation time of the credential reports AWS cached longer than
 * `maxAgeHours` before `now`. Accounts whose reports share a time (an export made in one go) share
 * the warning: the same sentence once per account would bury the rest of the output.
 */
export function staleReportWarnings(accounts: readonly Account[], now: Date, maxAgeHours: number): string[] {
  const staleAt = new Map<string, string[]>();
  for (const account of accounts) {
    const generated = account.credentialReport?.generatedAt;
    if (generated?.state !== 'at') continue;
    if (now.getTime() - new Date(generated.at).getTime() <= maxAgeHours * 3_600_000) continue;
    staleAt.set(generated.at, [...(staleAt.get(generated.at) ?? []), account.accountId]);
  }
  return [...staleAt].map(([at, accountIds]) => {
    const hours = (now.getTime() - new Date(at).getTime()) / 3_600_000;
    const age = hours < 48 ? `${Math.floor(hours)} hour(s)` : `${Math.floor(hours / 24)} day(s)`;
    const which =
      accountIds.length === 1
        ? `account ${accountIds[0]}: the credential report was`
        : `accounts ${accountIds.join(', ')}: the credential reports were`;
    return `${which} generated ${at}, ${age} ago (AWS caches it; changes since then are not in it)`;
  });
}
