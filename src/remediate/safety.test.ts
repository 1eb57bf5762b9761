import { describe, expect, it } from 'vitest';
import {
  checkSafety,
  classFromTagsAndName,
  factsFromPlanEntry,
  safetyFor,
  type PlanEntryFacts,
  type SafetyFacts,
} from './safety.js';

const SAFE: SafetyFacts = {
  userClass: 'ci-cd',
  classSource: 'plan',
  exception: null,
  replacementReady: true,
  live: [],
  readinessDetail: 'ready',
};

describe('checkSafety', () => {
  const cases: Array<{ name: string; facts: SafetyFacts; refusals: string[] }> = [
    { name: 'a ready CI user', facts: SAFE, refusals: [] },
    {
      name: 'a break-glass user',
      facts: { ...SAFE, userClass: 'break-glass' },
      refusals: ['it is a break-glass user (plan)'],
    },
    {
      name: 'a registered exception',
      facts: { ...SAFE, exception: 'vendor cannot federate' },
      refusals: ['it has a registered exception: vendor cannot federate'],
    },
    {
      name: 'a replacement not ready',
      facts: { ...SAFE, replacementReady: false, live: [], readinessDetail: 'no OIDC provider' },
      refusals: ['its replacement is not ready: no OIDC provider'],
    },
  ];
  for (const testCase of cases) {
    it(`Given ${testCase.name}, When checked without --force, Then ${testCase.refusals.length === 0 ? 'it is allowed' : 'it is refused'}`, () => {
      const verdict = checkSafety(testCase.facts, false);
      expect(verdict.refusals).toEqual(testCase.refusals);
      expect(verdict.allowed).toBe(testCase.refusals.length === 0);
    });
    it(`Given ${testCase.name}, When checked with --force, Then it is allowed and what was overridden is said`, () => {
      const verdict = checkSafety(testCase.facts, true);
      expect(verdict.allowed).toBe(true);
      expect(verdict.overridden).toEqual(testCase.refusals);
    });
  }

  it('Given unknown readiness, When checked, Then it is allowed with a note saying it was not checked', () => {
    const verdict = checkSafety({ ...SAFE, replacementReady: null, live: [], readinessDetail: 'no plan' }, false);
    expect(verdict).toMatchObject({ allowed: true, notes: ['replacement readiness not checked: no plan'] });
  });
});

describe('classFromTagsAndName', () => {
  const cases: Array<[string, Array<{ Key: string; Value: string }>, string | null]> = [
    ['breakglass-admin', [], 'break-glass'],
    ['emergency_access', [], 'break-glass'],
    ['ops', [{ Key: 'roleshift:class', Value: 'break-glass' }], 'break-glass'],
    ['glassbreaker', [], null],
    ['deploy', [{ Key: 'purpose', Value: 'break-glass' }], null],
  ];
  for (const [name, tags, expected] of cases) {
    it(`Given user ${name} with tags ${JSON.stringify(tags)}, When classified for safety, Then the class is ${String(expected)}`, () => {
      expect(classFromTagsAndName(name, tags, 'roleshift:class').userClass).toBe(expected);
    });
  }
});

describe('factsFromPlanEntry and safetyFor', () => {
  const entry: PlanEntryFacts = {
    accountId: '111111111111',
    userName: 'deploy',
    class: 'ci-cd',
    strategy: 'oidc-federation',
    blockers: [],
    prerequisites: [{ id: 'oidc', description: 'OIDC provider exists', met: true }],
    exception: null,
  };
  const cases: Array<[string, Partial<PlanEntryFacts>, boolean | null]> = [
    ['all prerequisites met', {}, true],
    ['a blocker', { blockers: ['fill in the repository'] }, false],
    [
      'an unmet prerequisite',
      { prerequisites: [{ id: 'oidc', description: 'OIDC provider exists', met: false }] },
      false,
    ],
    [
      'an unknown prerequisite',
      { prerequisites: [{ id: 'oidc', description: 'OIDC provider exists', met: null }] },
      null,
    ],
  ];
  for (const [name, overrides, ready] of cases) {
    it(`Given a plan entry with ${name}, When read, Then replacement ready is ${String(ready)}`, () => {
      expect(factsFromPlanEntry({ ...entry, ...overrides }, 'plan').replacementReady).toBe(ready);
    });
  }

  it('Given a plan that says CI but a live break-glass tag, When checked, Then the live tag wins', () => {
    const check = safetyFor({
      entries: new Map([['111111111111/deploy', entry]]),
      classSource: 'plan',
      overrideTagKey: 'roleshift:class',
      force: false,
      missingReason: '',
    });
    expect(
      check({ accountId: '111111111111', userName: 'deploy', tags: [{ Key: 'roleshift:class', Value: 'break-glass' }] })
        .refusals,
    ).toEqual(['it is a break-glass user (tag roleshift:class)']);
  });

  it('Given a user missing from the plan, When checked, Then readiness is unknown with the reason', () => {
    const check = safetyFor({
      entries: new Map(),
      classSource: 'plan',
      overrideTagKey: 'roleshift:class',
      force: false,
      missingReason: 'not in plan.json',
    });
    expect(check({ accountId: '111111111111', userName: 'other', tags: [] }).notes).toContain(
      'replacement readiness not checked: not in plan.json',
    );
  });
});
