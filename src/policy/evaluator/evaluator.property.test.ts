import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  referenceDecide,
  toDocument,
  type RefCondition,
  type RefLayers,
  type RefRequest,
  type RefStatement,
} from '../../../test/policy/reference-evaluator.js';
import { buildLayer, type PolicyLayer } from './compile.js';
import { decide, type EvaluationLayers } from './decide.js';
import { partialKnowledge, requestKnowledge } from './knowledge.js';

/**
 * The evaluator against a plainly written reference of the documented logic
 * (`test/policy/reference-evaluator.ts`), on random statements over small pools of actions,
 * resources and condition keys, so that matches and near misses are frequent.
 */
const ACTIONS = ['s3:GetObject', 's3:PutObject', 's3:ListBucket', 'ec2:RunInstances', 'iam:PassRole', 'iam:CreateUser'];
const ACTION_PATTERNS = [
  ...ACTIONS,
  's3:*',
  's3:Get*',
  '*',
  'iam:*',
  'ec2:Run?nstances',
  'S3:getobject',
  'iam:Create*',
  'sts:*',
];
const RESOURCES = [
  'arn:aws:s3:::logs/a',
  'arn:aws:s3:::logs',
  'arn:aws:s3:::other/b:c',
  'arn:aws:iam::111122223333:user/alice',
  'arn:aws:ec2:us-east-1:111122223333:instance/i-1',
  '*',
];
const RESOURCE_PATTERNS = [
  '*',
  'arn:aws:s3:::logs/*',
  'arn:aws:s3:::*',
  'arn:aws:iam::*:user/*',
  'arn:aws:ec2:*:*:instance/*',
  'arn:aws:s3:::logs',
  'arn:aws:iam::111122223333:user/al?ce',
  'arn:aws:s3:::other/*',
];
const KEYS = {
  'test:team': ['blue', 'green', 'b*'],
  'aws:MultiFactorAuthPresent': ['true', 'false'],
  'test:count': ['1', '5', '10'],
};
type Key = keyof typeof KEYS;

const conditionArb: fc.Arbitrary<RefCondition> = fc.constantFrom(...(Object.keys(KEYS) as Key[])).chain((key) =>
  fc.record({
    operator: fc.constantFrom<RefCondition['operator']>(
      ...(key === 'aws:MultiFactorAuthPresent'
        ? (['Bool'] as const)
        : key === 'test:count'
          ? (['NumericLessThan', 'StringEquals'] as const)
          : (['StringEquals', 'StringNotEquals', 'StringLike'] as const)),
    ),
    ifExists: fc.boolean(),
    key: fc.constant(key),
    values: fc.uniqueArray(fc.constantFrom(...KEYS[key]), { minLength: 1, maxLength: 2 }),
  }),
);

const statementArb: fc.Arbitrary<RefStatement> = fc
  .record({
    effect: fc.constantFrom<'Allow' | 'Deny'>('Allow', 'Allow', 'Deny'),
    actions: fc.uniqueArray(fc.constantFrom(...ACTION_PATTERNS), { minLength: 1, maxLength: 3 }),
    notAction: fc.boolean(),
    resources: fc.uniqueArray(fc.constantFrom(...RESOURCE_PATTERNS), { minLength: 1, maxLength: 2 }),
    notResource: fc.boolean(),
    conditions: fc.uniqueArray(conditionArb, { maxLength: 2, selector: (c) => `${c.operator}${c.ifExists}|${c.key}` }),
  })
  .map(({ effect, actions, notAction, resources, notResource, conditions }) => ({
    effect,
    ...(notAction ? { notAction: actions } : { action: actions }),
    ...(notResource ? { notResource: resources } : { resource: resources }),
    conditions,
  }));

const policyArb = fc.array(statementArb, { minLength: 1, maxLength: 3 });

