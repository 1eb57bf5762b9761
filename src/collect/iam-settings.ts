import { InputFileError } from '../errors.js';
import type { PasswordPolicy, ServerCertificate } from '../model/snapshot.js';
import { compare } from './gaad.js';
import {
  dateAt,
  isRecord,
  optionalBooleanAt,
  optionalNumberAt,
  optionalStringAt,
  readShape,
  recordAt,
  recordsAt,
  requiredStringAt,
} from './shape.js';

/**
 * Normalisers for the account-wide IAM settings the checks read beside the identities: the
 * password policy and the server certificates. Both
 * shapes: the AWS CLI's JSON files and the SDK's answers. Pure; `source` names the file or API.
 */

/**
 * `get-account-password-policy`: `{ PasswordPolicy: {...} }`. An account without a policy makes
 * AWS answer NoSuchEntity; the live scan and the export script record that as
 * `{ "PasswordPolicy": null }`, which is a policy-less account, not a missing answer.
 */
export function normalizePasswordPolicy(answer: unknown, source: string): PasswordPolicy {
  if (!isRecord(answer) || !('PasswordPolicy' in answer))
    throw new InputFileError(source, 'not a GetAccountPasswordPolicy answer (no PasswordPolicy)');
  if (answer.PasswordPolicy === null) return { state: 'none' };
  return readShape(source, () => {
    const policy = recordAt(answer.PasswordPolicy, ['PasswordPolicy']);
    const at = ['PasswordPolicy'];
    const flag = (key: string) => optionalBooleanAt(policy, key, at) === true;
    const positive = (key: string) => {
      const value = optionalNumberAt(policy, key, at);
      return value === null || value <= 0 ? null : value;
    };
    return {
      state: 'set',
      minimumLength: positive('MinimumPasswordLength'),
      requireUppercase: flag('RequireUppercaseCharacters'),
      requireLowercase: flag('RequireLowercaseCharacters'),
      requireNumbers: flag('RequireNumbers'),
      requireSymbols: flag('RequireSymbols'),
      // moto answers MaxPasswordAge 0 with ExpirePasswords false; AWS leaves it out: both mean never.
      maxAgeDays: optionalBooleanAt(policy, 'ExpirePasswords', at) === false ? null : positive('MaxPasswordAge'),
      reusePrevention: positive('PasswordReusePrevention'),
      allowUsersToChange: flag('AllowUsersToChangePassword'),
      hardExpiry: flag('HardExpiry'),
    };
  });
}

/** `list-server-certificates`: `{ ServerCertificateMetadataList: [{ Arn, ServerCertificateName, Expiration, ... }] }`. */
export function normalizeServerCertificates(answer: unknown, source: string): ServerCertificate[] {
  if (!isRecord(answer) || !('ServerCertificateMetadataList' in answer))
    throw new InputFileError(source, 'not a ListServerCertificates answer (no ServerCertificateMetadataList)');
  return readShape(source, () =>
    recordsAt(answer, 'ServerCertificateMetadataList', [])
      .map(({ entry, path }) => ({
        arn: requiredStringAt(entry, 'Arn', path),
        name: requiredStringAt(entry, 'ServerCertificateName', path),
        id: optionalStringAt(entry, 'ServerCertificateId', path),
        path: optionalStringAt(entry, 'Path', path) ?? '/',
        uploadDate: dateAt(entry, 'UploadDate', path),
        expiration: dateAt(entry, 'Expiration', path),
      }))
      .sort((a, b) => compare(a.arn, b.arn)),
  );
}
