/**
 * Findings as SARIF 2.1.0, the format code-scanning services ingest: one rule per check, the
 * severity both as `level` and as the numeric `security-severity` GitHub sorts by, and the CIS /
 * Security Hub references in the rule's properties and tags.
 */
import type { Finding, Severity } from '../model/finding.js';
import type { RuleMetadata } from '../model/rule.js';
import { findingFingerprint, sortFindings } from './findings-common.js';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

/** GitHub's bands: critical > 9.0, high 7.0-8.9, medium 4.0-6.9, low 0.1-3.9. */
export const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0',
};

type Level = 'error' | 'warning' | 'note';

export function sarifLevel(severity: Severity): Level {
  if (severity === 'critical' || severity === 'high') return 'error';
  return severity === 'medium' ? 'warning' : 'note';
}

export interface SarifOptions {
  toolVersion: string;
  /** Every rule that ran, so a consumer can close alerts whose rule now passes. */
  rules?: readonly RuleMetadata[];
  /**
   * A file to anchor findings about cloud resources to (e.g. the snapshot file). Some consumers
   * (GitHub code scanning) drop results that have no physical location.
   */
  artifactUri?: string;
}

function ruleName(id: string): string {
  return id
    .split(/[^a-zA-Z0-9]+/)
    .filter((p) => p !== '')
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
}

function ruleFromFinding(f: Finding): RuleMetadata {
  return {
    id: f.checkId,
    title: f.title,
    severity: f.severity,
    rationale: f.title,
    remediation: f.remediation,
    references: f.references,
  };
}

function sarifRule(rule: RuleMetadata): Record<string, unknown> {
  const tags = [
    'security',
    ...rule.references.cis.map((n) => `CIS-AWS-Foundations-v3.0/${n}`),
    ...rule.references.securityHub.map((id) => `SecurityHub/${id}`),
  ];
  const helpLinks = rule.references.links.map((l) => `- ${l}`).join('\n');
  const out: Record<string, unknown> = {
    id: rule.id,
    name: ruleName(rule.id),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.rationale },
    help: { text: rule.remediation, markdown: `${rule.remediation}${helpLinks === '' ? '' : `\n\n${helpLinks}`}` },
    defaultConfiguration: { level: sarifLevel(rule.severity) },
    properties: {
      'security-severity': SECURITY_SEVERITY[rule.severity],
      severity: rule.severity,
      precision: 'high',
      tags,
      cis: rule.references.cis,
      securityHub: rule.references.securityHub,
    },
  };
  const helpUri = rule.references.links[0];
  if (helpUri !== undefined) out['helpUri'] = helpUri;
  return out;
}

function toUri(path: string): string {
  return encodeURI(path.replace(/\\/g, '/'));
}

function locationsOf(f: Finding, artifactUri: string | undefined): Array<Record<string, unknown>> {
  const logical = [{ fullyQualifiedName: f.resourceArn ?? f.resourceName, name: f.resourceName, kind: 'resource' }];
  if (f.location) {
    const region = f.location.line !== null && f.location.line > 0 ? { region: { startLine: f.location.line } } : {};
    const location: Record<string, unknown> = {
      physicalLocation: { artifactLocation: { uri: toUri(f.location.file) }, ...region },
    };
    if (f.location.pointer !== null)
      location['logicalLocations'] = [{ fullyQualifiedName: f.location.pointer, kind: 'member' }];
    else if (f.resourceArn !== null) location['logicalLocations'] = logical;
    return [location];
  }
  if (artifactUri !== undefined)
    return [
      {
        physicalLocation: { artifactLocation: { uri: toUri(artifactUri) }, region: { startLine: 1 } },
        logicalLocations: logical,
      },
    ];
  return [{ logicalLocations: logical }];
}

export function renderFindingsSarif(findings: readonly Finding[], options: SarifOptions): string {
  const sorted = sortFindings(findings);
  const rules = new Map<string, RuleMetadata>();
  for (const r of options.rules ?? []) rules.set(r.id, r);
  for (const f of sorted) if (!rules.has(f.checkId)) rules.set(f.checkId, ruleFromFinding(f));
  const ruleList = [...rules.values()];
  const ruleIndex = new Map(ruleList.map((r, i) => [r.id, i]));
  const results = sorted.filter((f) => f.status !== 'error');
  const errors = sorted.filter((f) => f.status === 'error');
  const sarifResults = results.map((f) => ({
    ruleId: f.checkId,
    ruleIndex: ruleIndex.get(f.checkId) ?? 0,
    // A pass (with --include-passed) is evidence the rule held: SARIF's kind "pass", level "none".
    kind: f.status,
    level: f.status === 'pass' ? 'none' : sarifLevel(f.severity),
    message: { text: f.message },
    locations: locationsOf(f, options.artifactUri),
    partialFingerprints: { 'roleshiftFinding/v1': findingFingerprint(f) },
    properties: {
      severity: f.severity,
      'security-severity': SECURITY_SEVERITY[f.severity],
      accountId: f.accountId,
      resourceType: f.resourceType,
      resourceName: f.resourceName,
    },
  }));
  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'roleshift',
            version: options.toolVersion,
            semanticVersion: /^\d+\.\d+\.\d+/.test(options.toolVersion) ? options.toolVersion : undefined,
            rules: ruleList.map(sarifRule),
          },
        },
        invocations: [
          {
            executionSuccessful: errors.length === 0,
            toolExecutionNotifications: errors.map((f) => ({
              level: 'error',
              message: { text: `${f.checkId}: ${f.message}` },
              descriptor: { id: f.checkId },
            })),
          },
        ],
        results: sarifResults,
        columnKind: 'unicodeCodePoints',
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
