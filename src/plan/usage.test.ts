import { describe, expect, it } from 'vitest';
import type { Usage } from '../model/usage.js';
import { usageByUser } from './usage.js';

const USER = 'arn:aws:iam::111111111111:user/gitlab-ci';

function usage(): Usage {
  const facets = {
    events: 10,
    firstSeen: '2026-08-25T00:00:00Z',
    lastSeen: '2026-11-20T00:00:00Z',
    userAgents: [],
    regions: ['us-east-1'],
    errors: {},
  };
  return {
    source: {
      engine: 'duckdb',
      origin: 'test',
      since: '2026-08-22T00:00:00Z',
      until: '2026-11-20T00:00:00Z',
      filesRead: 1,
      filesSkipped: 0,
      unreadable: [],
      records: 20,
      badRecords: 0,
    },
    principals: [
      {
        arn: USER,
        type: 'IAMUser',
        accountId: '111111111111',
        userName: 'gitlab-ci',
        sessionIssuerArn: null,
        consoleLogins: { total: 0, withMfa: 0, withoutMfa: 0, failed: 0 },
        ...facets,
        actions: [
          {
            action: 'ecr:PutImage',
            mapped: true,
            events: 10,
            errors: 0,
            resources: ['arn:aws:ecr:us-east-1:111111111111:repository/api'],
          },
        ],
        addresses: [
          { kind: 'public', group: '203.0.113.0/24', events: 9 },
          { kind: 'aws-service', group: 'ecr.amazonaws.com', events: 1 },
        ],
      },
      {
        arn: 'arn:aws:sts::111111111111:assumed-role/x/y',
        type: 'AssumedRole',
        accountId: '111111111111',
        userName: null,
        sessionIssuerArn: null,
        consoleLogins: { total: 0, withMfa: 0, withoutMfa: 0, failed: 0 },
        ...facets,
        actions: [],
        addresses: [],
      },
    ],
    accessKeys: [],
    federatedSessions: [],
  };
}

describe('usageByUser', () => {
  it('Given CloudTrail usage of an IAM user, when converted, then the planner gets its calls, public ranges and window', () => {
    const facts = usageByUser(usage());
    expect(Object.keys(facts)).toEqual([USER]);
    expect(facts[USER]).toMatchObject({ sourceIps: ['203.0.113.0/24'], windowDays: 90 });
    expect(facts[USER]?.actions?.map((action) => [action.action, action.resources])).toEqual([
      ['ecr:PutImage', ['arn:aws:ecr:us-east-1:111111111111:repository/api']],
    ]);
  });
});
