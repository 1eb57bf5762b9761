/**
 * Findings as OCSF Detection Findings (class_uid 2004, OCSF 1.5.0 with the cloud profile), the
 * class and version Prowler's `json-ocsf` output writes: a JSON array, one event per result, the
 * pass/fail verdict in `status_code` as Prowler writes it. `finding_info.uid` is the ASFF Id (stable
 * per rule and resource), so a consumer correlates the two formats and updates instead of adding.
 * JSON is data: nothing is escaped beyond JSON's own quoting, and no finding carries a secret.
 */
import { createHash } from 'node:crypto';
import type { Finding, Severity } from '../model/finding.js';
import { awsResourceId, awsResourceType, findingTypes, partitionOf } from './asff.js';
import { findingFingerprint, sortFindings } from './findings-common.js';

/** The OCSF release the output declares and the vendored schema (test/fixtures/ocsf) was compiled from. */
export const OCSF_VERSION = '1.5.0';
/** Profiles applied (`metadata.profiles`): cloud brings the `cloud` object, required once declared. */
export const OCSF_PROFILES = ['cloud'] as const;

export interface OcsfOptions {
  toolVersion: string;
  /** The run's clock: the event time and the finding's creation time. */
  now: Date;
  /** IAM is global: the region the findings are filed under (`cloud.region`, the resources' region). */
  region: string;
  /** Where findings tied to no account (a check that could not run) are filed: the scanning account. */
  homeAccountId: string;
  /** The AWS Organization scanned, if any: `cloud.org` and `metadata.tenant_uid`. */
  organizationId?: string;
}

/** OCSF severity_id and its caption (1 Informational ... 5 Critical). */
const SEVERITY: Record<Severity, { id: number; caption: string }> = {
  info: { id: 1, caption: 'Informational' },
  low: { id: 2, caption: 'Low' },
  medium: { id: 3, caption: 'Medium' },
  high: { id: 4, caption: 'High' },
  critical: { id: 5, caption: 'Critical' },
};

/** Prowler's status codes; a check that could not run is neither, and says so. */
const STATUS_CODE: Record<Finding['status'], string> = { fail: 'FAIL', pass: 'PASS', error: 'ERROR' };

const CLASS = { class_uid: 2004, class_name: 'Detection Finding', category_uid: 2, category_name: 'Findings' };
const CREATE = { activity_id: 1, activity_name: 'Create', type_uid: 200401, type_name: 'Detection Finding: Create' };
/** OCSF account type_id 10. */
const AWS_ACCOUNT = { type_id: 10, type: 'AWS Account' };
/** OCSF analytic type_id 1: each check is a rule. */
const RULE = { type_id: 1, type: 'Rule' };

/**
 * Unique per event: the finding's identity, its status and message (two results of one rule on one
 * resource differ there) and the run's time (the same finding reported again is another event).
 */
function eventUid(f: Finding, fingerprint: string, now: Date): string {
  const event = [fingerprint, f.status, f.message, now.toISOString()].join('|');
  return createHash('sha256').update(event).digest('hex').slice(0, 32);
}

function cloudOf(accountId: string, options: OcsfOptions): Record<string, unknown> {
  const org = options.organizationId;
  return {
    provider: 'AWS',
    region: options.region,
    account: { uid: accountId, ...AWS_ACCOUNT },
    ...(org !== undefined ? { org: { uid: org } } : {}),
  };
}

function resourceOf(f: Finding, accountId: string, region: string): Record<string, unknown> {
  return {
    uid: awsResourceId(f, accountId),
    name: f.resourceName,
    type: awsResourceType(f),
    region,
    cloud_partition: partitionOf(f.resourceArn),
    group: { name: 'iam' },
  };
}

/** CIS and Security Hub references: Detection Finding has no field for them (Prowler puts them here too). */
function unmappedOf(f: Finding): Record<string, unknown> {
  const { cis, securityHub } = f.references;
  const compliance = {
    ...(cis.length > 0 ? { 'CIS-3.0': cis } : {}),
    ...(securityHub.length > 0 ? { 'AWS-Security-Hub-Controls': securityHub } : {}),
  };
  return Object.keys(compliance).length > 0 ? { unmapped: { compliance } } : {};
}

function detectionFinding(f: Finding, options: OcsfOptions): Record<string, unknown> {
  const accountId = f.accountId ?? options.homeAccountId;
  const fingerprint = findingFingerprint(f);
  const time = options.now.getTime();
  const severity = SEVERITY[f.severity];
  return {
    ...CLASS,
    ...CREATE,
    time,
    severity_id: severity.id,
    severity: severity.caption,
    // A new verdict for the consumer to review, as Prowler files every result; the verdict is status_code.
    status_id: 1,
    status: 'New',
    status_code: STATUS_CODE[f.status],
    status_detail: f.message,
    message: f.message,
    // A check that could not run is raised too: its result is unknown, not clean.
    is_alert: f.status !== 'pass',
    metadata: {
      version: OCSF_VERSION,
      profiles: [...OCSF_PROFILES],
      product: { uid: 'roleshift', name: 'roleshift', vendor_name: 'roleshift', version: options.toolVersion },
      event_code: f.checkId,
      uid: eventUid(f, fingerprint, options.now),
      ...(options.organizationId !== undefined ? { tenant_uid: options.organizationId } : {}),
    },
    finding_info: {
      uid: `roleshift/${f.checkId}/${fingerprint}`,
      title: f.title,
      desc: f.message,
      types: findingTypes(f),
      created_time: time,
      analytic: { uid: f.checkId, name: f.title, ...RULE },
    },
    cloud: cloudOf(accountId, options),
    resources: [resourceOf(f, accountId, options.region)],
    remediation: { desc: f.remediation, ...(f.references.links.length > 0 ? { references: f.references.links } : {}) },
    ...unmappedOf(f),
  };
}

/** The JSON array Prowler's `json-ocsf` writes, one Detection Finding per result, in the findings' order. */
export function renderFindingsOcsf(findings: readonly Finding[], options: OcsfOptions): string {
  return `${JSON.stringify(
    sortFindings(findings).map((f) => detectionFinding(f, options)),
    null,
    2,
  )}\n`;
}
