import { describe, expect, it } from 'vitest';
import { buildAccount, buildContext, buildSnapshot } from '../../../test/assess/builders.js';
import type { OrgAccessReport } from '../../model/access-advisor.js';
import type { Snapshot } from '../../model/snapshot.js';
import { NEVER, whenAt } from '../../model/when.js';
import { checkById } from '../registry.js';

const ORG_PATH = 'o-a1b2c3d4e5/r-ab12';
const RECENT = '2026-11-01T00:00:00Z';
const LONG_AGO = '2026-03-01T00:00:00Z';

/** Account ids, and aliases that state the verdict the account's report must get. */
const FIXTURES = {
  '222222222222': 'fail-sqs-unused-for-months',
  '333333333333': 'fail-kms-never-used',
  '444444444444': 'pass-uses-every-allowed-service',
  '555555555555': 'none-partial-report-all-used',
  '666666666666': 'none-no-report-date',
} as const;

/** A report generated 2026-11-22 for an entity: allowed services by namespace and last use (null: never). */
function reported(
  targetId: string,
  services: Record<string, string | null>,
  options: { entity?: OrgAccessReport['entity']; complete?: boolean; dated?: boolean } = {},
): OrgAccessReport {
  return {
    entityPath: `${ORG_PATH}/${targetId}`,
    entity: options.entity ?? 'account',
    targetId,
    generatedAt: options.dated === false ? NEVER : whenAt('2026-11-22T00:00:00Z'),
    complete: options.complete ?? true,
    servicesAllowed: Object.keys(services).length,
    servicesNotAccessed: null,
    services: Object.entries(services).map(([service, last]) => ({
      service,
      name: service,
      lastAuthenticated: last === null ? NEVER : whenAt(last),
      entityPath: null,
      region: null,
      totalAuthenticatedEntities: null,
    })),
  };
}

function organizationWith(accessReports: OrgAccessReport[] | undefined): Snapshot {
  const accounts = Object.entries(FIXTURES).map(([id, alias]) => buildAccount(id, { alias }));
  return buildSnapshot(accounts, {
    organization: {
      id: 'o-a1b2c3d4e5',
      managementAccountId: '111111111111',
      accounts: [],
      scps: [],
      ...(accessReports === undefined ? {} : { accessReports }),
    },
  });
}

function run(snapshot: Snapshot) {
  const check = checkById('scp-allows-unused-services');
  if (!check) throw new Error('no check scp-allows-unused-services');
  return check.evaluate(snapshot, buildContext(snapshot));
}

describe('scp-allows-unused-services', () => {
  it('Given account reports whose aliases state the verdict and an OU report, When checked, Then exactly the promised accounts pass and fail and the OU gets no result', () => {
    const snapshot = organizationWith([
      reported('222222222222', { s3: RECENT, sqs: LONG_AGO }),
      reported('333333333333', { kms: null, s3: RECENT }),
      reported('444444444444', { s3: RECENT, sqs: RECENT }),
      // Unread pages may list unused services: no pass on a partial report.
      reported('555555555555', { s3: RECENT }, { complete: false }),
      reported('666666666666', { s3: RECENT }, { dated: false }),
      reported('ou-ab12-prod0001', { kms: null }, { entity: 'ou' }),
    ]);

    const results = run(snapshot);

    const named = (status: string) =>
      results
        .filter((result) => result.status === status)
        .map((result) => result.resourceName)
        .sort();
    expect(named('fail')).toEqual(['222222222222 (fail-sqs-unused-for-months)', '333333333333 (fail-kms-never-used)']);
    expect(named('pass')).toEqual(['444444444444 (pass-uses-every-allowed-service)']);
    expect(results.every((result) => result.resourceType === 'account')).toBe(true);
  });

  it('Given an account whose report was read only in part, When one allowed service is unused, Then the message says at least, counts, names and gives the entity path', () => {
    const snapshot = organizationWith([
      reported('555555555555', { kms: null, s3: RECENT, sqs: LONG_AGO }, { complete: false }),
    ]);

    const [result] = run(snapshot);

    expect(result?.message).toBe(
      `at least 2 of 3 service(s) its SCPs allow unused by every principal in the account for 90+ days (1 never used); an SCP allow-list for ${ORG_PATH}/555555555555 would take away kms, sqs`,
    );
  });

  it('Given an Organization scanned without --access-advisor, When checked, Then there is no result at all', () => {
    expect(run(organizationWith(undefined))).toEqual([]);
  });
});
