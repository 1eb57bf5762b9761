/** Export with the real AWS CLI, then overlay what moto cannot produce and write the files. */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { AS_OF, type AccountSpec, type KeySpec, REGION } from './spec.js';
import { type Json, asArray, asRecord, awsId, byKey, isoSeconds, json, tagList } from './ids.js';
import type { SessionCredentials } from './seed.js';

const execFileAsync = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const OUT = join(ROOT, 'examples', 'demo-estate');

async function awsCli(endpoint: string, credentials: SessionCredentials, args: string[]): Promise<Json> {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8' };
  Object.assign(env, {
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: credentials.sessionToken,
    AWS_DEFAULT_REGION: REGION,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
  });
  const { stdout } = await execFileAsync('aws', ['--endpoint-url', endpoint, ...args, '--output', 'json'], {
    env,
    maxBuffer: 1 << 28,
  });
  return stdout.trim() === '' ? {} : asRecord(JSON.parse(stdout));
}

interface Exported {
  gaad: Json;
  credentialReport: Json;
  virtualMfa: Json;
  summary: Json;
  aliases: Json;
  oidcList: Json;
  oidc: Json[];
  saml: Json;
}

export async function exportAccount(endpoint: string, credentials: SessionCredentials): Promise<Exported> {
  const cli = (...args: string[]) => awsCli(endpoint, credentials, args);
  const gaad = await cli('iam', 'get-account-authorization-details');
  await cli('iam', 'generate-credential-report');
  const credentialReport = await cli('iam', 'get-credential-report');
  const virtualMfa = await cli('iam', 'list-virtual-mfa-devices');
  const summary = await cli('iam', 'get-account-summary');
  const aliases = await cli('iam', 'list-account-aliases');
  const oidcList = await cli('iam', 'list-open-id-connect-providers');
  const oidc: Json[] = [];
  for (const entry of asArray(oidcList.OpenIDConnectProviderList).sort(byKey('Arn'))) {
    oidc.push(await cli('iam', 'get-open-id-connect-provider', '--open-id-connect-provider-arn', String(entry.Arn)));
  }
  const saml = await cli('iam', 'list-saml-providers');
  return { gaad, credentialReport, virtualMfa, summary, aliases, oidcList, oidc, saml };
}

function policyNameOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

function overlayRoles(gaad: Json, spec: AccountSpec): Json[] {
  return asArray(gaad.RoleDetailList).map((entry) => {
    const role = spec.roles.find((r) => r.name === entry.RoleName);
    if (!role) throw new Error(`moto returned an unexpected role ${String(entry.RoleName)}`);
    const roleId = awsId('AROA', `${spec.id}/role/${role.name}`);
    const created = isoSeconds(role.created);
    const out: Json = {
      ...entry,
      RoleId: roleId,
      CreateDate: created,
      InstanceProfileList: asArray(entry.InstanceProfileList).map((profile) => ({
        ...profile,
        InstanceProfileId: awsId('AIPA', `${spec.id}/instance-profile/${String(profile.InstanceProfileName)}`),
        CreateDate: created,
        Roles: asArray(profile.Roles).map((inner) => ({ ...inner, RoleId: roleId, CreateDate: created })),
      })),
      RolePolicyList: asArray(entry.RolePolicyList).sort(byKey('PolicyName')),
      AttachedManagedPolicies: asArray(entry.AttachedManagedPolicies).sort(byKey('PolicyArn')),
      RoleLastUsed: role.lastUsed ? { LastUsedDate: isoSeconds(role.lastUsed.at), Region: role.lastUsed.region } : {},
    };
    if (role.tags) out.Tags = tagList(role.tags);
    else delete out.Tags;
    return out;
  });
}

function overlayPolicies(gaad: Json, spec: AccountSpec): Json[] {
  // AWS lists customer-managed policies and only the AWS-managed ones attached somewhere; moto
  // lists all ~1,500 AWS-managed policies, which no real export contains.
  return asArray(gaad.Policies)
    .filter((policy) => !String(policy.Arn).startsWith('arn:aws:iam::aws:') || Number(policy.AttachmentCount) > 0)
    .map((policy) => {
      const arn = String(policy.Arn);
      const local = spec.policies.find((p) => arn === `arn:aws:iam::${spec.id}:policy/${p.name}`);
      const name = policyNameOf(arn);
      const out: Json = {
        PolicyName: name,
        PolicyId: awsId('ANPA', arn),
        ...policy,
      };
      if (local) {
        out.CreateDate = isoSeconds(local.created);
        out.UpdateDate = isoSeconds(local.created);
        out.PolicyVersionList = asArray(policy.PolicyVersionList).map((version) => ({
          ...version,
          CreateDate: isoSeconds(local.created),
        }));
      } else {
        out.CreateDate = isoSeconds(String(policy.CreateDate));
        out.UpdateDate = isoSeconds(String(policy.UpdateDate));
        out.PolicyVersionList = asArray(policy.PolicyVersionList).map((version) => ({
          ...version,
          CreateDate: isoSeconds(String(version.CreateDate)),
        }));
      }
      return out;
    });
}

