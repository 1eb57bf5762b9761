import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as estatePermissions from '../../src/assess/permissions.js';
import * as document from '../../src/policy/document.js';
import * as identityAnalysis from '../../src/policy/identity/analyze.js';

/**
 * "Can X do Y" has one answer: the evaluator's. The hand-rolled definitions it replaced (three
 * "full admin" tests that disagreed, a fixed list of escalation actions for users only, a
 * statement-by-statement reading of the exceptions' controls) are gone and stay gone.
 */
const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const FILES = sourceFiles(SRC)
  .map((path) => ({ path: relative(SRC, path), text: readFileSync(path, 'utf8') }))
  .filter(({ path }) => !path.startsWith('policy/evaluator/'));

describe('one evaluator for every "can X do Y"', () => {
  it('Given the modules that held the old definitions, When loaded, Then they no longer export them', () => {
    for (const name of ['userPolicies', 'fullAdminSources', 'isFullAdminStatement', 'allowing', 'WELL_KNOWN_DOCUMENTS'])
      expect(Object.keys(estatePermissions), name).not.toContain(name);
    for (const name of ['statementAllows', 'statementCoversResource', 'resourceMatches', 'conditionsOnKey'])
      expect(Object.keys(document), name).not.toContain(name);
    for (const name of ['isFullAdmin', 'ADMIN_MANAGED_POLICIES'])
      expect(Object.keys(identityAnalysis), name).not.toContain(name);
    expect(existsSync(join(SRC, 'assess/checks/user-privilege-escalation.ts'))).toBe(false);
  });

  it.each([
    'isFullAdmin',
    'fullAdminSources',
    'userPolicies',
    'statementAllows',
    'statementCoversResource',
    'WELL_KNOWN_DOCUMENTS',
    'ADMIN_MANAGED_POLICIES',
    'escalationPaths',
    'TAKEOVER_ACTIONS',
    'COMPUTE_ACTIONS',
    'GRANT_ACTIONS',
    'isAdminStatement',
    'ADMIN_POLICY_ARNS',
  ])('Given every source file outside the evaluator, When searched, Then none defines or uses %s', (name) => {
    const found = FILES.filter(({ text }) => new RegExp(`\\b${name}\\b`).test(text)).map(({ path }) => path);
    expect(found).toEqual([]);
  });

  it('Given statementCoversAction, When searched, Then only trust-policy reading uses it (which statements concern sts:AssumeRole)', () => {
    const users = FILES.filter(({ text }) => /\bstatementCoversAction\(/.test(text)).map(({ path }) => path);
    expect(users.sort()).toEqual([
      'policy/document.ts',
      'policy/escalation/assume-role.ts',
      'policy/trust/analyze.ts',
      'policy/trust/restrictions.ts',
    ]);
  });
});
