import { describe, expect, it } from 'vitest';
import { parsePlanFile } from './plan-file.js';

describe('parsePlanFile', () => {
  it('Given a plan with extra fields, When parsed, Then the safety fields are read and the rest ignored', () => {
    const parsed = parsePlanFile(
      JSON.stringify({
        planDate: '2026-11-23',
        users: [
          {
            accountId: '111111111111',
            userName: 'deploy',
            class: 'ci-cd',
            strategy: 'oidc-federation',
            steps: ['x'],
            blockers: [],
          },
        ],
      }),
    );
    expect(parsed).toEqual({
      ok: true,
      entries: [
        {
          accountId: '111111111111',
          userName: 'deploy',
          class: 'ci-cd',
          strategy: 'oidc-federation',
          blockers: [],
          prerequisites: [],
          exception: null,
          artifacts: [],
        },
      ],
    });
  });

  it('Given a plan whose user has a role artifact, When parsed, Then the role name, account and trust policy are kept for the readiness check', () => {
    const trustPolicy = { Version: '2012-10-17', Statement: [] };
    const parsed = parsePlanFile(
      JSON.stringify({
        users: [
          {
            accountId: '111111111111',
            userName: 'deploy',
            class: 'ci-cd',
            strategy: 'oidc-federation',
            artifacts: [{ kind: 'role', accountId: '111111111111', name: 'deploy-oidc', trustPolicy, path: '/' }],
          },
        ],
      }),
    );
    expect(parsed.ok && parsed.entries[0]?.artifacts?.[0]).toMatchObject({
      kind: 'role',
      name: 'deploy-oidc',
      trustPolicy,
    });
  });
  const bad: Array<[string, string, RegExp]> = [
    ['truncated JSON', '{"users": [', /not valid JSON/],
    ['no users', '{}', /not a roleshift plan at users/],
    [
      'a bad account id',
      JSON.stringify({ users: [{ accountId: '1', userName: 'x', class: 'human', strategy: 's' }] }),
      /at users\.0\.accountId/,
    ],
  ];
  for (const [name, text, problem] of bad) {
    it(`Given ${name}, When parsed, Then the problem is one line`, () => {
      const parsed = parsePlanFile(text);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.problem).toMatch(problem);
    });
  }
});
