/**
 * What is known about a principal's own requests before any is made: who it is (`aws:username`,
 * `aws:userid`, `aws:PrincipalArn`, `aws:PrincipalAccount`, `aws:PrincipalType`, its tags, its
 * organization when one was scanned), when (`aws:CurrentTime` is `now`; a session's
 * `aws:TokenIssueTime` lies in the hours before it), and that it calls AWS itself rather than
 * through a service. Everything else (source IP, MFA, requested region, session tags, request
 * tags, resource tags) is unknown, so conditions on it stay undecided.
 */
import type { Snapshot } from '../../model/snapshot.js';
import { ABSENT, partialKnowledge, type ContextKnowledge, type KeyKnowledge, type KnowledgeInit } from './knowledge.js';
import { lowerCaseOnce } from './lower-case.js';
import type { Principal } from './principals.js';
import { innerTable } from '../../inner-table.js';

const HOUR = 3_600_000;
/** The longest a user's temporary credentials live (GetSessionToken: 36 hours). */
const USER_SESSION_MAX = 36 * HOUR;
/** A role session's default maximum when the snapshot does not say (one hour). */
const ROLE_SESSION_DEFAULT = HOUR;

function organizationValues(snapshot: Snapshot, accountId: string): Pick<KnowledgeInit, 'values' | 'absent'> {
  const organization = snapshot.organization;
  if (!organization) return {};
  const member = organization.accounts.find((a) => a.accountId === accountId);
  if (!member) return { absent: ['aws:PrincipalOrgID', 'aws:PrincipalOrgPaths'] };
  if (member.ouIds.length === 0) return { values: { 'aws:PrincipalOrgID': organization.id } };
  return {
    values: {
      'aws:PrincipalOrgID': organization.id,
      'aws:PrincipalOrgPaths': `${organization.id}/${member.ouIds.join('/')}/`,
    },
  };
}

function timeValues(now: Date): Record<string, string> {
  return { 'aws:CurrentTime': now.toISOString(), 'aws:EpochTime': String(Math.floor(now.getTime() / 1000)) };
}

/** Keys of the principal's own direct call. */
const DIRECT_CALL: KnowledgeInit = {
  values: { 'aws:ViaAWSService': 'false', 'aws:PrincipalIsAWSService': 'false' },
  absent: ['aws:CalledVia', 'aws:CalledViaFirst', 'aws:CalledViaLast'],
};

function values(value: string): KeyKnowledge {
  return { kind: 'values', values: [value] };
}

const USER_TYPE = values('User');
const ROLE_TYPE = values('AssumedRole');

/** Adds the principal's tags as `aws:PrincipalTag/<key>` (lower case, as lookups ask), in the tags' order. */
function addTags(known: Map<string, KeyKnowledge>, tags: Record<string, string>): void {
  for (const [key, value] of Object.entries(tags)) known.set(`aws:principaltag/${key.toLowerCase()}`, values(value));
}

const sessionWindows = new Map<string, KeyKnowledge>();

/** `aws:TokenIssueTime` of a session at most `duration` old at `now`; the same object for every principal alike. */
function tokenIssueTime(now: Date, duration: number, mayBeAbsent: boolean): KeyKnowledge {
  const at = now.getTime();
  const key = `${at}/${duration}/${mayBeAbsent}`;
  let window = sessionWindows.get(key);
  if (window === undefined) {
    window = { kind: 'time-window', earliest: at - duration, latest: at, mayBeAbsent };
    if (sessionWindows.size > 1_000) sessionWindows.clear();
    sessionWindows.set(key, window);
  }
  return window;
}

/**
 * The keys only this principal has, by lower-case key. Built straight into one map: it is built
 * for every principal of the snapshot, and the intermediate objects were a fifth of the analysis's
 * setup garbage.
 */
function identityKnowledge(principal: Principal, now: Date): Map<string, KeyKnowledge> {
  const known = new Map<string, KeyKnowledge>();
  if (principal.kind === 'user') {
    const { user } = principal;
    known.set('aws:username', values(user.name));
    known.set('aws:principalarn', values(user.arn));
    known.set('aws:principaltype', USER_TYPE);
    if (user.userId) known.set('aws:userid', values(user.userId));
    addTags(known, user.tags);
    known.set('aws:tokenissuetime', tokenIssueTime(now, USER_SESSION_MAX, true));
  } else if (principal.kind === 'role') {
    const { role } = principal;
    const session = (role.maxSessionDuration ?? 0) * 1000 || ROLE_SESSION_DEFAULT;
    // Session tags may add principal tags, so tag keys the role lacks stay unknown.
    known.set('aws:username', ABSENT);
    known.set('aws:principalarn', values(role.arn));
    known.set('aws:principaltype', ROLE_TYPE);
    addTags(known, role.tags);
    known.set('aws:tokenissuetime', tokenIssueTime(now, session, false));
  } else {
    // A group stands for any of its members: who that is stays unknown.
    known.set('aws:principaltype', USER_TYPE);
    known.set('aws:tokenissuetime', tokenIssueTime(now, USER_SESSION_MAX, true));
  }
  return known;
}

/**
 * A principal's own keys over its account's. Every tag of a user is in the snapshot, and no
 * session adds any: a tag key a user lacks is absent. A role's session may add tags, so one it
 * lacks stays unknown. The principal's own keys are gathered on the first lookup: knowledge is
 * made for every principal of the snapshot, and many are never asked about a key of their own.
 */
class PrincipalKnowledge implements ContextKnowledge {
  private own: ReadonlyMap<string, KeyKnowledge> | undefined;

  constructor(
    private readonly principal: Principal,
    private readonly now: Date,
    private readonly account: ContextKnowledge,
  ) {}

  lookup(key: string): KeyKnowledge | undefined {
    const lower = lowerCaseOnce(key);
    this.own ??= identityKnowledge(this.principal, this.now);
    const found = this.own.get(lower);
    if (found !== undefined) return found;
    if (this.principal.kind === 'user' && lower.startsWith('aws:principaltag/')) return ABSENT;
    return this.account.lookup(lower);
  }
}

const sharedByAccount = new WeakMap<Snapshot, Map<string, ContextKnowledge>>();

/**
 * What every principal of the account shares: the direct call, the time, the account and its
 * organization. Built once per account and shared, so each principal adds only its own keys.
 */
function accountKnowledge(snapshot: Snapshot, accountId: string, now: Date): ContextKnowledge {
  const byAccount = innerTable(sharedByAccount, snapshot, Map);
  const key = `${accountId}@${now.getTime()}`;
  let shared = byAccount.get(key);
  if (shared === undefined) {
    const organization = organizationValues(snapshot, accountId);
    shared = partialKnowledge({
      values: { ...DIRECT_CALL.values, ...timeValues(now), 'aws:PrincipalAccount': accountId, ...organization.values },
      absent: [...(DIRECT_CALL.absent ?? []), ...(organization.absent ?? [])],
    });
    byAccount.set(key, shared);
  }
  return shared;
}

/**
 * The knowledge about every request the principal makes itself, at `now`: its own keys over its
 * account's. The two never name the same key (the account's are the call, the time and the
 * organization; the principal's are who it is and its tags), so looking in one and then the
 * other answers as one map of both would.
 */
export function principalKnowledge(snapshot: Snapshot, principal: Principal, now: Date): ContextKnowledge {
  return new PrincipalKnowledge(principal, now, accountKnowledge(snapshot, principal.accountId, now));
}
