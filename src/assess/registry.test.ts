import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../config.js';
import { RULES } from './registry.js';

/** Rule ids in one folder: the file names, as the convention "id = file name" says. */
function idsIn(folder: string): string[] {
  return readdirSync(new URL(folder, import.meta.url))
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
    .map((file) => file.replace(/\.ts$/, ''))
    .sort();
}

const ALL = Object.values(RULES).flat();

describe('the rule registry', () => {
  it.each([
    ['../policy/trust/rules/', RULES.trustPolicy],
    ['../policy/identity/rules/', [...RULES.permissionsPolicy, ...RULES.policyAttachment]],
    ['../policy/rules/', RULES.anyPolicy],
    ['./checks/', RULES.estate],
  ] as const)(
    'Given the rule files in %s, When compared with the registry, Then each is registered once under its file name',
    (folder, rules) => {
      expect(rules.map((rule) => rule.id).sort()).toEqual(idsIn(folder));
    },
  );

  it('Given every rule, When listed, Then no two share an id', () => {
    expect(new Set(ALL.map((rule) => rule.id)).size).toBe(ALL.length);
  });

  it.each(ALL.map((rule) => [rule.id, rule] as const))(
    'Given %s, Then its metadata is complete and its references well formed',
    (_id, rule) => {
      expect(rule.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(rule.title.length).toBeGreaterThan(5);
      expect(rule.rationale.length).toBeGreaterThan(20);
      expect(rule.remediation.length).toBeGreaterThan(10);
      for (const cis of rule.references.cis) expect(cis).toMatch(/^\d+\.\d+$/);
      for (const sh of rule.references.securityHub) expect(sh).toMatch(/^[A-Za-z0-9]+\.\d+$/);
      for (const link of rule.references.links) expect(link).toMatch(/^https:\/\//);
      expect(rule.parameters(DEFAULT_CONFIG)).toBeTypeOf('object');
    },
  );

  it('Given the issue list, Then each CIS recommendation it names maps to a check', () => {
    const cis = new Set(RULES.estate.flatMap((check) => check.references.cis));
    for (const n of ['1.4', '1.5', '1.6', '1.7', '1.10', '1.11', '1.12', '1.13', '1.14', '1.15', '1.16', '1.21'])
      expect(cis).toContain(n);
  });
});
