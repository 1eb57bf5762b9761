import type { JournalOperation } from './journal.js';

/**
 * Where a user stands in the scream test, derived only from the journal (the tags on the user
 * say the same, but the journal is what roleshift trusts: tags can be edited by anyone).
 */
export type Stage = 'not-started' | 'watching' | 'rolled-back' | 'deleted' | 'restored' | 'interrupted';

export interface Lifecycle {
  stage: Stage;
  /** The start that opened the current watch; null unless watching. */
  activeStart: JournalOperation | null;
  /** The finish whose backup a restore would use; null unless deleted. */
  lastFinish: JournalOperation | null;
  /** An operation a crash or an error left half done; resume completes it. */
  pending: JournalOperation | null;
}

const STAGE_AFTER: Record<JournalOperation['kind'], Stage> = {
  start: 'watching',
  rollback: 'rolled-back',
  finish: 'deleted',
  restore: 'restored',
};

/** `operations` are one user's, oldest first. */
export function lifecycleOf(operations: readonly JournalOperation[]): Lifecycle {
  const pending = operations.find((operation) => operation.status === 'pending') ?? null;
  const done = operations.filter((operation) => operation.status === 'done');
  const last = done[done.length - 1];
  const stage: Stage = pending ? 'interrupted' : last ? STAGE_AFTER[last.kind] : 'not-started';
  return {
    stage,
    activeStart: last?.kind === 'start' ? last : null,
    lastFinish: last?.kind === 'finish' ? last : null,
    pending,
  };
}

export function daysBetween(from: string, now: Date): number {
  return Math.floor((now.getTime() - new Date(from).getTime()) / 86_400_000);
}

export type ScreamKind = 'key-used-after-switch-off' | 'denied-call';

/** Evidence that something still depends on the user: the point of the watch period. */
export interface Scream {
  kind: ScreamKind;
  at: string;
  detail: string;
}

export interface KeySwitchOff {
  accessKeyId: string;
  /** When roleshift made the key inactive (or when the watch began, for a key already inactive). */
  at: string;
}

/** A key whose last use is later than its switch-off was used (or tried) after we turned it off. */
export function keyScreams(
  switchOffs: readonly KeySwitchOff[],
  lastUsed: ReadonlyMap<string, string | null>,
): Scream[] {
  return switchOffs.flatMap((key) => {
    const used = lastUsed.get(key.accessKeyId) ?? null;
    if (used === null || new Date(used).getTime() <= new Date(key.at).getTime()) return [];
    return [
      {
        kind: 'key-used-after-switch-off' as const,
        at: used,
        detail: `access key ${key.accessKeyId} last used ${used}, after it was switched off at ${key.at}`,
      },
    ];
  });
}

/** One failed call from CloudTrail-derived activity data. */
export interface DeniedCallEvent {
  accountId: string;
  userName: string | null;
  accessKeyId: string | null;
  eventTime: string;
  eventName: string;
  errorCode: string;
}

const SCREAM_ERRORS = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'InvalidClientTokenId',
  'UnauthorizedOperation',
  'Client.UnauthorizedOperation',
]);

/** AccessDenied / InvalidClientTokenId from the user or one of its keys since the watch began. */
export function activityScreams(
  events: readonly DeniedCallEvent[],
  who: { accountId: string; userName: string; accessKeyIds: readonly string[] },
  since: string,
): Scream[] {
  const from = new Date(since).getTime();
  return events
    .filter((event) => SCREAM_ERRORS.has(event.errorCode))
    .filter((event) => new Date(event.eventTime).getTime() > from)
    .filter(
      (event) =>
        (event.accessKeyId !== null && who.accessKeyIds.includes(event.accessKeyId)) ||
        (event.accountId === who.accountId && event.userName === who.userName),
    )
    .map((event) => ({
      kind: 'denied-call' as const,
      at: event.eventTime,
      detail: `${event.eventName} failed with ${event.errorCode}${event.accessKeyId ? ` (key ${event.accessKeyId})` : ''}`,
    }));
}

/** The keys a start switched off, with the time each step completed; keys already off count from the start. */
export function switchOffsOf(start: JournalOperation): KeySwitchOff[] {
  const switched = new Map<string, string>();
  for (const step of start.steps) {
    if (step.call.api === 'UpdateAccessKey' && step.call.params.Status === 'Inactive') {
      switched.set(step.call.params.AccessKeyId, step.doneAt ?? start.createdAt);
    }
  }
  const keys = start.priorState?.accessKeys ?? [];
  return keys.map((key) => ({ accessKeyId: key.accessKeyId, at: switched.get(key.accessKeyId) ?? start.createdAt }));
}

export interface FinishGate {
  allowed: boolean;
  reasons: string[];
}

/** Deletion only after a full, quiet watch: nothing here can be overridden by --force. */
export function finishGate(
  lifecycle: Lifecycle,
  options: { now: Date; watchDays: number; screams: readonly Scream[] | null },
): FinishGate {
  const reasons: string[] = [];
  if (lifecycle.stage !== 'watching' || !lifecycle.activeStart) {
    reasons.push(
      `the user is ${lifecycle.stage}, not watching: run "remediate start" first and wait out the watch period`,
    );
    return { allowed: false, reasons };
  }
  const days = daysBetween(lifecycle.activeStart.createdAt, options.now);
  if (days < options.watchDays)
    reasons.push(`only ${days} of ${options.watchDays} watch days have passed (--watch-days)`);
  if (options.screams === null)
    reasons.push('screams could not be checked (see the error above); refusing to delete blind');
  else if (options.screams.length > 0)
    reasons.push(
      `${options.screams.length} scream(s) during the watch: ${options.screams.map((scream) => scream.detail).join('; ')}`,
    );
  return { allowed: reasons.length === 0, reasons };
}
