import { describe, expect, it } from 'vitest';
import type { Group, ManagedPolicy, PolicyDocument } from '../../model/snapshot.js';
import { whenAt } from '../../model/when.js';
import { buildAccount, buildSnapshot, buildUser } from '../../../test/fixtures/build-snapshot.js';
import { decide } from './decide.js';
import { createEvaluator, documentLayers } from './evaluator.js';
import { requestKnowledge } from './knowledge.js';

const ACCOUNT = '111122223333';
const NOW = new Date('2026-11-20T00:00:00Z');

function doc(...statements: Array<Record<string, unknown>>): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

function managed(name: string, document: PolicyDocument | null, aws = false): ManagedPolicy {
  return {
    arn: aws ? `arn:aws:iam::aws:policy/${name}` : `arn:aws:iam::${ACCOUNT}:policy/${name}`,
    name,
    path: '/',
    awsManaged: aws,
    attachmentCount: 1,
    defaultVersionId: 'v1',
    document,
  };
}

function group(name: string, overrides: Partial<Group> = {}): Group {
  return {
    arn: `arn:aws:iam::${ACCOUNT}:group/${name}`,
    name,
    groupId: null,
    path: '/',
    createDate: whenAt('2025-01-01T00:00:00Z'),
    attachedPolicies: [],
    inlinePolicies: [],
    ...overrides,
  };
}

