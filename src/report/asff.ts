/**
 * Findings in the AWS Security Finding Format: the `Findings` array of Security Hub's
 * BatchImportFindings, for the account's default product. One ASFF finding per result, its Id
 * stable per rule and resource so a re-import updates the finding instead of adding one. JSON is
 * data: nothing is escaped beyond JSON's own quoting, and no finding carries a secret.
 */
import type { Finding, Severity } from '../model/finding.js';
import { findingFingerprint, sortFindings } from './findings-common.js';

export const ASFF_SCHEMA_VERSION = '2018-10-08';

export interface AsffOptions {
  toolVersion: string;
  /** The run's clock: CreatedAt, UpdatedAt and the observation times. */
  now: Date;
  /** The Security Hub region the findings are imported into. */
  region: string;
  /** Where findings tied to no account (a check that could not run) are reported: the scanning account. */
  homeAccountId: string;
}

/**
 * With the default product, Security Hub accepts a finding only from the account it names
 * (AwsAccountId equal to the caller, ProductArn that account's default product), so each finding
 * carries its own account's product and an Organization's findings are imported account by account.
 */
export function defaultProductArn(region: string, accountId: string): string {
  return `arn:aws:securityhub:${region}:${accountId}:product/${accountId}/default`;
}

const LABEL: Record<Severity, string> = {
  critical: 'CRITICAL',
  high: 'HIGH',
  medium: 'MEDIUM',
  low: 'LOW',
  info: 'INFORMATIONAL',
};

const RESOURCE_TYPE: Partial<Record<Finding['resourceType'], string>> = {
  user: 'AwsIamUser',
  role: 'AwsIamRole',
  group: 'AwsIamGroup',
  policy: 'AwsIamPolicy',
  account: 'AwsAccount',
  root: 'AwsAccount',
};

const CIS_STANDARD = 'CIS AWS Foundations Benchmark v3.0.0';
const BEST_PRACTICES = 'Software and Configuration Checks/AWS Security Best Practices';
const CIS_TYPE = 'Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark';

/** The lengths the Security Hub API documents for these fields (the model does not enforce them). */
const LIMITS = { title: 256, description: 1024, recommendation: 512 } as const;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The AWS partition of a resource's ARN (aws when it has none): ASFF and OCSF both carry it. */
export function partitionOf(arn: string | null): string {
  const partition = arn?.split(':')[1];
  return partition === 'aws-cn' || partition === 'aws-us-gov' ? partition : 'aws';
}

/** Security Hub's resource type (AwsIamUser...), which Prowler's OCSF output carries too. */
export function awsResourceType(f: Finding): string {
  return RESOURCE_TYPE[f.resourceType] ?? 'Other';
}

/** The resource's ARN; an account without one is Security Hub's `AWS::::Account:ID`; anything else its name. */
export function awsResourceId(f: Finding, accountId: string): string {
  return f.resourceArn ?? (f.resourceType === 'account' ? `AWS::::Account:${accountId}` : f.resourceName);
}

/** The finding types of Security Hub's taxonomy: best practices, and the CIS standard when a CIS id applies. */
export function findingTypes(f: Finding): string[] {
  return f.references.cis.length > 0 ? [BEST_PRACTICES, CIS_TYPE] : [BEST_PRACTICES];
}

function resourceOf(f: Finding, accountId: string, region: string): Record<string, unknown> {
  return {
    Type: awsResourceType(f),
    Id: awsResourceId(f, accountId),
    Partition: partitionOf(f.resourceArn),
    Region: region,
  };
}

/** A check that could not run is neither passed nor failed: Security Hub's WARNING, information missing. */
function complianceStatus(f: Finding): string {
  if (f.status === 'pass') return 'PASSED';
  return f.status === 'error' ? 'WARNING' : 'FAILED';
}

function compliance(f: Finding): Record<string, unknown> {
  const requirements = f.references.cis.map((id) => `${CIS_STANDARD}/${id}`);
  return { Status: complianceStatus(f), ...(requirements.length > 0 ? { RelatedRequirements: requirements } : {}) };
}

function productFields(f: Finding, toolVersion: string): Record<string, string> {
  const fields: Record<string, string> = {
    'roleshift/CheckId': f.checkId,
    'roleshift/ResourceName': f.resourceName,
    'roleshift/ToolVersion': toolVersion,
  };
  if (f.references.securityHub.length > 0) fields['roleshift/SecurityHubControls'] = f.references.securityHub.join(',');
  return fields;
}

function asffFinding(f: Finding, options: AsffOptions): Record<string, unknown> {
  const accountId = f.accountId ?? options.homeAccountId;
  const at = options.now.toISOString();
  const url = f.references.links[0];
  // A pass is no issue: Security Hub labels passed control findings INFORMATIONAL; Original keeps the rule's.
  const severity = { Label: f.status === 'pass' ? 'INFORMATIONAL' : LABEL[f.severity], Original: f.severity };
  const types = findingTypes(f);
  return {
    SchemaVersion: ASFF_SCHEMA_VERSION,
    Id: `roleshift/${f.checkId}/${findingFingerprint(f)}`,
    ProductArn: defaultProductArn(options.region, accountId),
    GeneratorId: f.checkId,
    AwsAccountId: accountId,
    Region: options.region,
    Types: types,
    FirstObservedAt: at,
    LastObservedAt: at,
    CreatedAt: at,
    UpdatedAt: at,
    Severity: severity,
    Title: clip(f.title, LIMITS.title),
    Description: clip(f.message, LIMITS.description),
    Remediation: {
      Recommendation: { Text: clip(f.remediation, LIMITS.recommendation), ...(url !== undefined ? { Url: url } : {}) },
    },
    ProductFields: productFields(f, options.toolVersion),
    Resources: [resourceOf(f, accountId, options.region)],
    Compliance: compliance(f),
    // Security Hub takes later changes of severity and types from the provider only through these.
    FindingProviderFields: { Severity: severity, Types: types },
    Workflow: { Status: f.status === 'pass' ? 'RESOLVED' : 'NEW' },
    RecordState: 'ACTIVE',
  };
}

/** The `Findings` array, as `aws securityhub batch-import-findings --findings file://...` reads it. */
export function renderFindingsAsff(findings: readonly Finding[], options: AsffOptions): string {
  return `${JSON.stringify(
    sortFindings(findings).map((f) => asffFinding(f, options)),
    null,
    2,
  )}\n`;
}
