import { describe, expect, it } from 'vitest';
import { InputFileError } from '../errors.js';
import { normalizePasswordPolicy, normalizeServerCertificates } from './iam-settings.js';

describe('normalizePasswordPolicy', () => {
  it('Given {"PasswordPolicy": null} (what export-script saves for NoSuchEntity), When read, Then the account has no policy', () => {
    expect(normalizePasswordPolicy({ PasswordPolicy: null }, 'f.json')).toEqual({ state: 'none' });
  });

  it("Given moto's MaxPasswordAge 0 with ExpirePasswords false, When read, Then passwords never expire and unset flags are false", () => {
    const policy = normalizePasswordPolicy(
      {
        PasswordPolicy: { MinimumPasswordLength: 14, ExpirePasswords: false, MaxPasswordAge: 0, RequireSymbols: true },
      },
      'f.json',
    );
    expect(policy).toEqual({
      state: 'set',
      minimumLength: 14,
      requireUppercase: false,
      requireLowercase: false,
      requireNumbers: false,
      requireSymbols: true,
      maxAgeDays: null,
      reusePrevention: null,
      allowUsersToChange: false,
      hardExpiry: false,
    });
  });

  it("Given AWS's answer with an expiry and reuse prevention, When read, Then both are kept", () => {
    expect(
      normalizePasswordPolicy(
        { PasswordPolicy: { ExpirePasswords: true, MaxPasswordAge: 90, PasswordReusePrevention: 24 } },
        'f.json',
      ),
    ).toMatchObject({ maxAgeDays: 90, reusePrevention: 24 });
  });

  it("Given another command's output, When read, Then it is an input error naming the file", () => {
    expect(() => normalizePasswordPolicy({ Users: [] }, 'wrong.json')).toThrow(InputFileError);
    expect(() => normalizePasswordPolicy({ PasswordPolicy: { MinimumPasswordLength: 'long' } }, 'bad.json')).toThrow(
      /bad\.json/,
    );
  });
});

describe('normalizeServerCertificates', () => {
  it('Given the AWS CLI list, When read, Then certificates are sorted by ARN with their dates', () => {
    const entry = (name: string) => ({
      ServerCertificateName: name,
      Arn: `arn:aws:iam::111111111111:server-certificate/${name}`,
      Path: '/',
      UploadDate: '2025-01-01T00:00:00+00:00',
      Expiration: '2026-01-01T00:00:00+00:00',
    });
    const read = normalizeServerCertificates({ ServerCertificateMetadataList: [entry('b'), entry('a')] }, 'f.json');
    expect(read.map((certificate) => certificate.name)).toEqual(['a', 'b']);
    expect(read[0]?.expiration).toEqual({ state: 'at', at: '2026-01-01T00:00:00Z' });
  });

  it('Given an entry without an ARN, When read, Then it is an input error', () => {
    expect(() =>
      normalizeServerCertificates({ ServerCertificateMetadataList: [{ ServerCertificateName: 'x' }] }, 'f.json'),
    ).toThrow(InputFileError);
  });
});