describe('createEvaluator', () => {
  it('Given a user who gets s3 through a group managed policy, When asked, Then the verdict cites that policy and the group', () => {
    const readers = managed('s3-read', doc({ Effect: 'Allow', Action: 's3:Get*', Resource: '*' }));
    const snapshot = buildSnapshot([
      buildAccount(ACCOUNT, {
        users: [buildUser('alice', { groups: ['readers'] }, ACCOUNT)],
        groups: [group('readers', { attachedPolicies: [{ arn: readers.arn, name: readers.name }] })],
        policies: [readers],
      }),
    ]);
    const evaluator = createEvaluator(snapshot, { now: NOW });
    const alice = evaluator.principal(`arn:aws:iam::${ACCOUNT}:user/alice`);
    if (!alice) throw new Error('no alice');
    const verdict = evaluator.evaluate(alice, 's3:GetObject', 'arn:aws:s3:::reports/q1.csv');
    expect(verdict.decision).toBe('allowed');
    expect(verdict.statements).toEqual([
      expect.objectContaining({
        source: expect.objectContaining({ kind: 'group-managed', name: 's3-read', group: 'readers' }),
        index: 0,
      }),
    ]);
  });

  it('Given AWS managed policies kept once per scan, When a user attaches one, Then it is found through findManagedPolicy', () => {
    const readOnly = managed('ReadOnlyAccess', doc({ Effect: 'Allow', Action: 's3:List*', Resource: '*' }), true);
    const snapshot = buildSnapshot(
      [
        buildAccount(ACCOUNT, {
          users: [buildUser('alice', { attachedPolicies: [{ arn: readOnly.arn, name: readOnly.name }] }, ACCOUNT)],
        }),
      ],
      { awsManagedPolicies: [readOnly] },
    );
    const evaluator = createEvaluator(snapshot, { now: NOW });
    const alice = evaluator.principals()[0];
    if (!alice) throw new Error('no principal');
    expect(evaluator.evaluate(alice, 's3:ListBucket', 'arn:aws:s3:::reports').decision).toBe('allowed');
  });

  it('Given AdministratorAccess attached but its document missing from the source, When asked, Then it is still known as "*" on "*"', () => {
    const snapshot = buildSnapshot([
      buildAccount(ACCOUNT, {
        users: [
          buildUser(
            'root-ish',
            { attachedPolicies: [{ arn: 'arn:aws:iam::aws:policy/AdministratorAccess', name: 'AdministratorAccess' }] },
            ACCOUNT,
          ),
        ],
      }),
    ]);
    const evaluator = createEvaluator(snapshot, { now: NOW });
    const user = evaluator.principals()[0];
    if (!user) throw new Error('no principal');
    const verdict = evaluator.evaluate(user, 'iam:CreateUser', `arn:aws:iam::${ACCOUNT}:user/x`);
    expect(verdict.decision).toBe('allowed');
    expect(verdict.unread).toEqual([]);
  });

  it('Given another managed policy whose document is missing, When nothing else allows, Then the verdict is conditional and names the unread policy', () => {
    const snapshot = buildSnapshot([
      buildAccount(ACCOUNT, {
        users: [
          buildUser(
            'bob',
            { attachedPolicies: [{ arn: 'arn:aws:iam::aws:policy/PowerUserAccess', name: 'PowerUserAccess' }] },
            ACCOUNT,
          ),
        ],
      }),
    ]);
    const evaluator = createEvaluator(snapshot, { now: NOW });
    const bob = evaluator.principals()[0];
    if (!bob) throw new Error('no principal');
    const verdict = evaluator.evaluate(bob, 's3:GetObject', 'arn:aws:s3:::r/k');
    expect(verdict.decision).toBe('conditional');
    expect(verdict.unread.map((u) => u.source.name)).toEqual(['PowerUserAccess']);
  });

  it('Given a user in a group the snapshot lacks, When asked, Then the missing group is reported as unread, never skipped', () => {
    const snapshot = buildSnapshot([
      buildAccount(ACCOUNT, { users: [buildUser('carol', { groups: ['ghosts'] }, ACCOUNT)] }),
    ]);
    const evaluator = createEvaluator(snapshot, { now: NOW });
    const carol = evaluator.principals()[0];
    if (!carol) throw new Error('no principal');
    expect(evaluator.evaluate(carol, 's3:GetObject', 'arn:aws:s3:::r/k').unread).toEqual([
      expect.objectContaining({ reason: 'group ghosts is not in the snapshot' }),
    ]);
  });

  it('Given a condition on a tag of the target user, When the target is in the snapshot, Then its tags decide (iam:ResourceTag)', () => {
    const policy = doc({
      Effect: 'Allow',
      Action: 'iam:CreateAccessKey',
      Resource: '*',
      Condition: { StringEquals: { 'iam:ResourceTag/team': 'blue' } },
    });
    const snapshot = buildSnapshot([
      buildAccount(ACCOUNT, {
        users: [
          buildUser('lead', { inlinePolicies: [{ name: 'keys', document: policy }] }, ACCOUNT),
          buildUser('blue-dev', { tags: { team: 'blue' } }, ACCOUNT),
          buildUser('red-dev', { tags: { team: 'red' } }, ACCOUNT),
        ],
      }),
    ]);
    const evaluator = createEvaluator(snapshot, { now: NOW });
    const lead = evaluator.principal(`arn:aws:iam::${ACCOUNT}:user/lead`);
    if (!lead) throw new Error('no lead');
    expect(evaluator.evaluate(lead, 'iam:CreateAccessKey', `arn:aws:iam::${ACCOUNT}:user/blue-dev`).decision).toBe(
      'allowed',
    );
    expect(evaluator.evaluate(lead, 'iam:CreateAccessKey', `arn:aws:iam::${ACCOUNT}:user/red-dev`).decision).toBe(
      'denied',
    );
    expect(evaluator.evaluate(lead, 'iam:CreateAccessKey', `arn:aws:iam::${ACCOUNT}:user/not-scanned`).decision).toBe(
      'conditional',
    );
  });

  it('Given an Allow on one bucket only, When asked about every resource, Then it is not allowed everywhere', () => {
    const snapshot = buildSnapshot([
      buildAccount(ACCOUNT, {
        users: [
          buildUser(
            'dana',
            {
              inlinePolicies: [
                { name: 'one', document: doc({ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::one/*' }) },
              ],
            },
            ACCOUNT,
          ),
        ],
      }),
    ]);
    const evaluator = createEvaluator(snapshot, { now: NOW });
    const dana = evaluator.principals()[0];
    if (!dana) throw new Error('no principal');
    expect(evaluator.evaluateEveryResource(dana, 's3:GetObject').decision).toBe('denied');
    expect(evaluator.evaluate(dana, 's3:GetObject', 'arn:aws:s3:::one/k').decision).toBe('allowed');
  });

  it('Given AdministratorAccess through a group whose other policy denies everything without MFA, When asked before any request, Then every action is conditional on MFA, citing both policies and the group', () => {
    const requireMfa = doc({
      Effect: 'Deny',
      NotAction: ['iam:ChangePassword', 'sts:GetSessionToken'],
      Resource: '*',
      Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
    });
    const snapshot = buildSnapshot([
      buildAccount(ACCOUNT, {
        users: [buildUser('erin', { groups: ['admins'] }, ACCOUNT)],
        groups: [
          group('admins', {
            attachedPolicies: [{ arn: 'arn:aws:iam::aws:policy/AdministratorAccess', name: 'AdministratorAccess' }],
            inlinePolicies: [{ name: 'require-mfa', document: requireMfa }],
          }),
        ],
      }),
    ]);
    const evaluator = createEvaluator(snapshot, { now: NOW });
    const erin = evaluator.principal(`arn:aws:iam::${ACCOUNT}:user/erin`);
    if (!erin) throw new Error('no erin');
    const verdict = evaluator.evaluate(erin, 'ec2:TerminateInstances', `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/i-1`);
    expect(verdict.decision).toBe('conditional');
    expect(verdict.causes).toEqual(['explicit-deny']);
    expect(verdict.statements.map((s) => [s.source.name, s.source.group, s.effect])).toEqual([
      ['AdministratorAccess', 'admins', 'Allow'],
      ['require-mfa', 'admins', 'Deny'],
    ]);
    expect(verdict.undecided.flatMap((u) => u.conditions.map((c) => c.rawKey))).toEqual(['aws:MultiFactorAuthPresent']);
  });

  it('Given policies that are not in the snapshot (a planned replacement), When asked through documentLayers, Then they are decided the same way', () => {
    const layers = documentLayers(
      [doc({ Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::artifacts/*' })],
      doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }),
    );
    const ask = (resource: string) =>
      decide(layers, { action: 's3:PutObject', resource, knowledge: requestKnowledge({}) }).decision;
    expect(ask('arn:aws:s3:::artifacts/app.zip')).toBe('allowed');
    expect(ask('arn:aws:s3:::other/app.zip')).toBe('denied');
  });
});

describe('answers shared by principals that see an action alike', () => {
  /** Two users of one group, with nothing of their own: they differ only in who they are and in their tags. */
  function twoMembers(
    statements: Array<Record<string, unknown>>,
    tags: [Record<string, string>, Record<string, string>],
  ) {
    const snapshot = buildSnapshot([
      buildAccount(ACCOUNT, {
        users: [
          buildUser('alice', { groups: ['team'], tags: tags[0] }, ACCOUNT),
          buildUser('bob', { groups: ['team'], tags: tags[1] }, ACCOUNT),
        ],
        groups: [group('team', { inlinePolicies: [{ name: 'team', document: doc(...statements) }] })],
      }),
    ]);
    const evaluator = createEvaluator(snapshot, { now: NOW });
    const [alice, bob] = ['alice', 'bob'].map((name) => evaluator.principal(`arn:aws:iam::${ACCOUNT}:user/${name}`));
    if (!alice || !bob) throw new Error('no members');
    return { evaluator, alice, bob };
  }

  it('Given two members of a group whose policy names user/${aws:username}, When each asks about the first one, Then only the first is allowed (the name is part of the key)', () => {
    const { evaluator, alice, bob } = twoMembers(
      [{ Effect: 'Allow', Action: 'iam:CreateAccessKey', Resource: `arn:aws:iam::${ACCOUNT}:user/\${aws:username}` }],
      [{}, {}],
    );
    const target = `arn:aws:iam::${ACCOUNT}:user/alice`;
    expect(evaluator.evaluate(alice, 'iam:CreateAccessKey', target).decision).toBe('allowed');
    expect(evaluator.evaluate(bob, 'iam:CreateAccessKey', target).decision).toBe('denied');
    expect(evaluator.view(alice, 'iam:CreateAccessKey')).not.toBe(evaluator.view(bob, 'iam:CreateAccessKey'));
  });

  it('Given the same two members, When they ask about an action the ${aws:username} statement does not name, Then they share one view', () => {
    const { evaluator, alice, bob } = twoMembers(
      [
        { Effect: 'Allow', Action: 'iam:CreateAccessKey', Resource: `arn:aws:iam::${ACCOUNT}:user/\${aws:username}` },
        { Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' },
      ],
      [{}, {}],
    );
    expect(evaluator.view(alice, 'iam:PassRole')).toBe(evaluator.view(bob, 'iam:PassRole'));
  });

  it('Given two members that differ only in a principal tag a condition reads, When each asks, Then their verdicts differ', () => {
    const { evaluator, alice, bob } = twoMembers(
      [
        {
          Effect: 'Allow',
          Action: 's3:GetObject',
          Resource: '*',
          Condition: { StringEquals: { 'aws:PrincipalTag/team': 'data' } },
        },
      ],
      [{ team: 'data' }, { team: 'web' }],
    );
    expect(evaluator.evaluate(alice, 's3:GetObject', 'arn:aws:s3:::reports/q1.csv').decision).toBe('allowed');
    expect(evaluator.evaluate(bob, 's3:GetObject', 'arn:aws:s3:::reports/q1.csv').decision).toBe('denied');
  });

  it('Given two users with the same tags in groups whose conditions read that tag differently, When each asks, Then their verdicts differ (the statements are part of the key)', () => {
    const readsTeam = (team: string) =>
      doc({
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: '*',
        Condition: { StringEquals: { 'aws:PrincipalTag/team': team } },
      });
    const snapshot = buildSnapshot([
      buildAccount(ACCOUNT, {
        users: [
          buildUser('alice', { groups: ['data'], tags: { team: 'data' } }, ACCOUNT),
          buildUser('carol', { groups: ['web'], tags: { team: 'data' } }, ACCOUNT),
        ],
        groups: [
          group('data', { inlinePolicies: [{ name: 'team', document: readsTeam('data') }] }),
          group('web', { inlinePolicies: [{ name: 'team', document: readsTeam('web') }] }),
        ],
      }),
    ]);
    const evaluator = createEvaluator(snapshot, { now: NOW });
    const [alice, carol] = ['alice', 'carol'].map((name) =>
      evaluator.principal(`arn:aws:iam::${ACCOUNT}:user/${name}`),
    );
    if (!alice || !carol) throw new Error('no users');
    expect(evaluator.evaluate(alice, 's3:GetObject', 'arn:aws:s3:::reports/q1.csv').decision).toBe('allowed');
    expect(evaluator.evaluate(carol, 's3:GetObject', 'arn:aws:s3:::reports/q1.csv').decision).toBe('denied');
  });

  it('Given one principal, When it asks the same question with two different request keys, Then the keys are part of the question', () => {
    const { evaluator, alice } = twoMembers(
      [
        {
          Effect: 'Allow',
          Action: 'iam:PassRole',
          Resource: '*',
          Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
        },
      ],
      [{}, {}],
    );
    const role = `arn:aws:iam::${ACCOUNT}:role/app`;
    const toEc2 = evaluator.evaluate(alice, 'iam:PassRole', role, { 'iam:PassedToService': 'ec2.amazonaws.com' });
    const toLambda = evaluator.evaluate(alice, 'iam:PassRole', role, { 'iam:PassedToService': 'lambda.amazonaws.com' });
    expect(toEc2.decision).toBe('allowed');
    expect(toLambda.decision).toBe('denied');
  });

  it("Given two users whose inline policies have the same name but say different things, When each asks, Then their verdicts differ (the policy, not only its source, is part of the layer's key)", () => {
    const snapshot = buildSnapshot([
      buildAccount(ACCOUNT, {
        users: [
          buildUser(
            'alice',
            {
              inlinePolicies: [
                { name: 'work', document: doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }) },
              ],
            },
            ACCOUNT,
          ),
          buildUser(
            'bob',
            {
              inlinePolicies: [
                { name: 'work', document: doc({ Effect: 'Allow', Action: 's3:PutObject', Resource: '*' }) },
              ],
            },
            ACCOUNT,
          ),
        ],
      }),
    ]);
    const evaluator = createEvaluator(snapshot, { now: NOW });
    const [alice, bob] = evaluator.principals();
    if (!alice || !bob) throw new Error('no users');
    expect(evaluator.evaluate(alice, 's3:GetObject', '*').decision).toBe('allowed');
    expect(evaluator.evaluate(bob, 's3:GetObject', '*').decision).toBe('denied');
    expect(evaluator.layers(alice).identity).not.toBe(evaluator.layers(bob).identity);
  });
});
