import { gapOf } from '../aws/errors.js';
import type { Gap, When } from '../model/snapshot.js';
import { runPool } from '../pool.js';
import type { JobPage, JobTotals } from './access-advisor-shape.js';

/**
 * IAM's report jobs, the way access advisor and the Organizations access report both work: a
 * generate call starts a job, a get call says IN_PROGRESS until it is COMPLETED (or FAILED), and
 * the completed report comes in pages with a Marker. Every job is started first, then all are
 * polled in rounds that back off, so AWS works on them at once. The client retries throttled
 * calls adaptively; a bounded number of calls is in flight.
 *
 * What cannot be read becomes a gap naming the subject: a job that cannot be started, one that
 * FAILED or did not finish in time, and a report whose pages could not all be read, which is kept
 * with what was read and marked incomplete.
 */
export interface JobCalls<S, T> {
  /** `iam:Generate...`, named by gaps about starting. */
  startApi: string;
  /** `iam:Get...`, named by gaps about polling and paging. */
  getApi: string;
  /** Who or what the job is about, as a gap names it (an ARN, an entity path). */
  label(subject: S): string;
  start(subject: S): Promise<string>;
  page(jobId: string, marker: string | undefined): Promise<JobPage<T>>;
}

export interface JobTiming {
  /** Injectable so tests do not wait for real time. */
  sleep?: (ms: number) => Promise<void>;
  /** First wait between polls; it doubles up to 8 s. */
  pollMs?: number;
  /** How long to wait for the jobs before the unfinished ones become gaps. */
  maxWaitMs?: number;
  /** Calls in flight at once. */
  concurrency?: number;
}

export interface JobReport<S, T> {
  subject: S;
  generatedAt: When;
  /** False when some pages could not be read: the items are true, but others may be missing. */
  complete: boolean;
  items: T[];
  totals: JobTotals;
}

const MAX_POLL_MS = 8_000;
const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Job<S> {
  subject: S;
  jobId: string;
}

type PollOutcome<S, T> = { kind: 'pending' } | { kind: 'done'; report: JobReport<S, T> | null; gaps: Gap[] };

function subjectGap<S>(calls: JobCalls<S, unknown>, subject: S, error: unknown, api: string): Gap {
  const gap = gapOf(error, { accountId: null, region: null, api });
  return { ...gap, message: `${calls.label(subject)}: ${gap.message}` };
}

function noteGap<S>(calls: JobCalls<S, unknown>, subject: S, errorCode: string, message: string): Gap {
  return {
    accountId: null,
    region: null,
    api: calls.getApi,
    errorCode,
    message: `${calls.label(subject)}: ${message}`,
  };
}

/**
 * The pages after the first of a completed job. A page that fails, a marker that comes back, or
 * a page that says more follow without saying where ends the read: the report is then incomplete.
 */
async function readRemainingPages<S, T>(
  calls: JobCalls<S, T>,
  job: Job<S>,
  first: JobPage<T>,
): Promise<{ items: T[]; gaps: Gap[] }> {
  const items = [...first.items];
  const seen = new Set<string>();
  let page = first;
  while (page.continues) {
    const marker = page.marker;
    if (marker === null || seen.has(marker)) {
      const why = marker === null ? 'without a Marker to ask for them' : 'with a Marker that came back twice';
      const message = `the report says more entries follow (IsTruncated) ${why}: only ${items.length} read`;
      return { items, gaps: [noteGap(calls, job.subject, 'Truncated', message)] };
    }
    seen.add(marker);
    try {
      page = await calls.page(job.jobId, marker);
    } catch (error) {
      return { items, gaps: [subjectGap(calls, job.subject, error, calls.getApi)] };
    }
    items.push(...page.items);
  }
  return { items, gaps: [] };
}