function overlayGaad(gaad: Json, spec: AccountSpec): Json {
  const users = asArray(gaad.UserDetailList).map((entry) => {
    const user = spec.users.find((u) => u.name === entry.UserName);
    if (!user) throw new Error(`moto returned an unexpected user ${String(entry.UserName)}`);
    const out: Json = {
      ...entry,
      UserId: awsId('AIDA', `${spec.id}/user/${user.name}`),
      CreateDate: isoSeconds(user.created),
      UserPolicyList: asArray(entry.UserPolicyList).sort(byKey('PolicyName')),
      GroupList: [...(Array.isArray(entry.GroupList) ? (entry.GroupList as string[]) : [])].sort(),
      AttachedManagedPolicies: asArray(entry.AttachedManagedPolicies).sort(byKey('PolicyArn')),
    };
    if (user.tags) out.Tags = tagList(user.tags);
    else delete out.Tags;
    return out;
  });
  const groups = asArray(gaad.GroupDetailList).map((entry) => {
    const group = spec.groups.find((g) => g.name === entry.GroupName);
    if (!group) throw new Error(`moto returned an unexpected group ${String(entry.GroupName)}`);
    return {
      ...entry,
      GroupId: awsId('AGPA', `${spec.id}/group/${group.name}`),
      CreateDate: isoSeconds(group.created),
      GroupPolicyList: asArray(entry.GroupPolicyList).sort(byKey('PolicyName')),
      AttachedManagedPolicies: asArray(entry.AttachedManagedPolicies).sort(byKey('PolicyArn')),
    };
  });
  const roles = overlayRoles(gaad, spec);
  const policies = overlayPolicies(gaad, spec);
  return {
    UserDetailList: users.sort(byKey('UserName')),
    GroupDetailList: groups.sort(byKey('GroupName')),
    RoleDetailList: roles.sort(byKey('RoleName')),
    Policies: policies.sort(byKey('Arn')),
  };
}

const CREDENTIAL_REPORT_HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';

function keyColumns(key: KeySpec | undefined): string[] {
  if (!key) return ['false', 'N/A', 'N/A', 'N/A', 'N/A'];
  const used = key.lastUsed;
  return [
    String((key.status ?? 'Active') === 'Active'),
    isoSeconds(key.created),
    used ? isoSeconds(used.at) : 'N/A',
    used ? used.region : 'N/A',
    used ? used.service : 'N/A',
  ];
}

/**
 * Rebuilds the report from the spec, after checking that every flag moto computed (password,
 * MFA, key active) agrees with it: moto proves the estate is possible, the spec supplies what
 * moto cannot (dates, last-used region/service, the root row).
 */
function overlayCredentialReport(report: Json, spec: AccountSpec): Json {
  const csv = Buffer.from(String(report.Content), 'base64').toString('utf8').trim().split('\n');
  const [header, ...rows] = csv;
  if (header !== CREDENTIAL_REPORT_HEADER) throw new Error(`unexpected credential report header from moto: ${header}`);
  const motoRows = new Map(rows.map((row) => [row.split(',')[0] ?? '', row.split(',')]));
  const lines = [CREDENTIAL_REPORT_HEADER];
  const root = spec.root;
  lines.push(
    [
      '<root_account>',
      `arn:aws:iam::${spec.id}:root`,
      isoSeconds(root.created),
      'not_supported',
      root.passwordLastUsed ? isoSeconds(root.passwordLastUsed) : 'N/A',
      'not_supported',
      'not_supported',
      String(Boolean(root.mfa)),
      ...keyColumns(root.key),
      ...keyColumns(undefined),
      'false',
      'N/A',
      'false',
      'N/A',
    ].join(','),
  );
  for (const user of [...spec.users].sort((a, b) => a.name.localeCompare(b.name))) {
    const moto = motoRows.get(user.name);
    if (!moto) throw new Error(`moto's credential report lacks ${user.name}`);
    const expected = {
      password: String(Boolean(user.password)),
      mfa: String(Boolean(user.mfa)),
      key1: String((user.keys?.[0]?.status ?? (user.keys?.[0] ? 'Active' : 'none')) === 'Active'),
      key2: String((user.keys?.[1]?.status ?? (user.keys?.[1] ? 'Active' : 'none')) === 'Active'),
    };
    const actual = { password: moto[3], mfa: moto[7], key1: moto[8], key2: moto[13] };
    if (JSON.stringify(expected) !== JSON.stringify(actual)) {
      throw new Error(`moto disagrees with the spec for ${user.name}: ${JSON.stringify({ expected, actual })}`);
    }
    lines.push(
      [
        user.name,
        moto[1] ?? '',
        isoSeconds(user.created),
        String(Boolean(user.password)),
        user.password?.lastUsed ? isoSeconds(user.password.lastUsed) : 'N/A',
        user.password ? isoSeconds(user.password.changed) : 'N/A',
        'N/A',
        String(Boolean(user.mfa)),
        ...keyColumns(user.keys?.[0]),
        ...keyColumns(user.keys?.[1]),
        'false',
        'N/A',
        'false',
        'N/A',
      ].join(','),
    );
  }
  // AWS caches the report; a few minutes before the as-of instant is what a fresh scan sees.
  const generated = new Date(new Date(AS_OF).getTime() - 12 * 60_000);
  return {
    Content: Buffer.from(`${lines.join('\n')}\n`, 'utf8').toString('base64'),
    ReportFormat: 'text/csv',
    GeneratedTime: isoSeconds(generated),
  };
}

