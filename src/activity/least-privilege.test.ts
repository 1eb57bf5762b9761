import { describe, expect, it } from 'vitest';
import type { ActionUsage } from '../model/usage.js';
import { loadActionCatalog } from './actions.js';
import { buildLeastPrivilegePolicy } from './least-privilege.js';

const used = (
  action: string,
  resources: string[] = [],
  events = 3,
  errors = 0,
  mapped = true,
  resourcesTruncated = false,
): ActionUsage => ({ action, mapped, events, errors, resources, resourcesTruncated });

describe('buildLeastPrivilegePolicy', () => {
  const cases: Array<{
    name: string;
    actions: ActionUsage[];
    statements: Array<{ Action: string[]; Resource: string[] }>;
    notNarrowed?: string[];
    perBucket?: string[];
    leftOut?: string[];
  }> = [
    {
      name: 'an object read narrows to the object ARN and a listing to the bucket',
      actions: [
        used('s3:GetObject', ['arn:aws:s3:::releases/app.zip', 'arn:aws:s3:::releases']),
        used('s3:ListBucket', ['arn:aws:s3:::releases']),
      ],
      statements: [
        { Action: ['s3:ListBucket'], Resource: ['arn:aws:s3:::releases'] },
        { Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::releases/app.zip'] },
      ],
    },
    {
      name: 'a list-only action stays on * for that action alone, and says so',
      actions: [used('iam:ListRoles')],
      statements: [{ Action: ['iam:ListRoles'], Resource: ['*'] }],
      notNarrowed: ['iam:ListRoles'],
    },
    {
      name: 'an action with resource support but no ARN in the log stays on * and says why',
      actions: [used('sqs:SendMessage')],
      statements: [{ Action: ['sqs:SendMessage'], Resource: ['*'] }],
      notNarrowed: ['sqs:SendMessage'],
    },
    {
      name: 'calls that only failed, unmapped calls and GetCallerIdentity are not granted',
      actions: [
        used('iam:CreateUser', [], 2, 2),
        used('signin:ConsoleLogin', [], 1, 0, false),
        used('sts:GetCallerIdentity'),
      ],
      statements: [],
      leftOut: ['iam:CreateUser', 'signin:ConsoleLogin', 'sts:GetCallerIdentity'],
    },
    {
      name: 'an action whose resources were too many to keep stays on * and says why',
      actions: [used('s3:GetObject', ['arn:aws:s3:::data/a', 'arn:aws:s3:::data/b'], 3, 0, true, true)],
      statements: [{ Action: ['s3:GetObject'], Resource: ['*'] }],
      notNarrowed: ['s3:GetObject'],
    },
    {
      name: 'an action that read more objects than are kept, in few buckets, is granted those buckets and says so',
      actions: [
        {
          ...used('s3:GetObject', ['arn:aws:s3:::alpha', 'arn:aws:s3:::alpha/a'], 30, 0, true, true),
          resourcePatterns: ['arn:aws:s3:::alpha', 'arn:aws:s3:::alpha/*', 'arn:aws:s3:::beta/*'],
        },
      ],
      statements: [{ Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::alpha/*', 'arn:aws:s3:::beta/*'] }],
      perBucket: ['s3:GetObject'],
    },
    {
      name: 'actions of one service on the same resources share a statement',
      actions: [
        used('iam:GetUser', ['arn:aws:iam::123456789012:user/ci/deployer']),
        used('iam:ListAccessKeys', ['arn:aws:iam::123456789012:user/ci/deployer']),
      ],
      statements: [
        { Action: ['iam:GetUser', 'iam:ListAccessKeys'], Resource: ['arn:aws:iam::123456789012:user/ci/deployer'] },
      ],
    },
  ];

  it.each(cases)('Given $name, When a policy is built, Then its statements are exact', async (testCase) => {
    const catalog = await loadActionCatalog(testCase.actions.map((a) => a.action));
    const result = buildLeastPrivilegePolicy(testCase.actions, catalog);
    expect((result.policy?.Statement ?? []).map(({ Action, Resource }) => ({ Action, Resource }))).toEqual(
      testCase.statements,
    );
    expect(result.notNarrowed.map((n) => n.action)).toEqual(testCase.notNarrowed ?? []);
    expect(result.perBucket.map((n) => n.action)).toEqual(testCase.perBucket ?? []);
    expect(result.leftOut.map((n) => n.action)).toEqual(testCase.leftOut ?? []);
    for (const statement of result.policy?.Statement ?? []) {
      expect(statement.Action).not.toContain('*');
      expect(statement.Action.every((action) => !action.includes('*'))).toBe(true);
    }
  });
});
