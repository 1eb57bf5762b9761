import { describe, expect, it } from 'vitest';
import { UserInputError } from '../errors.js';
import { renderAthenaDdl } from './athena-ddl.js';

const base = {
  database: 'security',
  table: 'org_trail',
  location: 's3://org-trail-logs',
  orgId: 'o-a1b2c3d4e5',
  accounts: ['111111111111', '222222222222'],
  regions: ['us-east-1', 'eu-west-1'],
  startDay: '2025/01/01',
};

describe('renderAthenaDdl', () => {
  it('Given an org trail bucket, When rendered, Then partition projection follows the org delivery layout', () => {
    const ddl = renderAthenaDdl(base);
    expect(ddl).toContain('CREATE EXTERNAL TABLE IF NOT EXISTS security.org_trail');
    expect(ddl).toContain("LOCATION 's3://org-trail-logs/AWSLogs/o-a1b2c3d4e5/'");
    expect(ddl).toContain(
      "'storage.location.template' = 's3://org-trail-logs/AWSLogs/o-a1b2c3d4e5/${account}/CloudTrail/${region}/${timestamp}'",
    );
    expect(ddl).toContain("'projection.account.values' = '111111111111,222222222222'");
    expect(ddl).toContain("'projection.timestamp.range' = '2025/01/01,NOW'");
    expect(ddl).toContain('identityprovider: STRING');
    expect(ddl).toContain('resources ARRAY<STRUCT<arn: STRING, accountid: STRING, type: STRING>>');
  });

  it('Given an account trail under a prefix, When rendered, Then there is no org segment', () => {
    const ddl = renderAthenaDdl({ ...base, orgId: undefined, location: 's3://logs/trails/' });
    expect(ddl).toContain("LOCATION 's3://logs/trails/AWSLogs/'");
  });

  it.each([
    ['a table name with SQL in it', { table: 'x; DROP TABLE y' }],
    ['a bucket that is not s3://', { location: 'https://example.com' }],
    ['a location with a quote', { location: "s3://logs/it's" }],
    ['a malformed org id', { orgId: 'org-1' }],
    ['no accounts', { accounts: [] }],
    ['a bad start day', { startDay: '2025-01-01' }],
  ])('Given %s, When rendered, Then a user error is thrown', (_label, override) => {
    expect(() => renderAthenaDdl({ ...base, ...override })).toThrow(UserInputError);
  });
});