const layersArb: fc.Arbitrary<RefLayers> = fc.record({
  identity: fc.array(policyArb, { maxLength: 3 }),
  boundary: fc.option(policyArb, { nil: null }),
  scps: fc.array(fc.array(policyArb, { minLength: 1, maxLength: 2 }), { maxLength: 2 }),
});

const requestArb: fc.Arbitrary<RefRequest> = fc.record({
  action: fc.constantFrom(...ACTIONS),
  resource: fc.constantFrom(...RESOURCES),
  context: fc.record(
    {
      'test:team': fc.constantFrom('blue', 'green', 'b*'),
      'aws:MultiFactorAuthPresent': fc.constantFrom('true', 'false'),
      'test:count': fc.constantFrom('1', '5', '10', '11'),
    },
    { requiredKeys: [] },
  ),
});

function layerOf(policies: RefStatement[][]): PolicyLayer {
  return buildLayer(
    policies.map((statements, i) => ({
      source: { kind: 'document' as const, name: `p${i}`, arn: null, group: null, attachedTo: null },
      document: toDocument(statements),
    })),
  );
}

function evaluationLayers(layers: RefLayers): EvaluationLayers {
  return {
    identity: layerOf(layers.identity),
    boundary: layers.boundary ? layerOf([layers.boundary]) : null,
    scps: layers.scps.map((level, i) => ({ target: `level-${i}`, layer: layerOf(level) })),
  };
}

describe('the evaluator against the documented logic', () => {
  it('Given random statements in every layer and a concrete request, When both decide, Then they agree on allowed, explicit deny and implicit deny', () => {
    fc.assert(
      fc.property(layersArb, requestArb, (layers, request) => {
        const verdict = decide(evaluationLayers(layers), {
          action: request.action,
          resource: request.resource,
          knowledge: requestKnowledge(request.context),
        });
        const expected = referenceDecide(layers, request);
        const actual =
          verdict.decision === 'allowed'
            ? 'allowed'
            : verdict.causes.includes('explicit-deny')
              ? 'explicit-deny'
              : 'implicit-deny';
        expect(verdict.decision).not.toBe('conditional');
        expect(actual).toBe(expected);
      }),
      { numRuns: 3000, seed: 20261120 },
    );
  });

  it('Given some context keys hidden from the evaluator, When it still decides allowed or denied, Then the full request agrees (conditional is never rounded)', () => {
    const hiddenArb = fc.subarray(Object.keys(KEYS) as Key[]);
    fc.assert(
      fc.property(layersArb, requestArb, hiddenArb, (layers, request, hidden) => {
        const visible = Object.entries(request.context).filter(([key]) => !hidden.includes(key as Key));
        const absent = (Object.keys(KEYS) as Key[]).filter((key) => !hidden.includes(key) && !(key in request.context));
        const verdict = decide(evaluationLayers(layers), {
          action: request.action,
          resource: request.resource,
          knowledge: partialKnowledge({ values: Object.fromEntries(visible), absent }),
        });
        const truth = referenceDecide(layers, request);
        if (verdict.decision === 'allowed') expect(truth).toBe('allowed');
        if (verdict.decision === 'denied') expect(truth).not.toBe('allowed');
        if (hidden.length === 0) expect(verdict.decision).not.toBe('conditional');
      }),
      { numRuns: 3000, seed: 7 },
    );
  });

  it('Given a conditional verdict, When its undecided conditions are listed, Then every one names a hidden key', () => {
    fc.assert(
      fc.property(layersArb, requestArb, (layers, request) => {
        const verdict = decide(evaluationLayers(layers), {
          action: request.action,
          resource: request.resource,
          knowledge: partialKnowledge({ values: { 'test:count': request.context['test:count'] ?? '1' } }),
        });
        for (const undecided of verdict.undecided)
          for (const condition of undecided.conditions) expect(condition.key).not.toBe('test:count');
      }),
      { numRuns: 1000, seed: 11 },
    );
  });
});
