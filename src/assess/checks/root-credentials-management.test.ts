import { describe, expect, it } from 'vitest';
import { buildAccount, buildContext, buildSnapshot } from '../../../test/assess/builders.js';
import type { RootAccess } from '../../model/organization.js';
import { checkById } from '../registry.js';

/**
 * Prowler iam_root_credentials_management_enabled. Organization ids state the verdict: o-fail*
 * must fail, o-pass* must pass, o-none* must get no verdict.
 */
function organization(id: string, enabledFeatures: string[]): RootAccess {
  return { organizationId: id, managementAccountId: '111111111111', enabledFeatures };
}

function resultsOf(rootAccess: RootAccess | undefined) {
  const check = checkById('root-credentials-management');
  if (!check) throw new Error('no check root-credentials-management');
  const snapshot = buildSnapshot([buildAccount('111111111111')], rootAccess === undefined ? {} : { rootAccess });
  return check.evaluate(snapshot, buildContext(snapshot));
}

describe('root-credentials-management (Prowler iam_root_credentials_management_enabled)', () => {
  it('Given an organization with no centralised root access feature, When checked, Then it fails on the management account and says root sessions are off', () => {
    expect(resultsOf(organization('o-failnone', []))).toEqual([
      expect.objectContaining({
        status: 'fail',
        accountId: '111111111111',
        resourceArn: null,
        resourceName: '111111111111 (organization o-failnone)',
        message:
          "member accounts' root credentials are not centrally managed (RootCredentialsManagement not enabled); root sessions (RootSessions) are not enabled",
      }),
    ]);
  });

  it('Given root sessions on but root credentials management off, When checked, Then it fails and notes root sessions', () => {
    expect(resultsOf(organization('o-failsessions', ['RootSessions']))).toEqual([
      expect.objectContaining({
        status: 'fail',
        message:
          "member accounts' root credentials are not centrally managed (RootCredentialsManagement not enabled); root sessions are enabled",
      }),
    ]);
  });

  it('Given root credentials management enabled, When checked, Then it passes and says whether root sessions are on', () => {
    expect(resultsOf(organization('o-passboth', ['RootCredentialsManagement', 'RootSessions']))).toEqual([
      expect.objectContaining({
        status: 'pass',
        message: "member accounts' root credentials are centrally managed; root sessions are enabled",
      }),
    ]);
    expect(resultsOf(organization('o-passcredentials', ['RootCredentialsManagement']))[0]?.message).toContain(
      'root sessions (RootSessions) are not enabled',
    );
  });

  it('Given the features were not read (a gap, a single-account scan or an export without the file), When checked, Then there is no verdict', () => {
    expect(resultsOf(undefined)).toEqual([]);
  });
});
