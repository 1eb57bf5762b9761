import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../config.js';
import { planGuardrails } from '../plan/guardrails.js';
import type { MigrationPlan } from '../plan/types.js';
import { loadIamCatalog } from '../policy/action-catalog.js';
import { extractPolicies, type Extraction, type ExtractedPolicy } from '../policy/sources.js';
import { lintFindings } from './lint.js';
import { lintRules } from './registry.js';

function policy(document: unknown, overrides: Partial<ExtractedPolicy> = {}): ExtractedPolicy {
  return {
    file: 'f.json',
    resourceName: 'r',
    kind: 'auto',
    document,
    line: 3,
    lineOf: () => 7,
    unresolved: [],
    ...overrides,
  };
}

const OPTIONS = { catalog: await loadIamCatalog(), now: new Date('2026-11-23T09:00:00Z') };

function extraction(policies: ExtractedPolicy[], attachments: Extraction['attachments'] = []): Extraction {
  return { policies, attachments, notes: [] };
}

describe('lintFindings', () => {
  it('Given an auto document with a Principal, When linted, Then it is analysed as a trust policy with the pointer line', () => {
    const findings = lintFindings(
      [extraction([policy({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' }] })])],
      {},
      OPTIONS,
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      checkId: 'trust-public',
      resourceType: 'file',
      location: { file: 'f.json', line: 7, pointer: '/Statement/0/Principal' },
    });
  });

  it('Given an auto document without a Principal, When linted, Then it is analysed as a permissions policy', () => {
    const findings = lintFindings(
      [extraction([policy({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] })])],
      {},
      OPTIONS,
    );
    expect(findings.map((f) => [f.checkId, f.references.cis])).toEqual([['identity-full-admin', ['1.16']]]);
  });

  it('Given unresolved values and an admin attachment, When linted, Then both are reported, gravest first', () => {
    const findings = lintFindings(
      [
        extraction(
          [policy({ Statement: [] }, { kind: 'trust', unresolved: ['var.org', 'var.org'] })],
          [{ file: 'f.json', resourceName: 'role', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess', line: 9 }],
        ),
      ],
      {},
      OPTIONS,
    );
    expect(findings.map((f) => [f.checkId, f.severity, f.location?.line])).toEqual([
      ['identity-admin-managed-policy', 'high', 9],
      ['lint-unresolved', 'info', 3],
    ]);
    expect(findings[1]?.message).toContain(': var.org.');
  });

  it('Given a misspelt action reported by the catalogue, When linted, Then it is a low finding pointing at the action', () => {
    const doc = { Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjcet'], Resource: '*' }] };
    const findings = lintFindings([extraction([policy(doc)])], {}, OPTIONS);
    expect(findings.map((f) => [f.checkId, f.severity, f.location?.pointer])).toEqual([
      ['identity-unknown-action', 'low', '/Statement/0/Action/1'],
    ]);
  });

  it("Given roleshift's generated boundary used as a role's boundary, When linted, Then it is graded as a boundary, not as an administrator grant", async () => {
    const boundary = planGuardrails({ users: [] } as unknown as MigrationPlan, {
      config: DEFAULT_CONFIG,
    }).permissionsBoundary;
    const policyResource = { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: boundary } };
    const role = { Type: 'AWS::IAM::Role', Properties: { PermissionsBoundary: { Ref: 'Boundary' } } };
    const lintTemplate = async (resources: Record<string, unknown>) =>
      lintFindings([await extractPolicies('t.json', JSON.stringify({ Resources: resources }))], {}, OPTIONS).map(
        (f) => f.checkId,
      );
    expect(await lintTemplate({ Boundary: policyResource, Team: role })).toEqual([]);
    // The same document used by nothing is an identity policy that allows nearly everything.
    expect(await lintTemplate({ Boundary: policyResource })).toEqual(['identity-full-admin']);
    const capsNothing = {
      ...policyResource,
      Properties: { PolicyDocument: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } },
    };
    expect(await lintTemplate({ Boundary: capsNothing, Team: role })).toEqual(['boundary-caps-nothing']);
  });

  it('Given the rule list, When read, Then every rule has a distinct id, a rationale and a remediation', () => {
    const rules = lintRules();
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
    for (const rule of rules) {
      expect(rule.rationale.length).toBeGreaterThan(20);
      expect(rule.remediation.length).toBeGreaterThan(20);
    }
  });
});
