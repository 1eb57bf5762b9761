import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/finding.js';
import {
  ASSUME_ROLE_CHAIN,
  DOCUMENTED_PATHS,
  FALSE_NEGATIVES,
  FALSE_POSITIVES,
  hideNames,
  LAB_ADMIN_ROLES,
  PERMISSIONLESS,
  SRE,
} from '../policy/lab.js';
import { cleanEnv, runCli } from './run-cli.js';

/**
 * Acceptance of `roleshift findings` on BishopFox's public iam-vulnerable lab (`../policy/lab.ts`)
 * with the built CLI: `scan --from` a folder holding the lab's GAAD with every name replaced by a
 * random one, then `findings --format json`. The expected sets come from the lab's documentation,
 * mapped through the renaming; the counts are the README's "after" numbers.
 */
const ESCALATION = 'privilege-escalation';
const ADMIN_CHECKS = ['full-admin-access', 'admin-role'];

let dir = '';
let findings: Finding[] = [];
let names: ReadonlyMap<string, string>;

/** The failing findings of a check about the lab principal of that (original) name, user or role. */
function about(checkId: string, kind: 'user' | 'role' | 'group', original: string): Finding[] {
  const name = names.get(original);
  if (name === undefined) throw new Error(`the lab has no ${original}`);
  return findings.filter(
    (f) => f.checkId === checkId && f.resourceType === kind && (f.resourceArn ?? '').endsWith(`:${kind}/${name}`),
  );
}

function flagged(checkId: string, kind: 'user' | 'role' | 'group', original: string): boolean {
  return about(checkId, kind, original).length > 0;
}

beforeAll(async () => {
  const hidden = hideNames();
  names = hidden.names;
  dir = mkdtempSync(join(tmpdir(), 'roleshift-lab-e2e-'));
  mkdirSync(join(dir, 'exports'));
  writeFileSync(join(dir, 'exports', 'get-account-authorization-details.json'), hidden.text);
  const env = cleanEnv();
  const scan = await runCli(['scan', '--from', 'exports', '--store', 'store.duckdb', '--quiet'], { cwd: dir, env });
  // The lab's export has no credential report: a gap, said with exit code 3, never a crash.
  expect([scan.status, scan.stderr]).toEqual([3, expect.stringContaining('iam:GetCredentialReport')]);
  const run = await runCli(['findings', '--store', 'store.duckdb', '--format', 'json'], { cwd: dir, env });
  expect(run.status, run.stderr).toBe(3);
  findings = (JSON.parse(run.stdout) as { findings: Finding[] }).findings;
}, 180_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('roleshift findings on the iam-vulnerable lab, names hidden (built CLI)', () => {
  it.each(Object.entries(DOCUMENTED_PATHS))(
    'Given the documented path %s, When assessed, Then its user and its role are flagged through that method, step by step',
    (path, methods) => {
      for (const [kind, original] of [
        ['user', `${path}-user`],
        ['role', `${path}-role`],
      ] as const) {
        const [finding] = about(ESCALATION, kind, original);
        expect(finding, `${original}`).toBeDefined();
        // A role that can attach policies to users but act as none of them can make them administrators.
        expect(finding?.message).toMatch(
          /^can (become administrator in (one step|\d+ steps)|make .+ administrator): \(1\) /,
        );
        expect(
          methods.some((m) =>
            finding?.message
              .match(/\[([^\]]+)\]/)?.[1]
              ?.split('+')
              .includes(m),
          ),
        ).toBe(true);
      }
    },
  );

  it('Given the AssumeRole chain, When assessed, Then the starting and intermediate roles are critical and the path names each role', () => {
    for (const original of ASSUME_ROLE_CHAIN) expect(about(ESCALATION, 'role', original)[0]?.severity).toBe('critical');
    const [start] = about(ESCALATION, 'role', ASSUME_ROLE_CHAIN[0] as string);
    const hop = names.get(ASSUME_ROLE_CHAIN[1] as string);
    const end = names.get('privesc-AssumeRole-ending-role');
    expect(start?.message).toContain(`uses sts:AssumeRole on role/${hop} to become role/${hop}`);
    expect(start?.message).toMatch(
      new RegExp(`uses sts:AssumeRole on role/[\\w/-]*${end} to become role/[\\w/-]*${end}`),
    );
  });

  it.each(Object.keys(FALSE_NEGATIVES))(
    'Given the false-negative case %s, When assessed, Then its user and role are flagged',
    (name) => {
      expect(flagged(ESCALATION, 'user', `${name}-user`)).toBe(true);
      expect(flagged(ESCALATION, 'role', `${name}-role`)).toBe(true);
    },
  );

  it.each(FALSE_POSITIVES)(
    'Given the false-positive case %s, When assessed, Then neither its user nor its role is flagged',
    (name) => {
      for (const check of [ESCALATION, ...ADMIN_CHECKS]) {
        expect(flagged(check, 'user', `${name}-user`), check).toBe(false);
        expect(flagged(check, 'role', `${name}-role`), check).toBe(false);
      }
    },
  );

  it('Given the principals created without permissions, When assessed, Then none is flagged', () => {
    const [user, role] = PERMISSIONLESS as [string, string];
    for (const check of [ESCALATION, ...ADMIN_CHECKS]) {
      expect(flagged(check, 'user', user)).toBe(false);
      expect(flagged(check, 'role', role)).toBe(false);
    }
  });

  it('Given the two administrator roles, When assessed, Then both are reported with who can assume them', () => {
    const [ending, service] = LAB_ADMIN_ROLES.map((original) => about('admin-role', 'role', original)[0]);
    const hop = names.get(ASSUME_ROLE_CHAIN[1] as string);
    expect(ending).toMatchObject({ severity: 'high' });
    expect(ending?.message).toMatch(new RegExp(`can be assumed by role/[\\w/-]*${hop}$`));
    expect(service).toMatchObject({ severity: 'medium' });
    expect(service?.message).toContain('can be assumed by the service ');
  });

  it('Given the whole lab, When counted, Then 35 users and 37 roles are flagged (72 of 72), the SRE group too, and no false-positive case', () => {
    const paths = [...Object.keys(DOCUMENTED_PATHS), ...Object.keys(FALSE_NEGATIVES), SRE];
    const users = paths.filter((p) => flagged(ESCALATION, 'user', `${p}-user`));
    const roles = [...paths.map((p) => `${p}-role`), ...ASSUME_ROLE_CHAIN].filter((r) =>
      flagged(ESCALATION, 'role', r),
    );
    expect([users.length, roles.length]).toEqual([35, 37]);
    expect(flagged(ESCALATION, 'group', `${SRE}-group`)).toBe(true);
    const falseAlarms = FALSE_POSITIVES.flatMap((name) =>
      [ESCALATION, ...ADMIN_CHECKS].flatMap((check) =>
        [flagged(check, 'user', `${name}-user`), flagged(check, 'role', `${name}-role`)].filter(Boolean),
      ),
    );
    expect(falseAlarms).toEqual([]);
  });
});
