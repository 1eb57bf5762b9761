/**
 * Property tests: whatever a trust policy looks like, the analyzer returns issues and never
 * throws; a document IAM could not parse always comes back as a `trust-unparseable` issue.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizePolicy } from '../../src/policy/document.js';
import { analyzeTrustPolicy } from '../../src/policy/trust/analyze.js';
import { SEVERITIES } from '../../src/model/finding.js';

const word = fc.constantFrom(
  '*',
  '?',
  'repo:',
  'repo:o/*',
  'repo:o/r:*',
  'sts.amazonaws.com',
  'arn:aws:iam::111122223333:root',
  '123456789012',
  '${var.x}',
  '',
  ':',
  '/',
  'pull_request',
);
const text = fc.oneof(
  word,
  fc.string({ maxLength: 24 }),
  fc.array(word, { maxLength: 3 }).map((parts) => parts.join('')),
);
const scalar = fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(null));
const stringOrList = fc.oneof(text, fc.array(text, { maxLength: 4 }));

const principal = fc.oneof(
  fc.constant('*'),
  fc.record({ AWS: stringOrList }, { requiredKeys: [] }),
  fc.record({ Service: stringOrList, Federated: stringOrList }, { requiredKeys: [] }),
  fc.record({
    Federated: fc.constantFrom(
      'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com',
      'arn:aws:iam::1:saml-provider/x',
      'app.terraform.io',
      'gitlab.com',
    ),
  }),
  scalar,
);
const operator = fc.constantFrom(
  'StringEquals',
  'StringLike',
  'StringNotLike',
  'ForAllValues:StringEquals',
  'ForAnyValue:StringLike',
  'StringLikeIfExists',
  'Null',
  'Bool',
  'ArnLike',
  'Bogus',
  'IpAddress',
);
const key = fc.constantFrom(
  'token.actions.githubusercontent.com:sub',
  'token.actions.githubusercontent.com:aud',
  'aws:PrincipalOrgID',
  'sts:ExternalId',
  'SAML:aud',
  'gitlab.com:sub',
  'nokey',
  'a.b:c',
);
const condition = fc.oneof(
  fc.dictionary(operator, fc.dictionary(key, fc.oneof(scalar, fc.array(scalar, { maxLength: 3 })), { maxKeys: 3 }), {
    maxKeys: 3,
  }),
  scalar,
);
const statement = fc.oneof(
  fc.record(
    {
      Sid: fc.oneof(text, scalar),
      Effect: fc.constantFrom('Allow', 'Deny', 'allow', 'Permit'),
      Principal: principal,
      NotPrincipal: principal,
      Action: fc.oneof(
        fc.constantFrom('sts:AssumeRole', 'sts:AssumeRoleWithWebIdentity', 'sts:AssumeRoleWithSAML', 'sts:*', '*'),
        stringOrList,
      ),
      NotAction: stringOrList,
      Condition: condition,
    },
    { requiredKeys: ['Effect'] },
  ),
  scalar,
);
const policy = fc.oneof(
  fc.record(
    {
      Version: fc.oneof(fc.constant('2012-10-17'), scalar),
      Statement: fc.oneof(statement, fc.array(statement, { maxLength: 4 })),
    },
    { requiredKeys: [] },
  ),
  fc.anything(),
  fc.json(),
  fc.string(),
);

describe('analyzeTrustPolicy properties', () => {
  it('Given any value at all, When analysed, Then it returns well-formed issues and never throws', () => {
    fc.assert(
      fc.property(policy, (doc) => {
        const issues = analyzeTrustPolicy(doc, { accountId: '111122223333', organizationAccountIds: ['111122223333'] });
        for (const issue of issues) {
          expect(SEVERITIES).toContain(issue.severity);
          expect(issue.message.length).toBeGreaterThan(10);
          expect(issue.pointer === '' || issue.pointer.startsWith('/')).toBe(true);
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('Given a document that does not parse, When analysed, Then it is exactly one trust-unparseable issue', () => {
    fc.assert(
      fc.property(policy, (doc) => {
        if (normalizePolicy(doc).ok) return;
        const issues = analyzeTrustPolicy(doc, {});
        expect(issues.map((i) => i.ruleId)).toEqual(['trust-unparseable']);
      }),
      { numRuns: 1500 },
    );
  });

  it('Given a policy of Deny statements only, When analysed, Then nothing is flagged', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record(
            { Principal: principal, Action: fc.constantFrom('sts:AssumeRole', '*'), Condition: condition },
            { requiredKeys: ['Action'] },
          ),
          { minLength: 1, maxLength: 4 },
        ),
        (statements) => {
          const doc = { Version: '2012-10-17', Statement: statements.map((s) => ({ ...s, Effect: 'Deny' })) };
          const issues = analyzeTrustPolicy(doc, {});
          expect(issues.every((i) => i.ruleId === 'trust-unparseable')).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('Given a GitHub trust, When the statement is serialised as JSON text or URL-encoded, Then the verdict is the same', () => {
    fc.assert(
      fc.property(
        fc.array(text, { minLength: 1, maxLength: 3 }),
        fc.constantFrom('StringEquals', 'StringLike'),
        (subjects, op) => {
          const doc = {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Federated: 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com' },
                Action: 'sts:AssumeRoleWithWebIdentity',
                Condition: { [op]: { 'token.actions.githubusercontent.com:sub': subjects } },
              },
            ],
          };
          const direct = analyzeTrustPolicy(doc, {});
          expect(analyzeTrustPolicy(JSON.stringify(doc), {})).toEqual(direct);
          expect(analyzeTrustPolicy(encodeURIComponent(JSON.stringify(doc)), {})).toEqual(direct);
        },
      ),
      { numRuns: 300 },
    );
  });
});
