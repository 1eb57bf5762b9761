import { describe, expect, it } from 'vitest';
import { decideCondition, evaluateCondition, requestContext } from './condition.js';
import { partialKnowledge } from './evaluator/knowledge.js';
import { parseConditionOperator, type NormalizedCondition } from './document.js';

function condition(rawOperator: string, key: string, values: string[]): NormalizedCondition {
  return { rawOperator, ...parseConditionOperator(rawOperator), key: key.toLowerCase(), rawKey: key, values };
}

type Row = [operator: string, policyValues: string[], context: string | string[] | null, expected: boolean];

describe('evaluateCondition', () => {
  const rows: Row[] = [
    ['StringEquals', ['a'], 'a', true],
    ['StringEquals', ['a'], 'A', false],
    ['StringEquals', ['a*'], 'abc', false],
    ['StringEquals', ['a*'], 'a*', true],
    ['StringEquals', ['a', 'b'], 'b', true],
    ['StringEquals', ['a'], null, false],
    ['StringEqualsIfExists', ['a'], null, true],
    ['StringEqualsIfExists', ['a'], 'b', false],
    ['StringNotEquals', ['a'], 'b', true],
    ['StringNotEquals', ['a'], 'a', false],
    ['StringNotEquals', ['a'], null, true],
    ['StringEqualsIgnoreCase', ['abc'], 'ABC', true],
    ['StringNotEqualsIgnoreCase', ['abc'], 'ABC', false],
    ['StringLike', ['repo:o/*'], 'repo:o/r:ref:refs/heads/main', true],
    ['StringLike', ['repo:o/r:ref:refs/heads/mai?'], 'repo:o/r:ref:refs/heads/main', true],
    ['StringLike', ['repo:o/r:ref:refs/heads/mai?'], 'repo:o/r:ref:refs/heads/mainx', false],
    ['StringLike', ['a.c'], 'abc', false],
    ['StringNotLike', ['repo:o/*'], 'repo:x/r', true],
    ['ForAllValues:StringEquals', ['a', 'b'], ['a', 'b'], true],
    ['ForAllValues:StringEquals', ['a', 'b'], ['a', 'c'], false],
    ['ForAllValues:StringEquals', ['a'], null, true],
    ['ForAllValues:StringEquals', ['a'], [], true],
    ['ForAnyValue:StringEquals', ['a'], ['x', 'a'], true],
    ['ForAnyValue:StringEquals', ['a'], null, false],
    ['ForAnyValue:StringLike', ['auth*'], ['authenticated'], true],
    ['Bool', ['true'], 'true', true],
    ['Bool', ['true'], 'false', false],
    ['Bool', ['true'], null, false],
    ['BoolIfExists', ['false'], null, true],
    ['Null', ['true'], null, true],
    ['Null', ['true'], 'x', false],
    ['Null', ['false'], 'x', true],
    ['NumericLessThan', ['3600'], '60', true],
    ['NumericLessThan', ['3600'], '7200', false],
    ['NumericGreaterThanEquals', ['5'], '5', true],
    ['NumericEquals', ['5'], 'five', false],
    ['DateGreaterThan', ['2026-01-01T00:00:00Z'], '2026-06-01T00:00:00Z', true],
    ['DateLessThan', ['2026-01-01T00:00:00Z'], '1767225600', false],
    ['IpAddress', ['203.0.113.0/24'], '203.0.113.9', true],
    ['IpAddress', ['203.0.113.0/24'], '203.0.114.9', false],
    ['NotIpAddress', ['203.0.113.0/24'], '198.51.100.1', true],
    ['IpAddress', ['2001:db8::/32'], '2001:db8:1::5', true],
    ['IpAddress', ['2001:db8::/32'], '2001:db9::5', false],
    ['ArnLike', ['arn:aws:iam::*:role/ci-*'], 'arn:aws:iam::111122223333:role/ci-deploy', true],
    ['ArnLike', ['arn:aws:iam::*:role/ci-*'], 'arn:aws:iam::111122223333:user/ci-deploy', false],
    [
      'ArnEquals',
      ['arn:aws:rolesanywhere:eu-west-1:111122223333:trust-anchor/a'],
      'arn:aws:rolesanywhere:eu-west-1:111122223333:trust-anchor/a',
      true,
    ],
    ['ArnNotLike', ['arn:aws:iam::111122223333:*'], 'arn:aws:iam::999988887777:root', true],
    ['NoSuchOperator', ['a'], 'a', false],
  ];

  it.each(rows)(
    'Given %s %j, When the request carries %j, Then the condition is %s',
    (operator, values, context, expected) => {
      const ctx = requestContext(context === null ? {} : { 'test:key': context });
      expect(evaluateCondition(condition(operator, 'test:Key', values), ctx)).toBe(expected);
    },
  );
});

describe('decideCondition: what a scan can settle before any request', () => {
  const now = Date.parse('2026-11-20T00:00:00Z');
  const day = 86_400_000;
  const session = (mayBeAbsent: boolean) =>
    partialKnowledge({ windows: { 'aws:TokenIssueTime': { earliest: now - day, latest: now, mayBeAbsent } } });

  it.each([
    ['DateGreaterThan', '2020-01-01T00:00:01Z', false, 'yes'],
    ['DateLessThan', '2020-01-01T00:00:01Z', false, 'no'],
    ['DateGreaterThan', '2020-01-01T00:00:01Z', true, 'maybe'],
    ['DateLessThan', '2020-01-01T00:00:01Z', true, 'no'],
    ['DateGreaterThan', '2026-11-19T12:00:00Z', false, 'maybe'],
    ['DateEquals', '2026-11-19T12:00:00Z', false, 'maybe'],
  ] as const)(
    'Given %s %s on a session token time (may be absent: %s), When decided, Then it is %s',
    (operator, value, mayBeAbsent, expected) => {
      expect(decideCondition(condition(operator, 'aws:TokenIssueTime', [value]), session(mayBeAbsent))).toBe(expected);
    },
  );

  it('Given a key the scan cannot know (source IP), When decided, Then it is maybe, never rounded', () => {
    const unknown = partialKnowledge({});
    expect(decideCondition(condition('IpAddress', 'aws:SourceIp', ['10.0.0.0/8']), unknown)).toBe('maybe');
    expect(decideCondition(condition('NotIpAddress', 'aws:SourceIp', ['10.0.0.0/8']), unknown)).toBe('maybe');
    expect(decideCondition(condition('Null', 'aws:SourceIp', ['true']), unknown)).toBe('maybe');
  });

  it('Given a value with a policy variable, When the variable is known, Then it is substituted before comparing', () => {
    const knowledge = partialKnowledge({ values: { 's3:prefix': 'alice/docs', 'aws:username': 'alice' } });
    expect(decideCondition(condition('StringLike', 's3:prefix', ['${aws:username}/*']), knowledge)).toBe('yes');
    expect(decideCondition(condition('StringLike', 's3:prefix', ['${aws:PrincipalTag/team}/*']), knowledge)).toBe(
      'maybe',
    );
  });

  it('Given ArnEquals with wildcards, When compared, Then it matches like ArnLike (the IAM reference documents both as segment-wise with wildcards)', () => {
    const knowledge = requestContext({ 'aws:SourceArn': 'arn:aws:sns:us-east-1:111122223333:topic-a' });
    expect(
      decideCondition(condition('ArnEquals', 'aws:SourceArn', ['arn:aws:sns:*:111122223333:topic-*']), knowledge),
    ).toBe('yes');
  });
});
