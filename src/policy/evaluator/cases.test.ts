import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Organization } from '../../model/organization.js';
import type { PolicyDocument, Role, Snapshot } from '../../model/snapshot.js';
import { UNKNOWN, whenAt } from '../../model/when.js';
import { buildAccount, buildSnapshot, buildUser } from '../../../test/fixtures/build-snapshot.js';
import { decide } from './decide.js';
import { createEvaluator } from './evaluator.js';
import { requestKnowledge } from './knowledge.js';

/**
 * Table cases from the AWS documentation (`cases/*.json`), each run through the real evaluator on
 * a one-principal snapshot: identity policies inline, the boundary as a managed policy, SCPs at
 * the levels of an organization (root, OU, account).
 */
interface Case {
  name: string;
  doc: string;
  mode?: 'request' | 'scan';
  management?: boolean;
  principal?: { kind: 'user' | 'role'; name: string; path?: string; tags?: Record<string, string> };
  identity: PolicyDocument[];
  boundary?: PolicyDocument;
  scps?: PolicyDocument[][];
  request: { action: string; resource: string; context?: Record<string, string | string[]> };
  expect: 'allowed' | 'denied' | 'conditional';
  causes?: string[];
}

const ACCOUNT = '111122223333';
const CASES_DIR = fileURLToPath(new URL('./cases/', import.meta.url));

function roleOf(
  spec: NonNullable<Case['principal']>,
  inline: Role['inlinePolicies'],
  boundary: Role['permissionsBoundary'],
): Role {
  const path = spec.path ?? '/';
  return {
    arn: `arn:aws:iam::${ACCOUNT}:role${path}${spec.name}`,
    name: spec.name,
    roleId: 'AROAEXAMPLE000000001',
    path,
    createDate: whenAt('2025-01-01T00:00:00Z'),
    description: null,
    maxSessionDuration: 3600,
    tags: spec.tags ?? {},
    trustPolicy: { Version: '2012-10-17', Statement: [] },
    attachedPolicies: [],
    inlinePolicies: inline,
    permissionsBoundary: boundary,
    lastUsed: UNKNOWN,
    lastUsedRegion: null,
    instanceProfiles: [],
  };
}

function organizationOf(levels: PolicyDocument[][], management: boolean): Organization {
  const targets = ['r-root', ...levels.slice(1, -1).map((_, i) => `ou-level-${i + 1}`), ACCOUNT];
  return {
    id: 'o-cases',
    managementAccountId: management ? ACCOUNT : '999999999999',
    accounts: [
      {
        accountId: ACCOUNT,
        name: 'cases',
        status: 'ACTIVE',
        ouPath: [],
        ouIds: targets.slice(0, -1),
        joinedAt: UNKNOWN,
      },
    ],
    scps: levels.flatMap((documents, level) =>
      documents.map((document, i) => ({
        id: `p-${level}-${i}`,
        arn: `arn:aws:organizations::999999999999:policy/o-cases/service_control_policy/p-${level}-${i}`,
        name: `scp-${level}-${i}`,
        awsManaged: false,
        document,
        targets: [{ targetId: targets[level] ?? ACCOUNT, type: 'X', name: 'x' }],
      })),
    ),
  };
}

function snapshotOf(testCase: Case): { snapshot: Snapshot; arn: string } {
  const inline = testCase.identity.map((document, i) => ({ name: `policy-${i}`, document }));
  const boundaryArn = `arn:aws:iam::${ACCOUNT}:policy/boundary`;
  const boundary = testCase.boundary ? { arn: boundaryArn, type: 'Policy' } : null;
  const spec = testCase.principal ?? { kind: 'user', name: 'alice' };
  const policies = testCase.boundary
    ? [
        {
          arn: boundaryArn,
          name: 'boundary',
          path: '/',
          awsManaged: false,
          attachmentCount: 1,
          defaultVersionId: 'v1',
          document: testCase.boundary,
        },
      ]
    : [];
  const account =
    spec.kind === 'user'
      ? buildAccount(ACCOUNT, {
          users: [
            buildUser(
              spec.name,
              { inlinePolicies: inline, permissionsBoundary: boundary, tags: spec.tags ?? {} },
              ACCOUNT,
            ),
          ],
          policies,
        })
      : buildAccount(ACCOUNT, { roles: [roleOf(spec, inline, boundary)], policies });
  const organization = testCase.scps ? organizationOf(testCase.scps, testCase.management === true) : undefined;
  const snapshot = buildSnapshot([account], organization ? { organization } : {});
  const arn = spec.kind === 'user' ? (account.users[0]?.arn ?? '') : (account.roles[0]?.arn ?? '');
  return { snapshot, arn };
}

const files = readdirSync(CASES_DIR).filter((file) => file.endsWith('.json'));

describe.each(files)('AWS documentation cases: %s', (file) => {
  const { cases } = JSON.parse(readFileSync(`${CASES_DIR}${file}`, 'utf8')) as { cases: Case[] };

  it.each(cases.map((c) => [c.name, c] as const))(
    'Given %s, When evaluated, Then the verdict is as documented',
    (_name, testCase) => {
      const { snapshot, arn } = snapshotOf(testCase);
      const evaluator = createEvaluator(snapshot, { now: new Date('2026-11-20T00:00:00Z') });
      const principal = evaluator.principal(arn);
      if (principal === undefined) throw new Error(`no principal ${arn}`);
      const { action, resource, context = {} } = testCase.request;
      const verdict =
        testCase.mode === 'scan'
          ? evaluator.evaluate(principal, action, resource, context)
          : decide(evaluator.layers(principal), { action, resource, knowledge: requestKnowledge(context) });
      expect(verdict.decision, testCase.doc).toBe(testCase.expect);
      if (testCase.causes) expect(verdict.causes, testCase.doc).toEqual(testCase.causes);
    },
  );
});
