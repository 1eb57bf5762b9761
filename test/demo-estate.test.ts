import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { accessKeyIdOf } from '../scripts/demo-estate/ids.js';
import { collectFromFiles } from '../src/collect/files.js';
import type { Account, Snapshot, User } from '../src/model/snapshot.js';
import { daysSince } from '../src/model/when.js';

/**
 * The demo estate is what `npm run demo` and every later feature show; these tests pin the facts
 * it promises (examples/demo-estate/README.md), so a regeneration that loses one fails here.
 */
const ESTATE = fileURLToPath(new URL('../examples/demo-estate/', import.meta.url));
const AS_OF = new Date('2026-11-20T00:00:00Z');
const ACCOUNT_FOLDERS = ['111111111111-management', '222222222222-prod', '333333333333-dev'];
const FILES = [
  'get-account-authorization-details.json',
  'get-account-password-policy.json',
  'get-account-summary.json',
  'get-credential-report.json',
  'list-account-aliases.json',
  'list-open-id-connect-providers.json',
  'list-saml-providers.json',
  'list-server-certificates.json',
  'list-virtual-mfa-devices.json',
];

type Json = Record<string, unknown>;
const readJson = (path: string): Json => JSON.parse(readFileSync(join(ESTATE, path), 'utf8')) as Json;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('demo estate files, as the AWS CLI writes them', () => {
  it.each(ACCOUNT_FOLDERS)('Given the %s folder, When listed, Then it holds exactly the fixed file names', (folder) => {
    const expected = folder.endsWith('-prod') ? [...FILES, 'get-open-id-connect-provider-1.json'].sort() : FILES;
    expect(readdirSync(join(ESTATE, folder)).sort()).toEqual(expected);
  });

  it.each(ACCOUNT_FOLDERS)(
    'Given the %s credential report, When decoded, Then it is the base64 CSV of the real API with a root row',
    (folder) => {
      const report = readJson(`${folder}/get-credential-report.json`);
      expect(report.ReportFormat).toBe('text/csv');
      expect(report.GeneratedTime).toBe('2026-11-19T23:48:00+00:00');
      const lines = Buffer.from(String(report.Content), 'base64').toString('utf8').trim().split('\n');
      expect(lines[0]?.split(',')).toHaveLength(22);
      expect(lines[1]?.startsWith(`<root_account>,arn:aws:iam::${folder.slice(0, 12)}:root,`)).toBe(true);
      expect(lines.every((line) => line.split(',').length === 22)).toBe(true);
    },
  );

  it.each(ACCOUNT_FOLDERS)(
    'Given the %s virtual MFA list, When read, Then it carries no seed or QR code (moto returns them; AWS does not)',
    (folder) => {
      const text = readFileSync(join(ESTATE, folder, 'list-virtual-mfa-devices.json'), 'utf8');
      expect(text).not.toMatch(/Base32StringSeed|QRCodePNG/);
    },
  );

  it('Given the account summaries, When read, Then only dev has a root access key and only dev lacks root MFA', () => {
    const summary = (folder: string) => readJson(`${folder}/get-account-summary.json`).SummaryMap as Json;
    expect(
      ACCOUNT_FOLDERS.map((folder) => [summary(folder).AccountAccessKeysPresent, summary(folder).AccountMFAEnabled]),
    ).toEqual([
      [0, 1],
      [0, 1],
      [1, 0],
    ]);
  });

  it('Given the GAAD files, When read, Then AWS-managed policies are only those attached somewhere, as in a real export', () => {
    for (const folder of ACCOUNT_FOLDERS) {
      const policies = readJson(`${folder}/get-account-authorization-details.json`).Policies as Json[];
      const awsManaged = policies.filter((policy) => String(policy.Arn).startsWith('arn:aws:iam::aws:'));
      expect(awsManaged.length).toBeGreaterThan(0);
      expect(
        awsManaged.every((policy) => Number(policy.AttachmentCount) > 0 && typeof policy.PolicyName === 'string'),
      ).toBe(true);
    }
  });
});

