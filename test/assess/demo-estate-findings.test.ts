import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { classifyUsers } from '../../src/assess/classify.js';
import { runChecks, trustFindings } from '../../src/assess/run-checks.js';
import { collectFromFiles } from '../../src/collect/files.js';
import { DEFAULT_CONFIG } from '../../src/config.js';
import type { Classification } from '../../src/model/classification.js';
import type { Finding } from '../../src/model/finding.js';
import type { Snapshot } from '../../src/model/snapshot.js';
import { buildContext } from './builders.js';

/**
 * The demo estate is seeded in moto and exported with the real AWS CLI (scripts/build-demo-estate.ts);
 * every date in it is relative to AS_OF, so assessing it at AS_OF gives fixed answers.
 */
const ESTATE = fileURLToPath(new URL('../../examples/demo-estate/', import.meta.url));
const AS_OF = new Date('2026-11-20T00:00:00Z');

describe('the demo estate, assessed', () => {
  let snapshot: Snapshot;
  let classifications: Classification[];
  let findings: Finding[];
  beforeAll(async () => {
    snapshot = await collectFromFiles(ESTATE, { now: () => AS_OF });
    classifications = classifyUsers(snapshot, { config: DEFAULT_CONFIG });
    findings = [
      ...runChecks(snapshot, buildContext(snapshot, { now: AS_OF, config: DEFAULT_CONFIG, classifications })),
      ...trustFindings(snapshot),
    ];
  });

  it('Given the Acme users, When classified, Then each gets the class its evidence supports', () => {
    const got = Object.fromEntries(
      classifications.map((c) => [
        `${c.accountId}/${c.userName}`,
        [c.class, c.ciProvider ?? c.runsOn ?? ''].join(' ').trim(),
      ]),
    );
    expect(got).toEqual({
      '111111111111/breakglass-admin': 'break-glass',
      '111111111111/li.chen': 'human',
      '111111111111/maria.garcia': 'human',
      '111111111111/tom.nguyen': 'human',
      '222222222222/backup-onprem-nas': 'workload on-prem',
      '222222222222/contractor-jdoe-s3': 'human',
      '222222222222/github-actions-deploy': 'ci-cd github-actions',
      '222222222222/maria.garcia': 'human',
      '222222222222/grafana-cloudwatch': 'third-party',
      '222222222222/signing-service-partner': 'third-party',
      '222222222222/vercel-app': 'ci-cd vercel',
      '333333333333/alex.kim': 'human',
      '333333333333/etl-loader': 'workload unknown',
      '333333333333/maria.garcia': 'human',
      '333333333333/priya.patel': 'human',
      '333333333333/reports-cron': 'workload unknown',
      '333333333333/sam.okafor': 'human',
    });
  });

  it('Given the estate at AS_OF, When every check and the trust analysis run, Then exactly the expected findings come out', () => {
    const got: Record<string, string[]> = {};
    for (const f of findings) {
      const list = got[f.checkId] ?? [];
      list.push(f.resourceType === 'role' ? `${f.accountId}/${f.resourceName}` : f.resourceName);
      got[f.checkId] = list;
    }
    for (const list of Object.values(got)) list.sort();
    expect(got).toEqual({
      'root-access-key': ['333333333333/<root>'],
      'root-mfa': ['333333333333/<root>'],
      'root-hardware-mfa': ['222222222222/<root>', '333333333333/<root>'],
      'console-password-without-mfa': [
        '111111111111/li.chen',
        '111111111111/tom.nguyen',
        '222222222222/grafana-cloudwatch',
        '333333333333/alex.kim',
        '333333333333/maria.garcia',
        '333333333333/sam.okafor',
      ],
      // sam.okafor: password and key set up 45 days ago and never used (CIS 1.11 and 1.12 both).
      'access-key-at-initial-setup': ['333333333333/sam.okafor'],
      'unused-credentials': [
        '111111111111/breakglass-admin',
        '222222222222/contractor-jdoe-s3',
        '222222222222/grafana-cloudwatch',
        '333333333333/maria.garcia',
        '333333333333/sam.okafor',
      ],
      'multiple-active-keys': ['333333333333/etl-loader'],
      'access-key-rotation': [
        '111111111111/maria.garcia',
        '111111111111/tom.nguyen',
        '222222222222/backup-onprem-nas',
        '222222222222/contractor-jdoe-s3',
        '222222222222/github-actions-deploy',
        '222222222222/grafana-cloudwatch',
        '222222222222/maria.garcia',
        '222222222222/vercel-app',
        '333333333333/alex.kim',
        '333333333333/etl-loader',
        '333333333333/maria.garcia',
        '333333333333/priya.patel',
      ],
      'user-attached-policies': [
        '111111111111/breakglass-admin',
        '111111111111/li.chen',
        '222222222222/backup-onprem-nas',
        '222222222222/contractor-jdoe-s3',
        '222222222222/github-actions-deploy',
        '222222222222/grafana-cloudwatch',
        '222222222222/signing-service-partner',
        '222222222222/vercel-app',
        '333333333333/alex.kim',
        '333333333333/etl-loader',
        '333333333333/reports-cron',
      ],
      // maria and tom through the Admins group, breakglass-admin directly; in 333 the Developers
      // group's PowerUserAccess allows every service but IAM, Organizations and Account ("all but").
      'full-admin-access': [
        '111111111111/Admins',
        '111111111111/breakglass-admin',
        '111111111111/maria.garcia',
        '111111111111/tom.nguyen',
        '333333333333/Developers',
        '333333333333/alex.kim',
        '333333333333/maria.garcia',
        '333333333333/priya.patel',
        '333333333333/sam.okafor',
      ],
      // Administrators (by the evaluator) whose MFA is virtual or absent; breakglass-admin holds a hardware key.
      'admin-hardware-mfa': [
        '111111111111/maria.garcia',
        '111111111111/tom.nguyen',
        '333333333333/alex.kim',
        '333333333333/maria.garcia',
        '333333333333/priya.patel',
        '333333333333/sam.okafor',
      ],
      // Members of Admins and of Developers (AdministratorAccess) without MFA.
      'admin-group-member-without-mfa': [
        '111111111111/tom.nguyen',
        '333333333333/maria.garcia',
        '333333333333/sam.okafor',
      ],
      // Administrator roles with who can assume them: the Identity Center and GitHub roles through their identity providers.
      'admin-role': [
        '111111111111/AWSReservedSSO_AdministratorAccess_3f4a9c2e81d07b65',
        '222222222222/OrganizationAccountAccessRole',
        '222222222222/github-actions-org',
        '333333333333/OrganizationAccountAccessRole',
      ],
      'human-user-with-identity-center': [
        '111111111111/li.chen',
        '111111111111/maria.garcia',
        '111111111111/tom.nguyen',
      ],
      'machine-user-console-password': ['222222222222/grafana-cloudwatch'],
      'person-in-several-accounts': [
        '111111111111/maria.garcia',
        '222222222222/maria.garcia',
        '333333333333/maria.garcia',
      ],
      'privilege-escalation': ['333333333333/alex.kim'],
      'unregistered-user': [
        '111111111111/breakglass-admin',
        '111111111111/li.chen',
        '111111111111/maria.garcia',
        '111111111111/tom.nguyen',
        '222222222222/backup-onprem-nas',
        '222222222222/contractor-jdoe-s3',
        '222222222222/github-actions-deploy',
        '222222222222/grafana-cloudwatch',
        '222222222222/maria.garcia',
        '222222222222/signing-service-partner',
        '222222222222/vercel-app',
        '333333333333/alex.kim',
        '333333333333/etl-loader',
        '333333333333/maria.garcia',
        '333333333333/priya.patel',
        '333333333333/sam.okafor',
      ],
      'trust-whole-account': [
        '222222222222/OrganizationAccountAccessRole',
        '333333333333/OrganizationAccountAccessRole',
      ],
      'oidc-subject-tenant-wide': ['222222222222/github-actions-org'],
      'trust-cross-account-no-external-id': ['222222222222/observa-integration'],
      // Management's password policy meets CIS; prod's is weak (8 characters, 5 remembered, 180 days), dev has none.
      'password-policy-length': ['222222222222 (acme-prod)', '333333333333 (acme-dev)'],
      'password-policy-reuse': ['222222222222 (acme-prod)', '333333333333 (acme-dev)'],
      'password-policy-complexity': ['222222222222 (acme-prod)', '333333333333 (acme-dev)'],
      'password-policy-expiry': ['222222222222 (acme-prod)', '333333333333 (acme-dev)'],
      'server-certificate-expired': ['222222222222/shop-acme-example-2025'],
      // Nobody holds AWSSupportAccess or SecurityAudit in the demo organisation.
      'support-role': ['111111111111 (acme-management)', '222222222222 (acme-prod)', '333333333333 (acme-dev)'],
      'security-audit-role': ['111111111111 (acme-management)', '222222222222 (acme-prod)', '333333333333 (acme-dev)'],
    });
  });

  it('Given the findings, Then none is a check that failed to run', () => {
    expect(findings.filter((f) => f.status === 'error')).toEqual([]);
  });
});
