import { describe, expect, it } from 'vitest';
import { buildAccount } from '../../../test/fixtures/build-snapshot.js';
import type { ActionUsage } from '../../model/usage.js';
import { conditionPins } from './implied.js';

const ACCOUNT = buildAccount('222222222222');
const ROLE = 'arn:aws:iam::222222222222:role/cfn-exec-webapp';

function changeSets(overrides: Partial<ActionUsage> = {}): ActionUsage {
  return {
    action: 'cloudformation:CreateChangeSet',
    mapped: true,
    events: 4,
    errors: 0,
    resources: [],
    requestValues: [`requestParameters.roleARN=${ROLE}`],
    requestValuesOnEveryCall: true,
    ...overrides,
  };
}

describe('conditionPins', () => {
  it('Given change sets that all passed one role, When pinned, Then CreateChangeSet is held to that role by cloudformation:RoleArn', () => {
    expect(conditionPins([changeSets()], ACCOUNT)).toEqual([
      { call: 'cloudformation:CreateChangeSet', key: 'cloudformation:RoleArn', values: [ROLE] },
    ]);
  });

  it.each([
    ['some call passed no role (it ran with the stack’s own role)', { requestValuesOnEveryCall: undefined }],
    ['not every value was kept', { requestValuesIncomplete: true }],
    [
      'a value names no role roleshift can resolve',
      { requestValues: ['requestParameters.roleARN=arn:aws:s3:::bucket'] },
    ],
  ])('Given change sets where %s, When pinned, Then nothing is pinned', (_why, overrides) => {
    expect(conditionPins([changeSets(overrides as Partial<ActionUsage>)], ACCOUNT)).toEqual([]);
  });

  it('Given a call whose service has no condition key for the role (lambda:CreateFunction), When pinned, Then nothing is pinned', () => {
    const lambda = changeSets({
      action: 'lambda:CreateFunction',
      requestValues: ['requestParameters.role=arn:aws:iam::222222222222:role/fn'],
    });
    expect(conditionPins([lambda], ACCOUNT)).toEqual([]);
  });
});