describe('demo estate, scanned with collectFromFiles', () => {
  let snapshot: Snapshot;
  const account = (id: string): Account => {
    const found = snapshot.accounts.find((a) => a.accountId === id);
    if (!found) throw new Error(`no account ${id}`);
    return found;
  };
  const user = (accountId: string, name: string): User => {
    const found = account(accountId).users.find((u) => u.name === name);
    if (!found) throw new Error(`no user ${name} in ${accountId}`);
    return found;
  };

  beforeAll(async () => {
    // The folder as shipped, CloudTrail sample included: what `npm run demo` scans.
    snapshot = await collectFromFiles(ESTATE, { now: () => AS_OF });
  });

  it('Given the scan, When counted, Then there are three accounts with their aliases and 17 IAM users', () => {
    expect(snapshot.accounts.map((a) => [a.accountId, a.alias, a.users.length])).toEqual([
      ['111111111111', 'acme-management', 4],
      ['222222222222', 'acme-prod', 7],
      ['333333333333', 'acme-dev', 6],
    ]);
    expect(snapshot.collection.warnings).toEqual([]);
  });

  it('Given maria.garcia, When looked up, Then she has a user in all three accounts with the same email tag', () => {
    const marias = snapshot.accounts.map((a) => a.users.find((u) => u.name === 'maria.garcia'));
    expect(marias.map((u) => u?.tags.email)).toEqual([
      'maria.garcia@acme.example',
      'maria.garcia@acme.example',
      'maria.garcia@acme.example',
    ]);
    expect(marias.map((u) => u?.mfaActive)).toEqual([true, true, false]);
  });

  it('Given the root rows, When read, Then dev has an active root key and management/prod have hardware/virtual root MFA', () => {
    const dev = account('333333333333').root;
    expect(dev?.accessKeys.filter((key) => key.status === 'Active')).toHaveLength(1);
    expect(dev?.mfaActive).toBe(false);
    expect(account('111111111111').root).toMatchObject({ mfaActive: true, hardwareMfa: true, accessKeys: [] });
    expect(account('222222222222').root).toMatchObject({ mfaActive: true, hardwareMfa: false, accessKeys: [] });
  });

  it('Given the contractor user, When its key is aged, Then it is over two years old, never rotated and unused for over a year', () => {
    const contractor = user('222222222222', 'contractor-jdoe-s3');
    const [key] = contractor.accessKeys;
    expect(contractor.accessKeys).toHaveLength(1);
    expect(key?.status).toBe('Active');
    expect(daysSince(key?.lastRotated ?? { state: 'never' }, AS_OF)).toBeGreaterThanOrEqual(730);
    expect(daysSince(key?.lastUsed ?? { state: 'never' }, AS_OF)).toBeGreaterThan(365);
    expect(contractor.password.enabled).toBe(false);
  });

  it('Given the workload users, When their keys are read, Then last use, service and region are set as the CloudTrail sample shows', () => {
    const used = (accountId: string, name: string) => {
      const key = user(accountId, name).accessKeys[0];
      return [daysSince(key?.lastUsed ?? { state: 'never' }, AS_OF), key?.lastUsedService, key?.lastUsedRegion];
    };
    expect(used('222222222222', 'github-actions-deploy')).toEqual([0, 'cloudformation', 'us-east-1']);
    expect(used('222222222222', 'vercel-app')).toEqual([0, 'dynamodb', 'us-east-1']);
    expect(used('222222222222', 'backup-onprem-nas')).toEqual([0, 's3', 'us-east-1']);
    expect(user('222222222222', 'signing-service-partner').tags.purpose).toBe(
      'third-party code signing; vendor cannot assume roles',
    );
  });

  it('Given breakglass-admin, When read, Then it has a console password, hardware MFA, AdministratorAccess and no keys', () => {
    const breakglass = user('111111111111', 'breakglass-admin');
    expect(breakglass.password.enabled).toBe(true);
    expect(breakglass.mfaActive).toBe(true);
    expect(breakglass.mfaDevices.some((device) => device.kind === 'virtual')).toBe(false);
    expect(breakglass.attachedPolicies.map((p) => p.name)).toEqual(['AdministratorAccess']);
    expect(breakglass.accessKeys.filter((key) => key.status === 'Active')).toEqual([]);
  });

  it('Given the CIS-shaped cases, When read, Then each is present exactly where the README says', () => {
    const tom = user('111111111111', 'tom.nguyen');
    expect(tom.attachedPolicies).toEqual([]);
    expect(tom.groups).toEqual(['Admins']);
    expect(
      account('111111111111')
        .groups.find((g) => g.name === 'Admins')
        ?.attachedPolicies.map((p) => p.name),
    ).toEqual(['AdministratorAccess']);

    expect(user('333333333333', 'etl-loader').accessKeys.filter((key) => key.status === 'Active')).toHaveLength(2);

    const sam = user('333333333333', 'sam.okafor');
    expect(sam.password.enabled).toBe(true);
    expect(sam.password.lastUsed.state).toBe('never');
    expect(sam.accessKeys.map((key) => [key.lastUsed.state, key.lastRotated])).toEqual([
      ['never', sam.password.lastChanged],
    ]);

    const grafana = user('222222222222', 'grafana-cloudwatch');
    expect([grafana.path, grafana.password.enabled, grafana.accessKeys.length]).toEqual(['/service/', true, 1]);

    expect(
      user('333333333333', 'alex.kim')
        .attachedPolicies.map((p) => p.name)
        .sort(),
    ).toEqual(['IAMFullAccess', 'PowerUserAccess']);
    expect(user('333333333333', 'reports-cron').accessKeys.map((key) => key.status)).toEqual(['Inactive']);
  });

  it('Given the roles, When their trust policies are read, Then the GitHub, vendor and Identity Center cases are there', () => {
    const prod = account('222222222222');
    const trustText = (name: string) => JSON.stringify(prod.roles.find((r) => r.name === name)?.trustPolicy);
    expect(trustText('github-actions-org')).toContain('"repo:acme/*"');
    expect(trustText('github-actions-webapp-deploy')).toContain('"repo:acme/webapp:ref:refs/heads/main"');
    expect(trustText('github-actions-webapp-deploy')).toContain('"sts.amazonaws.com"');
    expect(trustText('observa-integration')).toContain('arn:aws:iam::999988887777:root');
    expect(trustText('observa-integration')).not.toContain('ExternalId');
    expect(prod.oidcProviders.map((p) => [p.url, p.clientIds])).toEqual([
      ['token.actions.githubusercontent.com', ['sts.amazonaws.com']],
    ]);

    expect(snapshot.accounts.map((a) => a.identityCenter.inUse)).toEqual([true, false, false]);
    expect(account('111111111111').samlProviders.map((p) => p.name)).toEqual(['AWSSSO_9c1e2b7a4d6f3058_DO_NOT_DELETE']);
  });
});

