import { InputFileError } from '../errors.js';
import type { OidcProvider, SamlProvider, When } from '../model/snapshot.js';
import { UNKNOWN } from '../model/when.js';
import { compare } from './gaad.js';
import {
  dateAt,
  isRecord,
  optionalNumberAt,
  optionalStringAt,
  readShape,
  recordAt,
  recordsAt,
  requiredStringAt,
  stringsAt,
  tagsAt,
  type Json,
} from './shape.js';

/**
 * Normalisers for the small IAM list/get answers, in both shapes: the AWS CLI's JSON files
 * (ISO strings) and the SDK's answers (Date objects). Pure; `source` names the file or API.
 */

/** The answer itself, which must hold `list` as an array: the file is not that answer otherwise. */
function answerWith(answer: unknown, list: string, what: string, source: string): Json {
  if (!isRecord(answer) || !(list in answer)) throw new InputFileError(source, `not a ${what} answer (no ${list})`);
  return answer;
}

export interface VirtualMfaDevice {
  serial: string;
  /** The ARN of the user (or root) it is assigned to; null when unassigned. */
  userArn: string | null;
  enabledAt: When;
}

/** `list-virtual-mfa-devices` / ListVirtualMFADevices: `{ VirtualMFADevices: [...] }`. */
export function normalizeVirtualMfaDevices(answer: unknown, source: string): VirtualMfaDevice[] {
  const page = answerWith(answer, 'VirtualMFADevices', 'ListVirtualMFADevices', source);
  return readShape(source, () =>
    recordsAt(page, 'VirtualMFADevices', [])
      .map(({ entry, path }) => {
        const user = entry.User;
        return {
          serial: requiredStringAt(entry, 'SerialNumber', path),
          userArn:
            user === undefined || user === null
              ? null
              : optionalStringAt(recordAt(user, [...path, 'User']), 'Arn', [...path, 'User']),
          enabledAt: dateAt(entry, 'EnableDate', path),
        };
      })
      .sort((a, b) => compare(a.serial, b.serial)),
  );
}

/** `get-account-summary`: `{ SummaryMap: { Users: 3, AccountMFAEnabled: 1, ... } }`. */
export function normalizeAccountSummary(answer: unknown, source: string): Record<string, number> {
  const summary = answerWith(answer, 'SummaryMap', 'GetAccountSummary', source);
  return readShape(source, () => {
    const map = recordAt(summary.SummaryMap, ['SummaryMap']);
    const entries = Object.keys(map).map((key) => [key, optionalNumberAt(map, key, ['SummaryMap'])] as const);
    return Object.fromEntries(
      entries
        .filter((entry): entry is readonly [string, number] => entry[1] !== null)
        .sort(([a], [b]) => compare(a, b)),
    );
  });
}

/** `list-account-aliases`: `{ AccountAliases: ["acme-prod"] }`. */
export function normalizeAccountAliases(answer: unknown, source: string): string[] {
  const page = answerWith(answer, 'AccountAliases', 'ListAccountAliases', source);
  return readShape(source, () => stringsAt(page, 'AccountAliases', []));
}

/** `list-open-id-connect-providers`: `{ OpenIDConnectProviderList: [{ Arn }] }`. */
export function normalizeOidcProviderList(answer: unknown, source: string): string[] {
  const list = answerWith(answer, 'OpenIDConnectProviderList', 'ListOpenIDConnectProviders', source);
  return readShape(source, () =>
    recordsAt(list, 'OpenIDConnectProviderList', [])
      .map(({ entry, path }) => requiredStringAt(entry, 'Arn', path))
      .sort(compare),
  );
}

/** A provider known only by its ARN (listed, but its details not read): what the ARN tells. */
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
  return readShape(source, () => ({
    arn: arn ?? oidcProviderArn(accountId, url),
    // Without the scheme, as IAM writes it in the provider ARN and in trust-policy condition keys.
    url: url.replace(/^https?:\/\//, ''),
    clientIds: stringsAt(answer, 'ClientIDList', []).sort(compare),
    thumbprints: stringsAt(answer, 'ThumbprintList', []).sort(compare),
    createDate: dateAt(answer, 'CreateDate', []),
    tags: tagsAt(answer, 'Tags', []),
  }));
}

/** `list-saml-providers`: `{ SAMLProviderList: [{ Arn, ValidUntil, CreateDate }] }`. */
export function normalizeSamlProviders(answer: unknown, source: string): SamlProvider[] {
  const list = answerWith(answer, 'SAMLProviderList', 'ListSAMLProviders', source);
  return readShape(source, () =>
    recordsAt(list, 'SAMLProviderList', [])
      .map(({ entry, path }) => {
        const arn = requiredStringAt(entry, 'Arn', path);
        return {
          arn,
          name: arn.slice(arn.lastIndexOf('/') + 1),
          createDate: dateAt(entry, 'CreateDate', path),
          validUntil: dateAt(entry, 'ValidUntil', path),
        };
      })
      .sort((a, b) => compare(a.arn, b.arn)),
  );
}
