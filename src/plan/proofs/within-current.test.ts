import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildAccount, buildSnapshot, buildUser } from '../../../test/fixtures/build-snapshot.js';
import { CATALOG, NOW } from '../../../test/generate/estate.js';
import type { PolicyDocument } from '../../model/snapshot.js';
import type { ActionUsage } from '../../model/usage.js';
import { buildLayer } from '../../policy/evaluator/compile.js';
import { decide, type ResourceQuery } from '../../policy/evaluator/decide.js';
import { createEvaluator } from '../../policy/evaluator/evaluator.js';
import type { StrategyContext } from '../strategies/context.js';
import { splitServices } from './action-classes.js';
import { describeQuery, describeVerdict, queryFor, resourcesOfAction } from './requests.js';
import type { Replacement } from './replacement.js';
import { proveWithinCurrent } from './within-current.js';

const ACCOUNT = '123456789012';
const doc = (...Statement: unknown[]): PolicyDocument => ({ Version: '2012-10-17', Statement });
const S3_ACTIONS = CATALOG.actionsOf('s3').map((action) => action.name);

/** A replacement with `granted` as its only policy, for a user with `today`'s inline policy. */
function setUp(today: PolicyDocument, granted: PolicyDocument, seen: ActionUsage[]) {
  const user = buildUser('subject', { inlinePolicies: [{ name: 'today', document: today }] }, ACCOUNT);
  const snapshot = buildSnapshot([buildAccount(ACCOUNT, { users: [user] })]);
  const evaluator = createEvaluator(snapshot, { now: NOW });
  const principal = evaluator.principal(user.arn);
  if (principal === undefined) throw new Error('the user is not in the snapshot');
  const identity = buildLayer([
    { source: { kind: 'document', name: 'granted', arn: null, group: null, attachedTo: null }, document: granted },
  ]);
  const replacement: Replacement = {
    layers: { identity, boundary: null, scps: [] },
    knowledge: evaluator.knowledge(principal),
    user: principal,
    mirrorsUser: false,
  };
  const ctx = { snapshot, evaluator, catalog: CATALOG, usage: { actions: seen } } as unknown as StrategyContext;
  return { ctx, replacement };
}

function prove(today: PolicyDocument, granted: PolicyDocument, seen: ActionUsage[] = []) {
  const { ctx, replacement } = setUp(today, granted, seen);
  return proveWithinCurrent(ctx, replacement);
}

/** The catalogue actions an Allow statement names, in its order: the reference for what proof (b) asks. */
function namedActions(statement: Record<string, unknown>): string[] {
  const patterns = [statement.Action ?? statement.NotAction].flat() as string[];
  const expanded = [...new Set(patterns.flatMap((pattern) => CATALOG.expand(pattern).map((a) => a.name)))];
  if (statement.Action !== undefined) return expanded;
  const excluded = new Set(expanded);
  return CATALOG.services.flatMap((service) =>
    CATALOG.actionsOf(service).flatMap((action) => (excluded.has(action.name) ? [] : [action.name])),
  );
}

/**
 * Proof (b) the slow way, as it was first written: every (action, resource) of every Allow
 * statement, then the resources seen, each once, the replacement and the user asked for each.
 * Returns the status, the first twenty failures and how many requests were checked up to them.
 */
function referenceProof(today: PolicyDocument, granted: PolicyDocument, seen: ActionUsage[]) {
  const { ctx, replacement } = setUp(today, granted, seen);
  const seenOf = new Map(seen.map((usage) => [usage.action.toLowerCase(), usage.resources]));
  const asked = new Set<string>();
  const failures: string[] = [];
  let checked = 0;
  const ask = (action: string, resource: ResourceQuery): boolean => {
    if (asked.has(`${action}|${describeQuery(resource)}`)) return false;
    asked.add(`${action}|${describeQuery(resource)}`);
    checked += 1;
    const planned = decide(replacement.layers, { action, resource, knowledge: replacement.knowledge });
    if (planned.decision === 'denied') return false;
    const today =
      typeof resource === 'string'
        ? ctx.evaluator.evaluate(replacement.user, action, resource)
        : ctx.evaluator.evaluateEveryResource(replacement.user, action);
    if (today.decision !== 'denied') return false;
    failures.push(
      `${action} on ${describeQuery(resource)}: the replacement allows it, the user is denied it today (${describeVerdict(today)})`,
    );
    return failures.length === 20;
  };
  const statements = (granted.Statement as Array<Record<string, unknown>>).filter((st) => st.Effect === 'Allow');
  for (const statement of statements)
    for (const action of namedActions(statement)) {
      for (const pattern of [statement.Resource].flat() as string[])
        if (ask(action, queryFor(CATALOG, action, pattern))) return { status: 'failed', failures, checked };
      for (const arn of resourcesOfAction(CATALOG, action, seenOf.get(action.toLowerCase()) ?? []))
        if (ask(action, arn)) return { status: 'failed', failures, checked };
    }
  return { status: failures.length > 0 ? 'failed' : 'passed', failures, checked };
}

