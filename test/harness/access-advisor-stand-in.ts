import { forwardRequest, listenOnLoopback } from './loopback.js';
import { createServer, type Server } from 'node:http';

/**
 * moto 5.2.1 does not implement IAM access advisor (GenerateServiceLastAccessedDetails,
 * GetServiceLastAccessedDetails, and the Organizations access report: GenerateOrganizationsAccessReport,
 * GetOrganizationsAccessReport: HTTP 500). This stand-in on 127.0.0.1 answers those four calls in IAM's query/XML wire format,
 * as AWS's API reference documents them (jobs that stay IN_PROGRESS for some polls, FAILED jobs,
 * pages with IsTruncated and Marker, errors), and forwards every other request to moto untouched,
 * so the real SDK (and the real AWS CLI) talk to one endpoint as they would to AWS.
 */

export interface TrackedActionSpec {
  name: string;
  lastAccessed?: string;
  region?: string;
}

export interface ServiceSpec {
  namespace: string;
  name?: string;
  lastAuthenticated?: string;
  region?: string;
  entities?: number;
  /** Undefined: the service has no action-level data. */
  tracked?: TrackedActionSpec[];
}

export interface ReportSpec {
  services: ServiceSpec[];
  /** Polls answered IN_PROGRESS before the job completes. */
  pollsBeforeDone?: number;
  /** The job ends FAILED with this reason. */
  fail?: { code: string; message: string };
  /** The generate call itself fails with this AWS error. */
  refuse?: { code: string; message: string; status: number };
  /** Services per page (default: all on one page). */
  pageSize?: number;
  /** The first page says more follow but gives no Marker. */
  truncateWithoutMarker?: boolean;
  /** Asking for a page after the first fails with this error. */
  failLaterPages?: { code: string; message: string; status: number };
}

export interface AdvisorScenario {
  /**
   * The report of a user or role by ARN, or of an Organizations entity by entity path; subjects it
   * does not know have none of their services used.
   */
  reportFor(subject: string): ReportSpec;
}

export interface SeenCall {
  action: string;
  params: URLSearchParams;
  signed: boolean;
}

export interface AccessAdvisorStandIn {
  endpoint: string;
  seen: SeenCall[];
  close(): Promise<void>;
}

export const JOB_CREATED = '2026-11-23T09:00:00Z';
export const JOB_COMPLETED = '2026-11-23T09:00:05Z';
const ADVISOR_ACTIONS = new Set([
  'GenerateServiceLastAccessedDetails',
  'GetServiceLastAccessedDetails',
  'GenerateOrganizationsAccessReport',
  'GetOrganizationsAccessReport',
]);

/** The n-th job's id, a UUID as AWS's are (the AWS CLI refuses a JobId shorter than 36 characters). */
export function standInJobId(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (char) => `&#${char.charCodeAt(0)};`);
}

function element(name: string, value: string | number | undefined): string {
  return value === undefined ? '' : `<${name}>${escapeXml(String(value))}</${name}>`;
}

function response(action: string, result: string): string {
  return `<${action}Response xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>stand-in</RequestId></ResponseMetadata></${action}Response>`;
}

function errorXml(code: string, message: string): string {
  return `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type>${element('Code', code)}${element('Message', message)}</Error><RequestId>stand-in</RequestId></ErrorResponse>`;
}

function serviceXml(spec: ServiceSpec, entity: string): string {
  const used = spec.lastAuthenticated !== undefined;
  const tracked =
    spec.tracked === undefined
      ? ''
      : `<TrackedActionsLastAccessed>${spec.tracked
          .map(
            (action) =>
              `<member>${element('ActionName', action.name)}${action.lastAccessed === undefined ? '' : `${element('LastAccessedEntity', entity)}${element('LastAccessedTime', action.lastAccessed)}${element('LastAccessedRegion', action.region ?? 'us-east-1')}`}</member>`,
          )
          .join('')}</TrackedActionsLastAccessed>`;
  return `<member>${element('ServiceName', spec.name ?? spec.namespace)}${element('ServiceNamespace', spec.namespace)}${
    used
      ? `${element('LastAuthenticated', spec.lastAuthenticated)}${element('LastAuthenticatedEntity', entity)}${element('LastAuthenticatedRegion', spec.region ?? 'us-east-1')}`
      : ''
  }${element('TotalAuthenticatedEntities', spec.entities ?? (used ? 1 : 0))}${tracked}</member>`;
}

/** One AccessDetail of GetOrganizationsAccessReport; the last accessing entity is the subject's path. */
function accessDetailXml(spec: ServiceSpec, entityPath: string): string {
  const used = spec.lastAuthenticated !== undefined;
  return `<member>${element('ServiceName', spec.name ?? spec.namespace)}${element('ServiceNamespace', spec.namespace)}${
    used
      ? `${element('Region', spec.region ?? 'us-east-1')}${element('EntityPath', entityPath)}${element('LastAuthenticatedTime', spec.lastAuthenticated)}`
      : ''
  }${element('TotalAuthenticatedEntities', spec.entities ?? (used ? 1 : 0))}</member>`;
}

/** How the two kinds of job answer: their Get action, list element, item and error element. */
interface JobDialect {
  getAction: string;
  list: string;
  item(spec: ServiceSpec, subject: string): string;
  errorElement: string;
  /** What a completed page says before its list: the job type, or the Organizations report's counts. */
  completedHead(spec: ReportSpec): string;
}