describe('demo estate CloudTrail sample', () => {
  const trailRoot = join(ESTATE, 'cloudtrail');
  const files = filesUnder(trailRoot).sort();
  const records = files.flatMap(
    (file) => (JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as { Records: Json[] }).Records,
  );
  const identity = (record: Json) => record.userIdentity as Json;

  it('Given the files, When their paths are checked, Then every one follows the org-trail S3 delivery layout', () => {
    const layout =
      /^AWSLogs\/o-acme12345\/(\d{12})\/CloudTrail\/([a-z0-9-]+)\/(\d{4})\/(\d{2})\/(\d{2})\/\1_CloudTrail_\2_\3\4\5T\d{4}Z_[A-Za-z0-9]{16}\.json\.gz$/;
    expect(files.length).toBeGreaterThan(50);
    for (const file of files) expect(relative(trailRoot, file).split(sep).join('/')).toMatch(layout);
  });

  it('Given the records, When counted, Then there are a few hundred with the fields CloudTrail always writes', () => {
    expect(records.length).toBeGreaterThanOrEqual(200);
    expect(records.length).toBeLessThanOrEqual(600);
    for (const record of records) {
      expect(record).toMatchObject({
        eventVersion: expect.any(String),
        eventSource: expect.any(String),
        eventName: expect.any(String),
        eventID: expect.any(String),
      });
    }
    expect(new Set(records.map((record) => record.eventID)).size).toBe(records.length);
  });

  it('Given each IAM user key used inside the sample window, When its last successful event is found, Then it matches the credential report', () => {
    const windowStart = Date.parse('2026-11-13T00:00:00Z');
    let checked = 0;
    for (const folder of ACCOUNT_FOLDERS) {
      const csv = Buffer.from(String(readJson(`${folder}/get-credential-report.json`).Content), 'base64')
        .toString('utf8')
        .trim()
        .split('\n')
        .slice(1);
      for (const row of csv) {
        const cells = row.split(',');
        const name = cells[0] ?? '';
        for (const offset of [10, 15]) {
          const lastUsed = cells[offset] ?? 'N/A';
          if (name === '<root_account>' || lastUsed === 'N/A' || Date.parse(lastUsed) < windowStart) continue;
          const events = records
            .filter(
              (record) =>
                identity(record).type === 'IAMUser' &&
                identity(record).userName === name &&
                identity(record).accountId === folder.slice(0, 12),
            )
            .filter((record) => identity(record).accessKeyId !== undefined && record.errorCode === undefined)
            .sort((a, b) => String(a.eventTime).localeCompare(String(b.eventTime)));
          const slot = offset === 10 ? 1 : 2;
          const byKey = events.filter(
            (record) => identity(record).accessKeyId === accessKeyIdOf(folder.slice(0, 12), name, slot),
          );
          const last = byKey[byKey.length - 1];
          expect([name, slot, last?.eventTime, String(last?.eventSource).split('.')[0]]).toEqual([
            name,
            slot,
            lastUsed.replace('+00:00', 'Z'),
            cells[offset + 2],
          ]);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(12);
  });

  it('Given the sample, When searched, Then it shows the federated sessions, MFA-less console logins and the screams of a switched-off key', () => {
    const webIdentity = records.filter((record) => record.eventName === 'AssumeRoleWithWebIdentity');
    expect(webIdentity.map((record) => (record.responseElements as Json).subjectFromWebIdentityToken)).toContain(
      'repo:acme/webapp:ref:refs/heads/main',
    );
    expect(
      webIdentity.every((record) => String(record.userAgent).includes('configure-aws-credentials-for-github-actions')),
    ).toBe(true);
    expect(records.filter((record) => record.eventName === 'AssumeRoleWithSAML').length).toBeGreaterThan(0);
    const logins = records.filter((record) => record.eventName === 'ConsoleLogin');
    expect(
      logins
        .filter((record) => (record.additionalEventData as Json).MFAUsed === 'No')
        .map((record) => identity(record).userName)
        .sort(),
    ).toEqual(['alex.kim', 'tom.nguyen']);
    const screams = records.filter((record) => record.errorCode === 'InvalidClientTokenId');
    expect(screams.map((record) => identity(record).userName)).toEqual([
      'reports-cron',
      'reports-cron',
      'reports-cron',
    ]);
    expect(screams.every((record) => String(record.eventTime) > '2026-11-16T06:00:00Z')).toBe(true);
  });
});