const ACTION_PATTERNS = [
  '*',
  's3:*',
  's3:Get*',
  's3:PutObject',
  'ec2:Describe*',
  'iam:*',
  'iam:PassRole',
  's?:*',
  '*:List*',
  'kms:Decrypt',
];
const RESOURCES = ['*', 'arn:aws:s3:::b/*', 'arn:aws:s3:::secret/a', 'arn:aws:iam::123456789012:role/*'];
const statementArb = (effect: fc.Arbitrary<string>) =>
  fc
    .record({
      Effect: effect,
      names: fc.uniqueArray(fc.constantFrom(...ACTION_PATTERNS), { minLength: 1, maxLength: 3 }),
      not: fc.boolean(),
      Resource: fc.uniqueArray(fc.constantFrom(...RESOURCES), { minLength: 1, maxLength: 2 }),
      mfa: fc.boolean(),
    })
    .map(({ names, not, mfa, ...rest }) => ({
      ...rest,
      [not ? 'NotAction' : 'Action']: names,
      ...(mfa ? { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } } : {}),
    }));
const policyArb = (effect: fc.Arbitrary<string>) =>
  fc.array(statementArb(effect), { minLength: 1, maxLength: 3 }).map((statements) => doc(...statements));

const denied = (action: string, cause: string) =>
  `${action} on every resource: the replacement allows it, the user is denied it today (${cause})`;

