import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectFromFiles } from '../../src/collect/files.js';
import { loadIamCatalog } from '../../src/policy/action-catalog.js';
import { createEvaluator } from '../../src/policy/evaluator/evaluator.js';
import { analyzePrivileges, type PrivilegeAnalysis } from '../../src/policy/privilege/privilege.js';
import {
  ASSUME_ROLE_CHAIN,
  DOCUMENTED_PATHS,
  FALSE_NEGATIVES,
  FALSE_POSITIVES,
  hideNames,
  LAB_ACCOUNT,
  LAB_ADMIN_ROLES,
  PERMISSIONLESS,
  SRE,
} from './lab.js';

/**
 * Acceptance of the engine on BishopFox's public iam-vulnerable lab (see `lab.ts`): every name
 * replaced by a random one before analysis, the expected sets from the lab's documentation.
 */
const NOW = new Date('2026-11-20T00:00:00Z');

let dir = '';
let analysis: PrivilegeAnalysis;
let names: ReadonlyMap<string, string>;

function arnOf(kind: 'user' | 'role' | 'group', original: string): string {
  const name = names.get(original);
  if (name === undefined) throw new Error(`the lab has no ${kind} ${original}`);
  return `arn:aws:iam::${LAB_ACCOUNT}:${kind}/${name}`;
}

/** The role's ARN as the snapshot has it (roles may have a path). */
function roleArn(original: string): string {
  const name = names.get(original);
  const found = analysis.assessments.find((a) => a.principal.kind === 'role' && a.principal.name === name);
  if (!found) throw new Error(`no role ${original}`);
  return found.principal.arn;
}

beforeAll(async () => {
  const hidden = hideNames();
  names = hidden.names;
  dir = mkdtempSync(join(tmpdir(), 'roleshift-lab-'));
  writeFileSync(join(dir, 'gaad.json'), hidden.text);
  const snapshot = await collectFromFiles(dir, { now: () => NOW });
  analysis = analyzePrivileges(createEvaluator(snapshot, { now: NOW }), await loadIamCatalog());
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('iam-vulnerable lab, every name replaced by a random one', () => {
  it.each(Object.entries(DOCUMENTED_PATHS))(
    'Given the documented path %s, When analysed, Then its user and its role are flagged through that method',
    (path, methods) => {
      for (const arn of [arnOf('user', `${path}-user`), roleArn(`${path}-role`)]) {
        const finding = analysis.of(arn)?.escalation;
        expect(finding, `${path}: ${arn}`).toBeTruthy();
        expect(
          methods.some((m) => finding?.steps[0]?.method.split('+').includes(m)),
          `${path}: ${finding?.steps[0]?.method}`,
        ).toBe(true);
      }
    },
  );

  it('Given the SRE principals with iam:*, When analysed, Then the user, the group and the role can make themselves administrators', () => {
    for (const arn of [arnOf('user', `${SRE}-user`), arnOf('group', `${SRE}-group`), roleArn(`${SRE}-role`)])
      expect(analysis.of(arn)?.escalation?.gains, arn).toBe('admin');
  });

  it('Given the STS-AssumeRole path, When analysed, Then the starting and intermediate roles reach the ending role step by step', () => {
    const [starting, intermediate] = ASSUME_ROLE_CHAIN.map(roleArn);
    const ending = roleArn('privesc-AssumeRole-ending-role');
    const start = analysis.of(starting as string)?.escalation;
    expect(start).toMatchObject({ gains: 'admin', severity: 'critical', certain: true });
    expect(start?.steps.map((s) => [s.method, s.becomes])).toEqual([
      ['sts-assume-role', intermediate],
      ['sts-assume-role', ending],
    ]);
    expect(analysis.of(intermediate as string)?.escalation?.steps.map((s) => s.becomes)).toEqual([ending]);
  });

  it.each(Object.entries(FALSE_NEGATIVES))(
    'Given the false-negative case %s, When analysed, Then its user and role are flagged',
    (name, methods) => {
      for (const arn of [arnOf('user', `${name}-user`), roleArn(`${name}-role`)]) {
        const finding = analysis.of(arn)?.escalation;
        expect(finding?.gains, `${name}: ${arn}`).toBe('admin');
        expect(methods).toContain(finding?.steps[0]?.method);
      }
    },
  );

  it.each(FALSE_POSITIVES)(
    'Given the false-positive case %s, When analysed, Then neither its user nor its role is flagged or admin',
    (name) => {
      for (const arn of [arnOf('user', `${name}-user`), roleArn(`${name}-role`)]) {
        const assessment = analysis.of(arn);
        expect(assessment?.escalation, `${name}: ${arn}`).toBeNull();
        expect(assessment?.admin.admin).toBe('no');
        expect(assessment?.admin.level).toBe('none');
      }
    },
  );

  it('Given the principals created without permissions, When analysed, Then none is flagged', () => {
    for (const arn of [arnOf('user', PERMISSIONLESS[0] as string), roleArn(PERMISSIONLESS[1] as string)]) {
      expect(analysis.of(arn)?.escalation).toBeNull();
      expect(analysis.of(arn)?.admin.admin).toBe('no');
    }
  });

  it('Given the lab admin roles, When analysed, Then both are full administrators, reported with who can assume them', () => {
    for (const original of LAB_ADMIN_ROLES) {
      const assessment = analysis.of(roleArn(original));
      expect(assessment?.admin).toMatchObject({ admin: 'yes', level: 'full' });
      expect(assessment?.assumableBy.length).toBeGreaterThan(0);
    }
    const ending = analysis.of(roleArn('privesc-AssumeRole-ending-role'));
    expect(ending?.assumableBy.map((a) => (a.kind === 'principal' ? a.principal.arn : a.kind))).toEqual([
      roleArn('privesc-AssumeRole-intermediate-role'),
    ]);
    const service = analysis.of(roleArn('privesc-high-priv-service-role'));
    expect(service?.assumableBy.every((a) => a.kind === 'outside' && a.trusted.kind === 'service')).toBe(true);
  });

  it('Given the whole lab, When counted, Then 35 users and 37 roles are flagged: every documented path, the chain and fn1-fn4', () => {
    const flagged = analysis.assessments.filter((a) => a.escalation !== null);
    const paths = [...Object.keys(DOCUMENTED_PATHS), ...Object.keys(FALSE_NEGATIVES), SRE];
    const expectedUsers = paths.map((p) => arnOf('user', `${p}-user`));
    const expectedRoles = [...paths.map((p) => roleArn(`${p}-role`)), ...ASSUME_ROLE_CHAIN.map(roleArn)];
    const flaggedArns = new Set(flagged.map((a) => a.principal.arn));
    for (const arn of [...expectedUsers, ...expectedRoles]) expect(flaggedArns.has(arn), arn).toBe(true);
    expect([expectedUsers.length, expectedRoles.length]).toEqual([35, 37]);
  });
});
