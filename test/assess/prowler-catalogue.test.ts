import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/assess/registry.js';

/**
 * The README's check catalogue is the user's answer to "what of Prowler's IAM checks does
 * roleshift cover?": it must list every Prowler IAM check id (test/fixtures/prowler, with its
 * origin) exactly once, and every rule it names must be one `roleshift findings` runs.
 */
const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const PROWLER_IDS = readFileSync(new URL('../fixtures/prowler/iam-check-ids.txt', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line !== '' && !line.startsWith('#'));

interface Row {
  prowler: string;
  rule: string;
  notes: string;
}

function catalogueRows(): Row[] {
  const start = README.indexOf('### Check catalogue');
  const section = README.slice(start, README.indexOf('\n## ', start));
  return [...section.matchAll(/^\| `(iam_[a-z0-9_]+)` \| (`[a-z0-9-]+`|none) \|(.*)\|$/gm)].map((match) => ({
    prowler: match[1] as string,
    rule: (match[2] as string).replace(/`/g, ''),
    notes: (match[3] as string).trim(),
  }));
}

describe('the README check catalogue against Prowler 5.40', () => {
  it("Given Prowler's IAM check ids, When the catalogue is read, Then each appears exactly once and nothing else does", () => {
    expect(PROWLER_IDS).toHaveLength(48);
    expect(catalogueRows().map((row) => row.prowler)).toEqual([...PROWLER_IDS].sort());
  });

  it('Given each answered row, When looked up, Then the rule is one that findings runs', () => {
    const known = new Set([...RULES.estate, ...RULES.trustPolicy].map((rule) => rule.id));
    const unknown = catalogueRows().filter((row) => row.rule !== 'none' && !known.has(row.rule));
    expect(unknown).toEqual([]);
  });

  it('Given a row with no rule, When read, Then it says why none answers', () => {
    const silent = catalogueRows().filter((row) => row.rule === 'none' && row.notes.length < 20);
    expect(silent).toEqual([]);
  });
});