function overlayVirtualMfa(list: Json, spec: AccountSpec): Json {
  const devices: Json[] = asArray(list.VirtualMFADevices).map((device) => {
    const motoUser = asRecord(device.User);
    const user = spec.users.find((u) => u.name === motoUser.UserName);
    if (!user?.mfa) throw new Error(`unexpected virtual MFA device ${String(device.SerialNumber)}`);
    const userOut: Json = {
      Path: user.path ?? '/',
      UserName: user.name,
      UserId: awsId('AIDA', `${spec.id}/user/${user.name}`),
      Arn: motoUser.Arn,
      CreateDate: isoSeconds(user.created),
    };
    if (user.password?.lastUsed) userOut.PasswordLastUsed = isoSeconds(user.password.lastUsed);
    // ListVirtualMFADevices never returns the seed or the QR code; moto does. Dropped, never stored.
    return { SerialNumber: device.SerialNumber, User: userOut, EnableDate: isoSeconds(user.mfa.enabled) };
  });
  if (spec.root.mfa?.kind === 'virtual') {
    const rootUser: Json = {
      Path: '/',
      UserName: '',
      UserId: spec.id,
      Arn: `arn:aws:iam::${spec.id}:root`,
      CreateDate: isoSeconds(spec.root.created),
    };
    if (spec.root.passwordLastUsed) rootUser.PasswordLastUsed = isoSeconds(spec.root.passwordLastUsed);
    devices.push({
      SerialNumber: `arn:aws:iam::${spec.id}:mfa/root-account-mfa-device`,
      User: rootUser,
      EnableDate: isoSeconds(spec.root.mfa.enabled),
    });
  }
  return { VirtualMFADevices: devices.sort(byKey('SerialNumber')) };
}

function overlaySummary(summary: Json, spec: AccountSpec): Json {
  const map = { ...asRecord(summary.SummaryMap) };
  map.AccountMFAEnabled = spec.root.mfa ? 1 : 0;
  map.AccountAccessKeysPresent = spec.root.key ? 1 : 0;
  map.AccountSigningCertificatesPresent = 0;
  return { SummaryMap: Object.fromEntries(Object.entries(map).sort(([a], [b]) => a.localeCompare(b))) };
}

function overlayOidc(provider: Json, spec: AccountSpec): Json {
  const url = String(provider.Url);
  const found = spec.oidcProviders.find((p) => p.url.replace(/^https:\/\//, '') === url.replace(/^https:\/\//, ''));
  if (!found) throw new Error(`unexpected OIDC provider ${url}`);
  return {
    Url: found.url.replace(/^https:\/\//, ''),
    ClientIDList: [...found.clientIds].sort(),
    ThumbprintList: [...found.thumbprints].sort(),
    CreateDate: isoSeconds(found.created),
    Tags: [],
  };
}

function overlaySaml(list: Json, spec: AccountSpec): Json {
  return {
    SAMLProviderList: asArray(list.SAMLProviderList)
      .map((entry) => {
        const name = policyNameOf(String(entry.Arn));
        const found = spec.samlProviders.find((p) => p.name === name);
        if (!found) throw new Error(`unexpected SAML provider ${name}`);
        return { Arn: entry.Arn, ValidUntil: isoSeconds(found.validUntil), CreateDate: isoSeconds(found.created) };
      })
      .sort(byKey('Arn')),
  };
}

export async function writeAccount(spec: AccountSpec, exported: Exported): Promise<void> {
  const dir = join(OUT, `${spec.id}-${spec.name}`);
  await mkdir(dir, { recursive: true });
  const files: [string, unknown][] = [
    ['get-account-authorization-details.json', overlayGaad(exported.gaad, spec)],
    ['get-credential-report.json', overlayCredentialReport(exported.credentialReport, spec)],
    ['list-virtual-mfa-devices.json', overlayVirtualMfa(exported.virtualMfa, spec)],
    ['get-account-summary.json', overlaySummary(exported.summary, spec)],
    ['list-account-aliases.json', { AccountAliases: exported.aliases.AccountAliases ?? [] }],
    [
      'list-open-id-connect-providers.json',
      { OpenIDConnectProviderList: asArray(exported.oidcList.OpenIDConnectProviderList).sort(byKey('Arn')) },
    ],
    ['list-saml-providers.json', overlaySaml(exported.saml, spec)],
    ['get-account-password-policy.json', { PasswordPolicy: spec.passwordPolicy }],
    ['list-server-certificates.json', { ServerCertificateMetadataList: spec.serverCertificates }],
  ];
  exported.oidc.forEach((provider, index) => {
    files.push([`get-open-id-connect-provider-${index + 1}.json`, overlayOidc(provider, spec)]);
  });
  for (const [name, content] of files) await writeFile(join(dir, name), json(content));
}
