import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildAccount,
  buildContext,
  buildKey,
  buildSnapshot,
  buildUser,
  daysAgo,
  registerEntry,
} from '../../test/assess/builders.js';
import { NEVER, UNKNOWN } from '../model/when.js';
import { FindingSchema } from '../model/finding.js';
import type { CheckDefinition } from './check.js';
import { checkById } from './checks/index.js';
import { runChecks } from './run-checks.js';

const exploding: CheckDefinition = {
  id: 'exploding',
  title: 'A check with a bug',
  severity: 'high',
  rationale: 'exists to prove a crash is contained',
  remediation: 'none',
  references: { cis: [], securityHub: [], links: [] },
  parameters: () => ({}),
  evaluate: () => {
    throw new TypeError('cannot read properties of undefined');
  },
};

describe('runChecks', () => {
  const snapshot = buildSnapshot([
    buildAccount('111111111111', {
      users: [
        buildUser('old-key', { accessKeys: [buildKey({ lastRotated: daysAgo(400), lastUsed: daysAgo(1) })] }),
        buildUser('clean'),
      ],
    }),
  ]);

  it('Given a check that throws among good ones, When run, Then it becomes one error finding and the others still report', () => {
    const rotation = checkById('access-key-rotation');
    if (!rotation) throw new Error('registry lost access-key-rotation');
    const findings = runChecks(snapshot, buildContext(snapshot), [exploding, rotation]);
    expect(findings.map((f) => `${f.checkId}:${f.status}:${f.resourceName}`)).toEqual([
      'exploding:error:snapshot',
      'access-key-rotation:fail:111111111111/old-key',
    ]);
    expect(findings[0]?.message).toContain('cannot read properties of undefined');
    expect(findings[0]?.severity).toBe('high');
  });

  it('Given the whole catalogue, When run, Then only failures become findings, each valid against the Finding schema and carrying its references', () => {
    const findings = runChecks(snapshot, buildContext(snapshot));
    for (const f of findings) expect(FindingSchema.parse(f)).toEqual(f);
    expect(findings.some((f) => f.resourceName.endsWith('/clean') && f.checkId !== 'unregistered-user')).toBe(false);
    const rotation = findings.find((f) => f.checkId === 'access-key-rotation');
    expect(rotation?.references).toEqual({ cis: ['1.14'], securityHub: ['IAM.3'], links: expect.any(Array) });
    expect(findings.every((f) => f.status === 'fail')).toBe(true);
  });
});

describe('runChecks on arbitrary estates', () => {
  it('Given random users, policies and register entries, When every check runs, Then no check crashes', () => {
    const when = fc.constantFrom(NEVER, UNKNOWN, daysAgo(1), daysAgo(60), daysAgo(4000));
    const statement = fc.record({
      Effect: fc.constantFrom('Allow', 'Deny', 'Maybe'),
      Action: fc.oneof(
        fc.constantFrom('*', 'iam:*', 'iam:PassRole', 's3:GetObject'),
        fc.array(fc.string({ maxLength: 12 }), { maxLength: 3 }),
      ),
      Resource: fc.oneof(fc.constant('*'), fc.string({ maxLength: 30 })),
    });
    const document = fc.oneof(
      fc.record({ Version: fc.constant('2012-10-17'), Statement: fc.array(statement, { maxLength: 3 }) }),
      fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 })),
    );
    const user = fc.record({
      name: fc.string({ minLength: 1, maxLength: 20 }),
      password: fc.boolean(),
      lastUsed: when,
      keyUsed: when,
      keyRotated: when,
      policies: fc.array(document, { maxLength: 2 }),
      mfa: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(user, { maxLength: 5 }),
        fc.array(fc.string({ minLength: 1, maxLength: 10 }), { maxLength: 3 }),
        (specs, registered) => {
          const users = specs.map((s, i) =>
            buildUser(`${s.name}-${i}`, {
              password: { enabled: s.password, lastUsed: s.lastUsed, lastChanged: s.keyRotated, nextRotation: NEVER },
              mfaActive: s.mfa,
              accessKeys: [buildKey({ lastUsed: s.keyUsed, lastRotated: s.keyRotated })],
              inlinePolicies: s.policies.map((document, n) => ({
                name: `p${n}`,
                document: document as Record<string, unknown>,
              })),
            }),
          );
          const snapshot = buildSnapshot([
            buildAccount('111111111111', { users, identityCenter: { inUse: true, evidence: [] } }),
          ]);
          const exceptions = registered.map((name) =>
            registerEntry({
              user: name,
              controls: { sourceIp: true, scopedPolicy: true, rotationDays: 30 },
              reviewEveryDays: 10,
            }),
          );
          const errors = runChecks(snapshot, buildContext(snapshot, { exceptions })).filter(
            (f) => f.status === 'error',
          );
          expect(errors).toEqual([]);
        },
      ),
      { numRuns: 150 },
    );
  });
});
