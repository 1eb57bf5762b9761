import { readFileSync } from 'node:fs';
import AjvDraft04Module from 'ajv-draft-04';
import { describe, expect, it } from 'vitest';
import { CHECKS, metadataOf } from '../assess/registry.js';
import type { Finding } from '../model/finding.js';
import { renderFindingsSarif, sarifLevel, SECURITY_SEVERITY } from './sarif.js';

/** The SARIF 2.1.0 schema, vendored (see test/fixtures/sarif/ORIGIN.md): no network in tests. */
const schema = JSON.parse(
  readFileSync(new URL('../../test/fixtures/sarif/sarif-2.1.0-rtm.5.json', import.meta.url), 'utf8'),
) as object;
// A CommonJS module: under NodeNext its class sits on `default` at run time.
const AjvDraft04 = AjvDraft04Module.default;
// The schema's language pattern is not valid as a Unicode regular expression; Ajv must not add the `u` flag.
const validate = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false }).compile(schema);

function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    checkId: 'root-access-key',
    title: 'Root user has an active access key',
    severity: 'critical',
    status: 'fail',
    accountId: '111111111111',
    resourceType: 'root',
    resourceArn: 'arn:aws:iam::111111111111:root',
    resourceName: '111111111111/<root>',
    message: 'the root user has 1 active access key',
    location: null,
    references: {
      cis: ['1.4'],
      securityHub: ['IAM.4'],
      links: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user_manage_delete-key.html'],
    },
    remediation: 'Delete it.',
    ...overrides,
  };
}

const lint = finding({
  checkId: 'trust-github-no-sub',
  title: 'GitHub OIDC trust without a sub condition',
  resourceType: 'file',
  resourceArn: null,
  resourceName: 'infra/roles.tf',
  accountId: null,
  location: { file: 'infra/my roles.tf', line: 12, pointer: 'aws_iam_role.deploy' },
  references: { cis: [], securityHub: [], links: [] },
});
const errored = finding({
  checkId: 'full-admin-access',
  status: 'error',
  severity: 'high',
  message: 'the check failed to run: boom',
});
const medium = finding({
  checkId: 'unused-credentials',
  severity: 'medium',
  resourceType: 'user',
  resourceArn: 'arn:aws:iam::111111111111:user/a',
  resourceName: '111111111111/a',
});

interface SarifLog {
  runs: Array<{
    tool: {
      driver: {
        rules: Array<{ id: string; properties: Record<string, unknown>; defaultConfiguration: { level: string } }>;
      };
    };
    results: Array<{
      ruleId: string;
      ruleIndex: number;
      level: string;
      locations: Array<Record<string, unknown>>;
      partialFingerprints: Record<string, string>;
    }>;
    invocations: Array<{
      executionSuccessful: boolean;
      toolExecutionNotifications: Array<{ message: { text: string } }>;
    }>;
  }>;
}

