import { describe, expect, it } from 'vitest';
import {
  normalizeAccountAliases,
  normalizeAccountSummary,
  normalizeOidcProvider,
  normalizeSamlProviders,
  normalizeVirtualMfaDevices,
  oidcProviderArn,
} from './iam-lists.js';

describe('IAM list normalisers accept the CLI file and the SDK answer alike', () => {
  it('Given a get-open-id-connect-provider file (no ARN in it), When normalised, Then the ARN comes from the URL', () => {
    const provider = normalizeOidcProvider(
      {
        Url: 'token.actions.githubusercontent.com',
        ClientIDList: ['sts.amazonaws.com'],
        ThumbprintList: ['b', 'a'],
        CreateDate: '2026-01-01T00:00:00.000001+00:00',
        Tags: [],
      },
      null,
      '123456789012',
      'get-open-id-connect-provider-github.json',
    );
    expect(provider).toEqual({
      arn: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
      url: 'token.actions.githubusercontent.com',
      clientIds: ['sts.amazonaws.com'],
      thumbprints: ['a', 'b'],
      createDate: { state: 'at', at: '2026-01-01T00:00:00Z' },
      tags: {},
    });
  });

  it.each([
    ['https://gitlab.example.com/group', 'arn:aws:iam::111111111111:oidc-provider/gitlab.example.com/group'],
    [
      'token.actions.githubusercontent.com',
      'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com',
    ],
  ])('Given the URL %s, When the ARN is derived, Then it is %s', (url, arn) => {
    expect(oidcProviderArn('111111111111', url)).toBe(arn);
  });

  it('Given virtual devices from the SDK with Date objects, When normalised, Then users and dates are kept and sorted by serial', () => {
    const devices = normalizeVirtualMfaDevices(
      {
        VirtualMFADevices: [
          {
            SerialNumber: 'arn:aws:iam::1:mfa/z',
            User: { Arn: 'arn:aws:iam::1:user/z' },
            EnableDate: new Date('2026-02-02T00:00:00Z'),
          },
          { SerialNumber: 'arn:aws:iam::1:mfa/a' },
        ],
      },
      'sdk',
    );
    expect(devices).toEqual([
      { serial: 'arn:aws:iam::1:mfa/a', userArn: null, enabledAt: { state: 'unknown' } },
      {
        serial: 'arn:aws:iam::1:mfa/z',
        userArn: 'arn:aws:iam::1:user/z',
        enabledAt: { state: 'at', at: '2026-02-02T00:00:00Z' },
      },
    ]);
  });

  it('Given SAML providers, When normalised, Then the name is the ARN resource', () => {
    expect(
      normalizeSamlProviders(
        {
          SAMLProviderList: [
            { Arn: 'arn:aws:iam::1:saml-provider/AWSSSO_ab12_DO_NOT_DELETE', ValidUntil: '2030-01-01T00:00:00Z' },
          ],
        },
        'f',
      )[0],
    ).toMatchObject({
      name: 'AWSSSO_ab12_DO_NOT_DELETE',
      validUntil: { state: 'at', at: '2030-01-01T00:00:00Z' },
      createDate: { state: 'unknown' },
    });
  });

  it('Given a summary and aliases, When normalised, Then numbers and names are kept', () => {
    expect(normalizeAccountSummary({ SummaryMap: { Users: 3, AccountMFAEnabled: 1 } }, 'f')).toEqual({
      AccountMFAEnabled: 1,
      Users: 3,
    });
    expect(normalizeAccountAliases({ AccountAliases: ['acme-prod'], IsTruncated: false }, 'f')).toEqual(['acme-prod']);
  });

  it.each([
    [
      'virtual MFA',
      () => normalizeVirtualMfaDevices({}, 'x.json'),
      'x.json: not a ListVirtualMFADevices answer (no VirtualMFADevices)',
    ],
    [
      'summary',
      () => normalizeAccountSummary({ Summary: {} }, 'x.json'),
      'x.json: not a GetAccountSummary answer (no SummaryMap)',
    ],
    [
      'OIDC provider',
      () => normalizeOidcProvider({ ClientIDList: [] }, null, '1', 'x.json'),
      'x.json: not a GetOpenIDConnectProvider answer (no Url)',
    ],
  ])('Given a %s answer of the wrong shape, When normalised, Then the error names the file', (_label, run, message) => {
    expect(run).toThrow(message);
  });

  it.each([
    [
      'a device entry that is a string',
      () => normalizeVirtualMfaDevices({ VirtualMFADevices: ['arn:aws:iam::1:mfa/a'] }, 'x.json'),
      'x.json: VirtualMFADevices[0]: expected an object, found a string',
    ],
    [
      'devices given as an object',
      () => normalizeVirtualMfaDevices({ VirtualMFADevices: { member: [] } }, 'x.json'),
      'x.json: VirtualMFADevices: expected an array, found an object',
    ],
    [
      'an alias that is a number',
      () => normalizeAccountAliases({ AccountAliases: [7] }, 'x.json'),
      'x.json: AccountAliases[0]: expected a string, found a number',
    ],
    [
      'a SAML provider without an ARN',
      () => normalizeSamlProviders({ SAMLProviderList: [{ ValidUntil: '2030-01-01T00:00:00Z' }] }, 'x.json'),
      'x.json: SAMLProviderList[0].Arn: missing',
    ],
    [
      'a summary value that is text',
      () => normalizeAccountSummary({ SummaryMap: { Users: 'three' } }, 'x.json'),
      'x.json: SummaryMap.Users: expected a number, found a string',
    ],
    [
      'provider tags given as an object',
      () => normalizeOidcProvider({ Url: 'gitlab.com', Tags: { a: 'b' } }, null, '1', 'x.json'),
      'x.json: Tags: expected an array, found an object',
    ],
  ])('Given %s, When normalised, Then the error gives the path instead of dropping it', (_label, run, message) => {
    expect(run).toThrow(message);
  });
});
