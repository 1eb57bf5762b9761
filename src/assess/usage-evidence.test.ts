import { describe, expect, it } from 'vitest';
import type { PrincipalUsage, Usage } from '../model/usage.js';
import { usageToActivityEvidence } from './usage-evidence.js';

const principal = (
  arn: string,
  type: string,
  families: string[],
  kinds: Array<'aws-service' | 'private' | 'public' | 'other'>,
): PrincipalUsage => ({
  arn,
  type,
  accountId: '111111111111',
  userName: null,
  sessionIssuerArn: null,
  consoleLogins: { total: 0, withMfa: 0, withoutMfa: 0, failed: 0 },
  events: 1,
  firstSeen: '2026-01-01T00:00:00Z',
  lastSeen: '2026-01-01T00:00:00Z',
  actions: [],
  addresses: kinds.map((kind) => ({ kind, group: kind, events: 1 })),
  userAgents: families.map((family) => ({ family, events: 1, example: family })),
  regions: [],
  errors: {},
});

describe('usageToActivityEvidence', () => {
  it('Given IAM users and roles in usage, When reduced, Then only users appear, in the classifier vocabulary', () => {
    const usage: Usage = {
      source: {
        engine: 'duckdb',
        origin: 'x',
        since: null,
        until: null,
        filesRead: 0,
        filesSkipped: 0,
        unreadable: [],
        records: 0,
        badRecords: 0,
      },
      principals: [
        principal(
          'arn:aws:iam::111111111111:user/ci',
          'IAMUser',
          ['configure-aws-credentials', 'aws-sdk-js', 'aws-sdk-java'],
          ['public', 'aws-service', 'other'],
        ),
        principal('arn:aws:iam::111111111111:user/alice', 'IAMUser', ['console'], ['private']),
        principal('arn:aws:sts::111111111111:assumed-role/r/s', 'AssumedRole', ['boto3'], ['public']),
      ],
      accessKeys: [],
      federatedSessions: [],
    };
    expect(usageToActivityEvidence(usage)).toEqual({
      users: {
        'arn:aws:iam::111111111111:user/ci': {
          userAgents: ['aws-sdk', 'github-actions'],
          addresses: ['aws', 'public'],
        },
        'arn:aws:iam::111111111111:user/alice': { userAgents: ['console'], addresses: ['private'] },
      },
    });
  });
});