describe('proof (b) grouped by service', () => {
  it('Given a user whose Deny names one action of a service the replacement grants with s3:*, When proven, Then that action fails the proof', () => {
    // Not the first s3 action of the catalogue: a whole-service stand-in would not ask it.
    expect(S3_ACTIONS.indexOf('s3:PutObject')).toBeGreaterThan(0);
    const check = prove(
      doc(
        { Effect: 'Allow', Action: 's3:*', Resource: '*' },
        { Effect: 'Deny', Action: 's3:PutObject', Resource: '*' },
      ),
      doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }),
    );
    expect(check.status).toBe('failed');
    expect(check.failures).toEqual([denied('s3:PutObject', 'explicit-deny: today')]);
  });

  it('Given a user whose Deny names a prefix wildcard (s3:Put*), When the replacement grants s3:*, Then every Put action fails, in catalogue order', () => {
    const puts = S3_ACTIONS.filter((action) => action.startsWith('s3:Put'));
    const check = prove(
      doc({ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 's3:Put*', Resource: '*' }),
      doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }),
    );
    expect(check.status).toBe('failed');
    expect(check.failures.slice(0, 20).map((line) => line.split(' ')[0])).toEqual(puts.slice(0, 20));
    expect(check.failures.slice(0, 20).every((line) => line.endsWith('(explicit-deny: today)'))).toBe(true);
  });

  it('Given a user allowed every s3 action but one through NotAction, When the replacement grants s3:*, Then that one action fails', () => {
    const check = prove(
      doc({ Effect: 'Allow', NotAction: 's3:PutObject', Resource: '*' }),
      doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }),
    );
    expect(check.failures).toEqual([denied('s3:PutObject', 'no-allow')]);
  });

  it('Given a replacement granting a prefix wildcard (s3:Put*) to a user allowed only s3:Get*, When proven, Then the Put actions fail', () => {
    const check = prove(
      doc({ Effect: 'Allow', Action: 's3:Get*', Resource: '*' }),
      doc({ Effect: 'Allow', Action: 's3:Put*', Resource: '*' }),
    );
    expect(check.status).toBe('failed');
    expect(check.failures[0]).toMatch(/^s3:Put\w+ on every resource: .*\(no-allow\)$/);
  });

  it('Given a replacement within the user, When proven, Then it passes and counts every request of every statement once', () => {
    const bucketObjects = 'arn:aws:s3:::reports/*';
    const check = prove(
      doc({ Effect: 'Allow', Action: ['s3:*', 'ec2:Describe*'], Resource: '*' }),
      doc(
        { Effect: 'Allow', Action: 's3:*', Resource: '*' },
        // Asked again on a resource of its own, and once more where it repeats the first statement.
        { Effect: 'Allow', Action: 's3:GetObject', Resource: [bucketObjects, '*'] },
        { Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' },
      ),
      [{ action: 's3:GetObject', mapped: true, events: 3, errors: 0, resources: ['arn:aws:s3:::reports/q3.csv'] }],
    );
    const describes = CATALOG.expand('ec2:Describe*').length;
    expect(check).toMatchObject({ status: 'passed', failures: [] });
    expect(check.checked).toBe(S3_ACTIONS.length + 1 + describes + 1);
  });

  it('Given a user allowed everything but iam through NotAction iam:*, When the replacement grants *, Then iam actions fail: iam is not a service no statement names', () => {
    const check = prove(
      doc({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }),
      doc({ Effect: 'Allow', Action: '*', Resource: '*' }),
    );
    expect(check.status).toBe('failed');
    expect(check.failures).toHaveLength(20);
    expect(check.failures.every((line) => line.startsWith('iam:') && line.endsWith('(no-allow)'))).toBe(true);
  });

  it('Given a user whose Deny names services through a wildcard (s?:*), When the replacement grants *, Then their actions fail', () => {
    const check = prove(
      doc({ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 's?:*', Resource: '*' }),
      doc({ Effect: 'Allow', Action: '*', Resource: '*' }),
    );
    expect(check.status).toBe('failed');
    expect(check.failures.every((line) => /^s.:\w+ on .*\(explicit-deny: today\)$/.test(line))).toBe(true);
  });

  it('Given a resource seen for an action of a service no statement names, When the user is denied it there alone, Then the proof fails on it', () => {
    const check = prove(
      doc(
        { Effect: 'Allow', Action: '*', Resource: '*' },
        { Effect: 'Deny', Action: '*', Resource: 'arn:aws:s3:::secret/a' },
      ),
      doc({ Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::secret/*' }),
      [{ action: 's3:GetObject', mapped: true, events: 1, errors: 0, resources: ['arn:aws:s3:::secret/a'] }],
    );
    expect(check.failures).toEqual([
      's3:GetObject on arn:aws:s3:::secret/a: the replacement allows it, the user is denied it today (explicit-deny: today)',
    ]);
  });

  it('Given resources seen for a denied read and a later statement naming one of them, When proven, Then each is asked once, in statement order', () => {
    const check = prove(
      doc(
        { Effect: 'Allow', Action: 's3:*', Resource: '*' },
        { Effect: 'Deny', Action: 's3:GetObject', Resource: 'arn:aws:s3:::secret/*' },
      ),
      doc(
        { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::reports/*' },
        { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::secret/x' },
      ),
      [
        {
          action: 's3:GetObject',
          mapped: true,
          events: 2,
          errors: 0,
          resources: ['arn:aws:s3:::secret/a', 'arn:aws:s3:::secret/x'],
        },
      ],
    );
    const deniedOn = (arn: string) =>
      `s3:GetObject on ${arn}: the replacement allows it, the user is denied it today (explicit-deny: today)`;
    // secret/a is not granted to the replacement: nothing to prove there.
    expect(check.failures).toEqual([deniedOn('arn:aws:s3:::secret/x')]);
    // reports/* for each action, and the two reads seen; the second statement's read was asked already.
    expect(check.checked).toBe(4);
  });
});

describe('proof (b) against the request-by-request reference', () => {
  it('Given random policies of a user and a replacement, When proven, Then the status, the failures and the count are those of the reference', () => {
    const seen: ActionUsage[] = [
      {
        action: 's3:GetObject',
        mapped: true,
        events: 1,
        errors: 0,
        resources: ['arn:aws:s3:::secret/a', 'arn:aws:s3:::b/k'],
      },
    ];
    fc.assert(
      fc.property(
        policyArb(fc.constantFrom('Allow', 'Allow', 'Deny')),
        policyArb(fc.constant('Allow')),
        fc.boolean(),
        (today, granted, withSeen) => {
          const usage = withSeen ? seen : [];
          const check = prove(today, granted, usage);
          expect({ status: check.status, failures: check.failures, checked: check.checked }).toEqual(
            referenceProof(today, granted, usage),
          );
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe('which services a statement splits', () => {
  it.each([
    [['*'], []],
    [['s3:*', 'EC2:*'], []],
    [['s*:*'], []],
    [['s3:Get*'], ['s3']],
    [['s3:PutObject', 'iam:*'], ['s3']],
  ])('Given the patterns %j, When read, Then they split exactly %j', (patterns, split) => {
    expect(splitServices(patterns)).toEqual(new Set(split));
  });

  it.each([[['*:Get*']], [['s3']], [['s?:PutObject']]])(
    'Given the patterns %j, When read, Then they may split every service',
    (patterns) => {
      expect(splitServices(patterns)).toBe('all');
    },
  );
});
