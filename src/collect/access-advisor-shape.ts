import { InputFileError } from '../errors.js';
import type { OrgServiceAccess, ServiceAccess, TrackedAction } from '../model/access-advisor.js';
import type { When } from '../model/snapshot.js';
import { NEVER } from '../model/when.js';
import { compare } from './gaad.js';
import {
  dateAt,
  isRecord,
  optionalBooleanAt,
  optionalNumberAt,
  optionalStringAt,
  readShape,
  recordAt,
  recordsAt,
  requiredStringAt,
  type Json,
  type JsonPath,
} from './shape.js';

/**
 * Normalisers for the answers of IAM access advisor, in both shapes: the SDK's (Date objects) and
 * the AWS CLI's JSON files (ISO strings). Pure; `source` names the API or the file.
 */

export type JobStatus = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';

/** What one page of a job's answer says: its state, and when completed its part of the report. */
export interface JobPage<T> {
  status: JobStatus;
  /** AWS's reason when the job FAILED. */
  error: { code: string; message: string } | null;
  generatedAt: When;
  items: T[];
  /** The next page's marker when the answer says more follow (`IsTruncated`). */
  marker: string | null;
  /** The answer says more follow, whether or not it gave a marker to ask for them. */
  continues: boolean;
  /** The Organizations access report's counts (`NumberOfServices...`); null where the API has none. */
  totals: JobTotals;
}

export interface JobTotals {
  allowed: number | null;
  notAccessed: number | null;
}

/** A time AWS leaves out when nothing happened within its tracking period: absent is `never`. */
function lastTimeAt(entry: Json, key: string, path: JsonPath): When {
  return entry[key] === undefined || entry[key] === null ? NEVER : dateAt(entry, key, path);
}

function jobStatusOf(answer: Json, source: string): JobStatus {
  const status = answer.JobStatus;
  if (status === 'IN_PROGRESS' || status === 'COMPLETED' || status === 'FAILED') return status;
  throw new InputFileError(source, `JobStatus: expected IN_PROGRESS, COMPLETED or FAILED, found ${typeof status}`);
}

function errorOf(answer: Json, key: string, path: JsonPath): JobPage<never>['error'] {
  const detail = answer[key];
  if (detail === undefined || detail === null) return null;
  const record = recordAt(detail, [...path, key]);
  return {
    code: optionalStringAt(record, 'Code', [...path, key]) ?? 'Failed',
    message: optionalStringAt(record, 'Message', [...path, key]) ?? 'AWS gave no reason',
  };
}

/** A job answer: status, failure, paging; the items come from `readItems`. */
function jobPage<T>(
  answer: unknown,
  what: string,
  source: string,
  shape: { error: string; readItems: (answer: Json) => T[] },
): JobPage<T> {
  if (!isRecord(answer) || !('JobStatus' in answer))
    throw new InputFileError(source, `not a ${what} answer (no JobStatus)`);
  const status = jobStatusOf(answer, source);
  return readShape(source, () => {
    const truncated = optionalBooleanAt(answer, 'IsTruncated', []) === true;
    const marker = optionalStringAt(answer, 'Marker', []);
    return {
      status,
      error: errorOf(answer, shape.error, []),
      generatedAt: dateAt(answer, 'JobCompletionDate', []),
      items: status === 'COMPLETED' ? shape.readItems(answer) : [],
      marker: truncated ? marker : null,
      continues: truncated,
      totals: {
        allowed: optionalNumberAt(answer, 'NumberOfServicesAccessible', []),
        notAccessed: optionalNumberAt(answer, 'NumberOfServicesNotAccessed', []),
      },
    };
  });
}

/** AWS names tracked actions bare (`PutObject`); roleshift names every action `service:Action`. */
function trackedActionsAt(entry: Json, service: string, path: JsonPath): TrackedAction[] | null {
  if (entry.TrackedActionsLastAccessed === undefined || entry.TrackedActionsLastAccessed === null) return null;
  return recordsAt(entry, 'TrackedActionsLastAccessed', path)
    .map(({ entry: action, path: at }) => {
      const name = requiredStringAt(action, 'ActionName', at);
      return {
        action: name.includes(':') ? name : `${service}:${name}`,
        lastAccessed: lastTimeAt(action, 'LastAccessedTime', at),
        entity: optionalStringAt(action, 'LastAccessedEntity', at),
        region: optionalStringAt(action, 'LastAccessedRegion', at),
      };
    })
    .sort((a, b) => compare(a.action, b.action));
}

function servicesAt(answer: Json): ServiceAccess[] {
  return recordsAt(answer, 'ServicesLastAccessed', []).map(({ entry, path }) => {
    const service = requiredStringAt(entry, 'ServiceNamespace', path);
    return {
      service,
      name: optionalStringAt(entry, 'ServiceName', path) ?? service,
      lastAuthenticated: lastTimeAt(entry, 'LastAuthenticated', path),
      entity: optionalStringAt(entry, 'LastAuthenticatedEntity', path),
      region: optionalStringAt(entry, 'LastAuthenticatedRegion', path),
      totalAuthenticatedEntities: optionalNumberAt(entry, 'TotalAuthenticatedEntities', path),
      trackedActions: trackedActionsAt(entry, service, path),
    };
  });
}

/** `get-service-last-accessed-details` / GetServiceLastAccessedDetails, one page. */
export function normalizeServiceLastAccessedPage(answer: unknown, source: string): JobPage<ServiceAccess> {
  return jobPage(answer, 'GetServiceLastAccessedDetails', source, {
    error: 'Error',
    readItems: servicesAt,
  });
}

function orgServicesAt(answer: Json): OrgServiceAccess[] {
  if (answer.AccessDetails === undefined || answer.AccessDetails === null) return [];
  return recordsAt(answer, 'AccessDetails', []).map(({ entry, path }) => {
    const service = requiredStringAt(entry, 'ServiceNamespace', path);
    return {
      service,
      name: optionalStringAt(entry, 'ServiceName', path) ?? service,
      lastAuthenticated: lastTimeAt(entry, 'LastAuthenticatedTime', path),
      entityPath: optionalStringAt(entry, 'EntityPath', path),
      region: optionalStringAt(entry, 'Region', path),
      totalAuthenticatedEntities: optionalNumberAt(entry, 'TotalAuthenticatedEntities', path),
    };
  });
}

/** GetOrganizationsAccessReport, one page. */
export function normalizeOrganizationsAccessReportPage(answer: unknown, source: string): JobPage<OrgServiceAccess> {
  return jobPage(answer, 'GetOrganizationsAccessReport', source, {
    error: 'ErrorDetails',
    readItems: orgServicesAt,
  });
}

/** Services merged from every page read, one entry per service, in namespace order. */
export function byService<T extends { service: string }>(items: readonly T[]): T[] {
  const seen = new Map<string, T>();
  for (const item of items) if (!seen.has(item.service)) seen.set(item.service, item);
  return [...seen.values()].sort((a, b) => compare(a.service, b.service));
}