const PRINCIPAL_JOB: JobDialect = {
  getAction: 'GetServiceLastAccessedDetails',
  list: 'ServicesLastAccessed',
  item: serviceXml,
  errorElement: 'Error',
  completedHead: () => '<JobType>ACTION_LEVEL</JobType>',
};

const ORGANIZATIONS_JOB: JobDialect = {
  getAction: 'GetOrganizationsAccessReport',
  list: 'AccessDetails',
  item: accessDetailXml,
  errorElement: 'ErrorDetails',
  completedHead: (spec) =>
    `${element('NumberOfServicesAccessible', spec.services.length)}${element(
      'NumberOfServicesNotAccessed',
      spec.services.filter((service) => service.lastAuthenticated === undefined).length,
    )}`,
};

interface JobState {
  subject: string;
  spec: ReportSpec;
  polls: number;
  dialect: JobDialect;
}

type Answer = { status: number; body: string };

/** One page of a completed job, with the marker of the next when there is one. */
function jobPageXml(job: JobState, markerParam: string | null): Answer {
  const { spec, dialect } = job;
  if (markerParam !== null && spec.failLaterPages)
    return {
      status: spec.failLaterPages.status,
      body: errorXml(spec.failLaterPages.code, spec.failLaterPages.message),
    };
  const start = markerParam === null ? 0 : Number(markerParam.replace('page-', ''));
  const size = spec.pageSize ?? Math.max(1, spec.services.length);
  const page = spec.services.slice(start, start + size);
  const more = start + size < spec.services.length;
  const paging = `${element('IsTruncated', more ? 'true' : 'false')}${more && !spec.truncateWithoutMarker ? element('Marker', `page-${start + size}`) : ''}`;
  const services = page.map((service) => dialect.item(service, job.subject)).join('');
  return {
    status: 200,
    body: response(
      dialect.getAction,
      `<JobStatus>COMPLETED</JobStatus>${dialect.completedHead(spec)}${element('JobCreationDate', JOB_CREATED)}<${dialect.list}>${services}</${dialect.list}>${element('JobCompletionDate', JOB_COMPLETED)}${paging}`,
    ),
  };
}

function pollXml(job: JobState | undefined, action: string, marker: string | null): Answer {
  // A job is read only through the Get call of its own kind, as in AWS.
  if (job === undefined || job.dialect.getAction !== action)
    return { status: 404, body: errorXml('NoSuchEntity', 'no job with this JobId') };
  job.polls += 1;
  const head = `${element('JobCreationDate', JOB_CREATED)}`;
  const { list, errorElement } = job.dialect;
  if (marker === null && job.polls <= (job.spec.pollsBeforeDone ?? 0))
    return { status: 200, body: response(action, `<JobStatus>IN_PROGRESS</JobStatus>${head}<${list}/>`) };
  if (job.spec.fail)
    return {
      status: 200,
      body: response(
        action,
        `<JobStatus>FAILED</JobStatus>${head}${element('JobCompletionDate', JOB_COMPLETED)}<${errorElement}>${element('Message', job.spec.fail.message)}${element('Code', job.spec.fail.code)}</${errorElement}>`,
      ),
    };
  return jobPageXml(job, marker);
}

function createAnswerer(scenario: AdvisorScenario): (params: URLSearchParams) => Answer {
  const jobs = new Map<string, JobState>();
  const start = (subject: string, action: string, dialect: JobDialect): Answer => {
    const spec = scenario.reportFor(subject);
    if (spec.refuse) return { status: spec.refuse.status, body: errorXml(spec.refuse.code, spec.refuse.message) };
    const jobId = standInJobId(jobs.size + 1);
    jobs.set(jobId, { subject, spec, polls: 0, dialect });
    return { status: 200, body: response(action, element('JobId', jobId)) };
  };
  return (params) => {
    const action = params.get('Action') ?? '';
    if (action === 'GenerateServiceLastAccessedDetails') return start(params.get('Arn') ?? '', action, PRINCIPAL_JOB);
    if (action === 'GenerateOrganizationsAccessReport')
      return start(params.get('EntityPath') ?? '', action, ORGANIZATIONS_JOB);
    return pollXml(jobs.get(params.get('JobId') ?? ''), action, params.get('Marker'));
  };
}

/** Starts the stand-in; `moto` is where every other request goes (omit it for advisor calls only). */
export async function startAccessAdvisorStandIn(
  scenario: AdvisorScenario,
  moto?: string,
): Promise<AccessAdvisorStandIn> {
  const seen: SeenCall[] = [];
  const answer = createAnswerer(scenario);
  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const params = new URLSearchParams(body.toString('utf8'));
      const action = params.get('Action') ?? '';
      if (!ADVISOR_ACTIONS.has(action)) {
        if (moto === undefined) {
          outgoing.writeHead(501, { 'content-type': 'text/xml' });
          outgoing.end(errorXml('NotImplemented', `${action} is not answered by the stand-in`));
          return;
        }
        forwardRequest(incoming, body, outgoing, new URL(moto));
        return;
      }
      seen.push({ action, params, signed: /^AWS4-HMAC-SHA256 /.test(String(incoming.headers.authorization ?? '')) });
      const reply = answer(params);
      outgoing.writeHead(reply.status, { 'content-type': 'text/xml' });
      outgoing.end(reply.body);
    });
  });
  const listening = await listenOnLoopback(server);
  return {
    ...listening,
    seen,
  };
}
