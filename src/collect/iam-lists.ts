import { InputFileError } from '../errors.js';
import type { OidcProvider, SamlProvider, Tags, When } from '../model/snapshot.js';
import { UNKNOWN } from '../model/when.js';
import { whenFromAws } from './instant.js';
import { compare } from './gaad.js';

/**
 * Normalisers for the small IAM list/get answers, in both shapes: the AWS CLI's JSON files
 * (ISO strings) and the SDK's answers (Date objects). Pure; `source` names the file or API.
 */

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function dateOf(value: unknown, source: string): When {
  if (!(value instanceof Date) && typeof value !== 'string') return UNKNOWN;
  try {
    return whenFromAws(value);
  } catch {
    throw new InputFileError(source, `"${String(value)}" is not a date`);
  }
}

function records(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

function tagsOf(value: unknown): Tags {
  return Object.fromEntries(
    records(value)
      .filter((tag) => typeof tag.Key === 'string')
      .map((tag) => [tag.Key as string, typeof tag.Value === 'string' ? tag.Value : ''] as const)
      .sort(([a], [b]) => compare(a, b)),
  );
}

export interface VirtualMfaDevice {
  serial: string;
  /** The ARN of the user (or root) it is assigned to; null when unassigned. */
  userArn: string | null;
  enabledAt: When;
}

/** `list-virtual-mfa-devices` / ListVirtualMFADevices: `{ VirtualMFADevices: [...] }`. */
export function normalizeVirtualMfaDevices(answer: unknown, source: string): VirtualMfaDevice[] {
  if (!isRecord(answer) || !Array.isArray(answer.VirtualMFADevices)) {
    throw new InputFileError(source, 'not a ListVirtualMFADevices answer (no VirtualMFADevices list)');
  }
  return records(answer.VirtualMFADevices)
    .filter((device) => typeof device.SerialNumber === 'string')
    .map((device) => ({
      serial: device.SerialNumber as string,
      userArn: isRecord(device.User) && typeof device.User.Arn === 'string' ? device.User.Arn : null,
      enabledAt: dateOf(device.EnableDate, source),
    }))
    .sort((a, b) => compare(a.serial, b.serial));
}

/** `get-account-summary`: `{ SummaryMap: { Users: 3, AccountMFAEnabled: 1, ... } }`. */
export function normalizeAccountSummary(answer: unknown, source: string): Record<string, number> {
  if (!isRecord(answer) || !isRecord(answer.SummaryMap)) {
    throw new InputFileError(source, 'not a GetAccountSummary answer (no SummaryMap)');
  }
  return Object.fromEntries(
    Object.entries(answer.SummaryMap)
      .filter((entry): entry is [string, number] => typeof entry[1] === 'number')
      .sort(([a], [b]) => compare(a, b)),
  );
}

/** `list-account-aliases`: `{ AccountAliases: ["acme-prod"] }`. */
export function normalizeAccountAliases(answer: unknown, source: string): string[] {
  if (!isRecord(answer) || !Array.isArray(answer.AccountAliases)) {
    throw new InputFileError(source, 'not a ListAccountAliases answer (no AccountAliases list)');
  }
  return answer.AccountAliases.filter((alias): alias is string => typeof alias === 'string');
}

/** `list-open-id-connect-providers`: `{ OpenIDConnectProviderList: [{ Arn }] }`. */
export function normalizeOidcProviderList(answer: unknown, source: string): string[] {
  if (!isRecord(answer) || !Array.isArray(answer.OpenIDConnectProviderList)) {
    throw new InputFileError(source, 'not a ListOpenIDConnectProviders answer (no OpenIDConnectProviderList)');
  }
  return records(answer.OpenIDConnectProviderList)
    .map((entry) => entry.Arn)
    .filter((arn): arn is string => typeof arn === 'string')
    .sort(compare);
}

/** A provider known only from its ARN (listed, but its details not read): the URL is in the ARN. */
export function oidcProviderFromArn(arn: string): OidcProvider {
  return {
    arn,
    url: arn.slice(arn.indexOf(':oidc-provider/') + ':oidc-provider/'.length),
    clientIds: [],
    thumbprints: [],
    createDate: UNKNOWN,
    tags: {},
  };
}

/** IAM names an OIDC provider by its URL without the scheme. */
export function oidcProviderArn(accountId: string, url: string, partition = 'aws'): string {
  return `arn:${partition}:iam::${accountId}:oidc-provider/${url.replace(/^https?:\/\//, '')}`;
}

/**
 * `get-open-id-connect-provider`: Url, ClientIDList, ThumbprintList, CreateDate, Tags. The answer
 * has no ARN, so the caller passes the one it asked for (live) or it is derived from the URL (files).
 */
export function normalizeOidcProvider(
  answer: unknown,
  arn: string | null,
  accountId: string,
  source: string,
): OidcProvider {
  if (!isRecord(answer) || typeof answer.Url !== 'string') {
    throw new InputFileError(source, 'not a GetOpenIDConnectProvider answer (no Url)');
  }
  const url = answer.Url;
  const strings = (value: unknown): string[] =>
    (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []).sort(compare);
  return {
    arn: arn ?? oidcProviderArn(accountId, url),
    // Without the scheme, as IAM writes it in the provider ARN and in trust-policy condition keys.
    url: url.replace(/^https?:\/\//, ''),
    clientIds: strings(answer.ClientIDList),
    thumbprints: strings(answer.ThumbprintList),
    createDate: dateOf(answer.CreateDate, source),
    tags: tagsOf(answer.Tags),
  };
}

/** `list-saml-providers`: `{ SAMLProviderList: [{ Arn, ValidUntil, CreateDate }] }`. */
export function normalizeSamlProviders(answer: unknown, source: string): SamlProvider[] {
  if (!isRecord(answer) || !Array.isArray(answer.SAMLProviderList)) {
    throw new InputFileError(source, 'not a ListSAMLProviders answer (no SAMLProviderList)');
  }
  return records(answer.SAMLProviderList)
    .filter((entry) => typeof entry.Arn === 'string')
    .map((entry) => {
      const arn = entry.Arn as string;
      return {
        arn,
        name: arn.slice(arn.lastIndexOf('/') + 1),
        createDate: dateOf(entry.CreateDate, source),
        validUntil: dateOf(entry.ValidUntil, source),
      };
    })
    .sort((a, b) => compare(a.arn, b.arn));
}