/** One poll of one job: still running, or finished (completed with every page, or failed). */
async function pollJob<S, T>(calls: JobCalls<S, T>, job: Job<S>): Promise<PollOutcome<S, T>> {
  let first: JobPage<T>;
  try {
    first = await calls.page(job.jobId, undefined);
  } catch (error) {
    return { kind: 'done', report: null, gaps: [subjectGap(calls, job.subject, error, calls.getApi)] };
  }
  if (first.status === 'IN_PROGRESS') return { kind: 'pending' };
  if (first.status === 'FAILED') {
    const reason = first.error ?? { code: 'JobFailed', message: 'AWS gave no reason' };
    const message = `the report job failed (${reason.code}: ${reason.message}); scan again later`;
    return { kind: 'done', report: null, gaps: [noteGap(calls, job.subject, 'JobFailed', message)] };
  }
  const rest = await readRemainingPages(calls, job, first);
  const report = {
    subject: job.subject,
    generatedAt: first.generatedAt,
    complete: rest.gaps.length === 0,
    items: rest.items,
    totals: first.totals,
  };
  return { kind: 'done', report, gaps: rest.gaps };
}

async function startJobs<S, T>(
  calls: JobCalls<S, T>,
  subjects: readonly S[],
  concurrency: number,
): Promise<{ jobs: Array<Job<S>>; gaps: Gap[] }> {
  const started = await runPool(subjects, concurrency, async (subject) => ({
    subject,
    jobId: await calls.start(subject),
  }));
  const jobs: Array<Job<S>> = [];
  const gaps: Gap[] = [];
  for (const entry of started) {
    if (entry.ok) jobs.push(entry.value);
    else gaps.push(subjectGap(calls, entry.item, entry.error, calls.startApi));
  }
  return { jobs, gaps };
}

/** One round of polls: the reports that finished, their gaps, and the jobs still running. */
async function pollRound<S, T>(calls: JobCalls<S, T>, jobs: Array<Job<S>>, concurrency: number) {
  const polled = await runPool(jobs, concurrency, (job) => pollJob(calls, job));
  const reports: Array<JobReport<S, T>> = [];
  const gaps: Gap[] = [];
  const pending: Array<Job<S>> = [];
  for (const entry of polled) {
    const outcome: PollOutcome<S, T> = entry.ok
      ? entry.value
      : { kind: 'done', report: null, gaps: [subjectGap(calls, entry.item.subject, entry.error, calls.getApi)] };
    if (outcome.kind === 'pending') pending.push(entry.item);
    else {
      if (outcome.report !== null) reports.push(outcome.report);
      gaps.push(...outcome.gaps);
    }
  }
  return { reports, gaps, pending };
}

/** Starts a job per subject and polls them all until each finishes or the wait runs out. */
export async function runReportJobs<S, T>(
  calls: JobCalls<S, T>,
  subjects: readonly S[],
  timing: JobTiming = {},
): Promise<{ reports: Array<JobReport<S, T>>; gaps: Gap[] }> {
  const sleep = timing.sleep ?? wait;
  const concurrency = timing.concurrency ?? 8;
  const maxWaitMs = timing.maxWaitMs ?? 600_000;
  const { jobs, gaps } = await startJobs(calls, subjects, concurrency);
  const reports: Array<JobReport<S, T>> = [];
  let pending = jobs;
  for (let waited = 0, pollMs = timing.pollMs ?? 1_000; pending.length > 0; ) {
    const round = await pollRound(calls, pending, concurrency);
    reports.push(...round.reports);
    gaps.push(...round.gaps);
    pending = round.pending;
    if (pending.length === 0) break;
    if (waited >= maxWaitMs) {
      const message = `the report job was still IN_PROGRESS after ${Math.round(waited / 1000)} s; scan again later`;
      gaps.push(...pending.map((job) => noteGap(calls, job.subject, 'JobNotFinished', message)));
      break;
    }
    await sleep(pollMs);
    waited += pollMs;
    pollMs = Math.min(pollMs * 2, MAX_POLL_MS);
  }
  return { reports, gaps };
}
