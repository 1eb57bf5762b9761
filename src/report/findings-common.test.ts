import { describe, expect, it } from 'vitest';
import type { Finding } from '../model/finding.js';
import { sortFindings } from './findings-common.js';

function finding(checkId: string, accountId: string | null, severity: Finding['severity']): Finding {
  return {
    checkId,
    title: checkId,
    severity,
    status: 'fail',
    accountId,
    resourceType: 'user',
    resourceArn: null,
    resourceName: `${accountId ?? '-'}/${checkId}`,
    message: checkId,
    location: null,
    references: { cis: [], securityHub: [], links: [] },
    remediation: '',
  };
}

describe('sortFindings', () => {
  it('Given a quarantined user in the last account and critical root findings in the first, When sorted, Then the quarantine comes first, then account and severity order', () => {
    const sorted = sortFindings([
      finding('multiple-active-keys', '111111111111', 'medium'),
      finding('root-access-key', '111111111111', 'critical'),
      finding('compromised-key-quarantine', '999999999999', 'critical'),
      finding('stale-credential-report', null, 'high'),
      finding('root-mfa', '999999999999', 'critical'),
    ]);

    expect(sorted.map((f) => [f.checkId, f.accountId])).toEqual([
      ['compromised-key-quarantine', '999999999999'],
      ['root-access-key', '111111111111'],
      ['multiple-active-keys', '111111111111'],
      ['root-mfa', '999999999999'],
      ['stale-credential-report', null],
    ]);
  });
});
