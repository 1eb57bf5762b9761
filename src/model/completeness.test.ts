import { describe, expect, it } from 'vitest';
import { buildSnapshot } from '../../test/fixtures/build-snapshot.js';
import { isTrendable, organizationGaps } from './completeness.js';
import type { Gap } from './snapshot.js';

const accountGap: Gap = {
  accountId: '111111111111',
  region: null,
  api: 'iam:GetAccountAuthorizationDetails',
  errorCode: 'AccessDenied',
  message: 'denied',
};
const listingGap: Gap = {
  accountId: '123456789012',
  region: null,
  api: 'organizations:ListAccounts',
  errorCode: 'TooManyRequestsException',
  message: 'throttled',
  scope: 'organization',
};

describe('isTrendable', () => {
  it('Given a complete scan, When asked, Then it is a trend point', () => {
    expect(isTrendable(buildSnapshot([], { gaps: [] }))).toBe(true);
  });

  it('Given a gap inside one account, When asked, Then the scan is still a trend point (the account is named as incomplete)', () => {
    expect(isTrendable(buildSnapshot([], { gaps: [accountGap] }))).toBe(true);
  });

  it('Given the Organization listing failed, When asked, Then the scan is never a trend point and the gap is named', () => {
    const snapshot = buildSnapshot([], { gaps: [accountGap, listingGap] });
    expect(isTrendable(snapshot)).toBe(false);
    expect(organizationGaps(snapshot)).toEqual([listingGap]);
  });
});
