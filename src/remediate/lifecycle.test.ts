import { describe, expect, it } from 'vitest';
import type { JournalOperation } from './journal.js';
import {
  activityScreams,
  finishGate,
  keyScreams,
  lifecycleOf,
  switchOffsOf,
  type DeniedCallEvent,
} from './lifecycle.js';

function operation(
  kind: JournalOperation['kind'],
  status: JournalOperation['status'],
  createdAt: string,
  overrides: Partial<JournalOperation> = {},
): JournalOperation {
  return {
    opId: `${kind}-${createdAt}`,
    kind,
    accountId: '111111111111',
    userName: 'deploy',
    status,
    createdAt,
    finishedAt: status === 'done' ? createdAt : null,
    relatedOpId: null,
    priorState: null,
    notes: [],
    lastError: null,
    steps: [],
    ...overrides,
  };
}

describe('lifecycleOf', () => {
  const cases: Array<{ name: string; operations: JournalOperation[]; stage: string }> = [
    { name: 'nothing journaled', operations: [], stage: 'not-started' },
    { name: 'a done start', operations: [operation('start', 'done', '2026-10-01T00:00:00Z')], stage: 'watching' },
    {
      name: 'a start then a rollback',
      operations: [
        operation('start', 'done', '2026-10-01T00:00:00Z'),
        operation('rollback', 'done', '2026-10-02T00:00:00Z'),
      ],
      stage: 'rolled-back',
    },
    {
      name: 'a finish',
      operations: [
        operation('start', 'done', '2026-10-01T00:00:00Z'),
        operation('finish', 'done', '2026-11-01T00:00:00Z'),
      ],
      stage: 'deleted',
    },
    {
      name: 'a pending finish',
      operations: [
        operation('start', 'done', '2026-10-01T00:00:00Z'),
        operation('finish', 'pending', '2026-11-01T00:00:00Z'),
      ],
      stage: 'interrupted',
    },
  ];
  for (const testCase of cases) {
    it(`Given ${testCase.name}, When the stage is derived, Then it is ${testCase.stage}`, () => {
      expect(lifecycleOf(testCase.operations).stage).toBe(testCase.stage);
    });
  }
});

describe('screams', () => {
  const switchOffs = [{ accessKeyId: 'AKIA1', at: '2026-11-01T12:00:00.000Z' }];
  it('Given a key last used before, at and after its switch-off, When checked, Then only the later use screams', () => {
    expect(keyScreams(switchOffs, new Map([['AKIA1', '2026-11-01T11:59:00.000Z']]))).toEqual([]);
    expect(keyScreams(switchOffs, new Map([['AKIA1', '2026-11-01T12:00:00.000Z']]))).toEqual([]);
    expect(keyScreams(switchOffs, new Map([['AKIA1', null]]))).toEqual([]);
    expect(
      keyScreams(switchOffs, new Map([['AKIA1', '2026-11-02T08:00:00.000Z']])).map((scream) => scream.kind),
    ).toEqual(['key-used-after-switch-off']);
  });

  it('Given denied calls from CloudTrail, When checked, Then only the user or its keys, after the start, with a denial code, scream', () => {
    const event = (overrides: Partial<DeniedCallEvent>): DeniedCallEvent => ({
      accountId: '111111111111',
      userName: 'deploy',
      accessKeyId: null,
      eventTime: '2026-11-05T00:00:00Z',
      eventName: 'ListBuckets',
      errorCode: 'AccessDenied',
      ...overrides,
    });
    const events = [
      event({}),
      event({
        userName: null,
        accessKeyId: 'AKIA1',
        errorCode: 'InvalidClientTokenId',
        eventName: 'GetCallerIdentity',
      }),
      event({ eventTime: '2026-10-01T00:00:00Z' }),
      event({ userName: 'someone-else' }),
      event({ errorCode: 'ThrottlingException' }),
    ];
    const screams = activityScreams(
      events,
      { accountId: '111111111111', userName: 'deploy', accessKeyIds: ['AKIA1'] },
      '2026-11-01T00:00:00Z',
    );
    expect(screams.map((scream) => scream.detail)).toEqual([
      'ListBuckets failed with AccessDenied',
      'GetCallerIdentity failed with InvalidClientTokenId (key AKIA1)',
    ]);
  });

  it('Given a start that switched one key off and found another already off, When switch-off times are derived, Then each key has its own', () => {
    const start = operation('start', 'done', '2026-11-01T00:00:00Z', {
      priorState: {
        accountId: '111111111111',
        userName: 'deploy',
        arn: '',
        userId: '',
        path: '/',
        permissionsBoundaryArn: null,
        tags: [],
        accessKeys: [
          { accessKeyId: 'AKIA1', status: 'Active' },
          { accessKeyId: 'AKIA2', status: 'Inactive' },
        ],
        loginProfile: null,
        inlinePolicies: [],
        attachedPolicies: [],
        groups: [],
        mfaDevices: [],
        signingCertificates: [],
        sshPublicKeys: [],
        serviceSpecificCredentials: [],
      },
      steps: [
        {
          stepId: 's1',
          seq: 1,
          call: { api: 'UpdateAccessKey', params: { UserName: 'deploy', AccessKeyId: 'AKIA1', Status: 'Inactive' } },
          inverse: null,
          prior: null,
          status: 'done',
          intendedAt: '2026-11-01T00:00:01Z',
          doneAt: '2026-11-01T00:00:02Z',
          outcome: 'applied',
        },
      ],
    });
    expect(switchOffsOf(start)).toEqual([
      { accessKeyId: 'AKIA1', at: '2026-11-01T00:00:02Z' },
      { accessKeyId: 'AKIA2', at: '2026-11-01T00:00:00Z' },
    ]);
  });
});

describe('finishGate', () => {
  const watching = lifecycleOf([operation('start', 'done', '2026-10-01T00:00:00Z')]);
  const cases: Array<{
    name: string;
    now: string;
    watchDays: number;
    screams: Parameters<typeof finishGate>[1]['screams'];
    allowed: boolean;
    reason?: RegExp;
  }> = [
    { name: '30 quiet days of 30', now: '2026-10-31T00:00:00Z', watchDays: 30, screams: [], allowed: true },
    {
      name: '29 quiet days of 30',
      now: '2026-10-30T23:59:59Z',
      watchDays: 30,
      screams: [],
      allowed: false,
      reason: /only 29 of 30/,
    },
    {
      name: 'a scream',
      now: '2026-12-01T00:00:00Z',
      watchDays: 30,
      screams: [{ kind: 'denied-call', at: '2026-10-05T00:00:00Z', detail: 'x' }],
      allowed: false,
      reason: /1 scream/,
    },
    {
      name: 'screams that could not be read',
      now: '2026-12-01T00:00:00Z',
      watchDays: 30,
      screams: null,
      allowed: false,
      reason: /refusing to delete blind/,
    },
  ];
  for (const testCase of cases) {
    it(`Given ${testCase.name}, When finishing, Then ${testCase.allowed ? 'it may go ahead' : 'it is refused'}`, () => {
      const gate = finishGate(watching, {
        now: new Date(testCase.now),
        watchDays: testCase.watchDays,
        screams: testCase.screams,
      });
      expect(gate.allowed).toBe(testCase.allowed);
      if (testCase.reason) expect(gate.reasons.join(' ')).toMatch(testCase.reason);
    });
  }

  it('Given a user never started, When finishing, Then it is refused', () => {
    expect(finishGate(lifecycleOf([]), { now: new Date(), watchDays: 0, screams: [] }).reasons[0]).toMatch(
      /not-started, not watching/,
    );
  });
});