describe('renderFindingsSarif', () => {
  const rules = metadataOf(CHECKS);
  const text = renderFindingsSarif([finding(), lint, errored, medium], {
    toolVersion: '0.1.0',
    rules,
    artifactUri: 'snapshots/estate.json',
  });
  const log = JSON.parse(text) as SarifLog;
  const run = log.runs[0];

  it('Given cloud, file and error findings, When rendered, Then the log validates against the SARIF 2.1.0 schema', () => {
    expect(validate(JSON.parse(text)), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('Given a log with a wrong level, When validated, Then the schema rejects it (the validator really checks)', () => {
    const broken = JSON.parse(text) as { runs: Array<{ results: Array<{ level: string }> }> };
    const first = broken.runs[0]?.results[0];
    if (first) first.level = 'fatal';
    expect(validate(broken)).toBe(false);
  });

  it('Given no findings at all, When rendered, Then the log is still valid and lists every rule', () => {
    const empty = JSON.parse(renderFindingsSarif([], { toolVersion: '0.1.0', rules })) as SarifLog;
    expect(validate(empty), JSON.stringify(validate.errors)).toBe(true);
    expect(empty.runs[0]?.tool.driver.rules).toHaveLength(CHECKS.length);
    expect(empty.runs[0]?.results).toEqual([]);
  });

  it('Given the rule list, Then there is one rule per check plus rules for findings from elsewhere (lint)', () => {
    const ids = run?.tool.driver.rules.map((r) => r.id) ?? [];
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...CHECKS.map((c) => c.id), 'trust-github-no-sub']);
  });

  it('Given a CIS-mapped rule, Then severity and references are in its properties and tags', () => {
    const rule = run?.tool.driver.rules.find((r) => r.id === 'root-access-key');
    expect(rule?.defaultConfiguration.level).toBe('error');
    expect(rule?.properties).toMatchObject({ 'security-severity': '9.5', cis: ['1.4'], securityHub: ['IAM.4'] });
    expect(rule?.properties['tags']).toEqual(['security', 'CIS-AWS-Foundations-v3.0/1.4', 'SecurityHub/IAM.4']);
  });

  it('Given results, Then each points at its rule, carries the level of its severity and a logical or physical location', () => {
    const byRule = Object.fromEntries((run?.results ?? []).map((r) => [r.ruleId, r]));
    expect(Object.keys(byRule).sort()).toEqual(['root-access-key', 'trust-github-no-sub', 'unused-credentials']);
    for (const r of run?.results ?? []) expect(run?.tool.driver.rules[r.ruleIndex]?.id).toBe(r.ruleId);
    expect(byRule['unused-credentials']?.level).toBe('warning');
    expect(byRule['root-access-key']?.locations[0]).toEqual({
      physicalLocation: { artifactLocation: { uri: 'snapshots/estate.json' }, region: { startLine: 1 } },
      logicalLocations: [
        { fullyQualifiedName: 'arn:aws:iam::111111111111:root', name: '111111111111/<root>', kind: 'resource' },
      ],
    });
    expect(byRule['trust-github-no-sub']?.locations[0]).toEqual({
      physicalLocation: { artifactLocation: { uri: 'infra/my%20roles.tf' }, region: { startLine: 12 } },
      logicalLocations: [{ fullyQualifiedName: 'aws_iam_role.deploy', kind: 'member' }],
    });
  });

  it('Given a check that failed to run, Then it is a tool notification, not a result, and the run is marked unsuccessful', () => {
    expect(run?.results.some((r) => r.ruleId === 'full-admin-access')).toBe(false);
    expect(run?.invocations[0]?.executionSuccessful).toBe(false);
    expect(run?.invocations[0]?.toolExecutionNotifications[0]?.message.text).toBe(
      'full-admin-access: the check failed to run: boom',
    );
  });

  it('Given the same finding twice, Then its fingerprint is stable, and differs for another resource', () => {
    const again = JSON.parse(renderFindingsSarif([finding()], { toolVersion: '9.9.9' })) as SarifLog;
    const other = JSON.parse(
      renderFindingsSarif([finding({ accountId: '222222222222', resourceArn: 'arn:aws:iam::222222222222:root' })], {
        toolVersion: '0.1.0',
      }),
    ) as SarifLog;
    const first = run?.results.find((r) => r.ruleId === 'root-access-key')?.partialFingerprints;
    expect(again.runs[0]?.results[0]?.partialFingerprints).toEqual(first);
    expect(other.runs[0]?.results[0]?.partialFingerprints).not.toEqual(first);
  });

  it.each([
    ['critical', 'error', '9.5'],
    ['high', 'error', '8.0'],
    ['medium', 'warning', '5.5'],
    ['low', 'note', '3.0'],
    ['info', 'note', '0.0'],
  ] as const)('Given severity %s, Then level is %s and security-severity %s', (severity, level, score) => {
    expect(sarifLevel(severity)).toBe(level);
    expect(SECURITY_SEVERITY[severity]).toBe(score);
  });
});
