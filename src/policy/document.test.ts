import { describe, expect, it } from 'vitest';
import { actionMatches, normalizePolicy, parseConditionOperator, type NormalizedStatement } from './document.js';

function firstStatement(doc: unknown): NormalizedStatement {
  const result = normalizePolicy(doc);
  if (!result.ok) throw new Error(result.error);
  const statement = result.policy.statements[0];
  if (!statement) throw new Error('no statement');
  return statement;
}

describe('normalizePolicy', () => {
  it('Given a single statement object with string fields, When normalised, Then every field is a list', () => {
    const s = firstStatement({
      Version: '2012-10-17',
      Statement: { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' },
    });
    expect(s.actions).toEqual(['s3:GetObject']);
    expect(s.resources).toEqual(['arn:aws:s3:::b/*']);
    expect(s.notActions).toBeNull();
    expect(s.principals).toBeNull();
    expect(s.conditions).toEqual([]);
  });

  it.each([
    ['"*"', '*', { AWS: ['*'] }],
    ['AWS string', { AWS: 'arn:aws:iam::111122223333:root' }, { AWS: ['arn:aws:iam::111122223333:root'] }],
    [
      'Service list',
      { Service: ['ec2.amazonaws.com', 'lambda.amazonaws.com'] },
      { Service: ['ec2.amazonaws.com', 'lambda.amazonaws.com'] },
    ],
    ['Federated', { Federated: 'arn:aws:iam::1:oidc-provider/x' }, { Federated: ['arn:aws:iam::1:oidc-provider/x'] }],
  ])('Given Principal as %s, When normalised, Then principals are by kind with lists', (_name, principal, expected) => {
    const s = firstStatement({ Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: principal }] });
    expect(s.principals).toEqual(expected);
  });

  it('Given a condition with a set operator and IfExists, When normalised, Then the operator is parsed and the key lower-cased', () => {
    const s = firstStatement({
      Statement: [
        {
          Effect: 'Allow',
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            'ForAllValues:StringLikeIfExists': {
              'token.actions.githubusercontent.com:Sub': ['repo:a/b:*', 'repo:c/d:*'],
            },
            Bool: { 'aws:MultiFactorAuthPresent': true },
          },
        },
      ],
    });
    expect(s.conditions).toEqual([
      {
        rawOperator: 'ForAllValues:StringLikeIfExists',
        operator: 'StringLike',
        key: 'token.actions.githubusercontent.com:sub',
        rawKey: 'token.actions.githubusercontent.com:Sub',
        values: ['repo:a/b:*', 'repo:c/d:*'],
        ifExists: true,
        setOperator: 'ForAllValues',
      },
      {
        rawOperator: 'Bool',
        operator: 'Bool',
        key: 'aws:multifactorauthpresent',
        rawKey: 'aws:MultiFactorAuthPresent',
        values: ['true'],
        ifExists: false,
        setOperator: null,
      },
    ]);
  });

  it('Given a URL-encoded document as IAM returns it, When normalised, Then it parses', () => {
    const encoded = encodeURIComponent(
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] }),
    );
    const result = normalizePolicy(encoded);
    expect(result.ok && result.policy.statements[0]?.effect).toBe('Deny');
  });

  it('Given a JSON string document, When normalised, Then it parses', () => {
    const result = normalizePolicy('{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}');
    expect(result.ok && result.policy.statements.length).toBe(1);
  });

  it.each([
    ['null', null, 'must be a JSON object'],
    ['a number', 42, 'must be a JSON object'],
    ['bad JSON text', '{"Statement": [', 'not valid JSON'],
    ['no Statement', { Version: '2012-10-17' }, 'no Statement'],
    ['bad Effect', { Statement: [{ Effect: 'Permit', Action: '*' }] }, 'Effect must be'],
    [
      'Action and NotAction',
      { Statement: [{ Effect: 'Allow', Action: '*', NotAction: 's3:*' }] },
      'both Action and NotAction',
    ],
    ['no action at all', { Statement: [{ Effect: 'Allow', Resource: '*' }] }, 'neither Action nor NotAction'],
    [
      'unknown principal kind',
      { Statement: [{ Effect: 'Allow', Action: '*', Principal: { Human: 'me' } }] },
      'unknown principal kind',
    ],
    [
      'object condition value',
      { Statement: [{ Effect: 'Allow', Action: '*', Condition: { StringEquals: { k: { a: 1 } } } }] },
      'must hold strings',
    ],
    ['non-string action', { Statement: [{ Effect: 'Allow', Action: [1] }] }, 'Action must be a string'],
  ])('Given %s, When normalised, Then it is an error that says why', (_name, doc, message) => {
    const result = normalizePolicy(doc);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(message);
  });
});

describe('parseConditionOperator', () => {
  it.each([
    ['StringEquals', 'StringEquals', false, null],
    ['StringLikeIfExists', 'StringLike', true, null],
    ['ForAnyValue:StringLike', 'StringLike', false, 'ForAnyValue'],
    ['forallvalues:StringEqualsIfExists', 'StringEquals', true, 'ForAllValues'],
    ['Null', 'Null', false, null],
  ])('Given %s, When parsed, Then base %s, ifExists %s, set %s', (raw, operator, ifExists, setOperator) => {
    expect(parseConditionOperator(raw)).toEqual({ operator, ifExists, setOperator });
  });
});

describe('wildcard matching', () => {
  it.each([
    ['s3:Get*', 's3:GetObject', true],
    ['S3:get*', 's3:GetObject', true],
    ['s3:?etObject', 's3:GetObject', true],
    ['s3:Get?', 's3:GetObject', false],
    ['*', 'iam:CreateUser', true],
    ['iam:Create*', 'iam:DeleteUser', false],
    ['s3:Get.bject', 's3:GetObject', false],
  ])('Given action pattern %s, When matched against %s, Then %s', (pattern, action, expected) => {
    expect(actionMatches(pattern, action)).toBe(expected);
  });
});
