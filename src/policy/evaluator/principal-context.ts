/**
 * What is known about a principal's own requests before any is made: who it is (`aws:username`,
 * `aws:userid`, `aws:PrincipalArn`, `aws:PrincipalAccount`, `aws:PrincipalType`, its tags, its
 * organization when one was scanned), when (`aws:CurrentTime` is `now`; a session's
 * `aws:TokenIssueTime` lies in the hours before it), and that it calls AWS itself rather than
 * through a service. Everything else (source IP, MFA, requested region, session tags, request
 * tags, resource tags) is unknown, so conditions on it stay undecided.
 */
import type { Snapshot } from '../../model/snapshot.js';
import { partialKnowledge, withKnowledge, type ContextKnowledge, type KnowledgeInit } from './knowledge.js';
import type { Principal } from './principals.js';

const HOUR = 3_600_000;
/** The longest a user's temporary credentials live (GetSessionToken: 36 hours). */
const USER_SESSION_MAX = 36 * HOUR;
/** A role session's default maximum when the snapshot does not say (one hour). */
const ROLE_SESSION_DEFAULT = HOUR;

function tagValues(tags: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(tags).map(([key, value]) => [`aws:PrincipalTag/${key}`, value]));
}

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

function identityKnowledge(principal: Principal, now: Date): KnowledgeInit {
  const at = now.getTime();
  if (principal.kind === 'user') {
    const { user } = principal;
    return {
      values: {
        'aws:username': user.name,
        'aws:PrincipalArn': user.arn,
        'aws:PrincipalType': 'User',
        ...(user.userId ? { 'aws:userid': user.userId } : {}),
        ...tagValues(user.tags),
      },
      // Every tag of a user is in the snapshot, and no session adds any.
      closedPrefixes: ['aws:PrincipalTag/'],
      windows: { 'aws:TokenIssueTime': { earliest: at - USER_SESSION_MAX, latest: at, mayBeAbsent: true } },
    };
  }
  if (principal.kind === 'role') {
    const { role } = principal;
    const session = (role.maxSessionDuration ?? 0) * 1000 || ROLE_SESSION_DEFAULT;
    // Session tags may add principal tags, so tag keys the role lacks stay unknown.
    return {
      values: { 'aws:PrincipalArn': role.arn, 'aws:PrincipalType': 'AssumedRole', ...tagValues(role.tags) },
      absent: ['aws:username'],
      windows: { 'aws:TokenIssueTime': { earliest: at - session, latest: at, mayBeAbsent: false } },
    };
  }
  // A group stands for any of its members: who that is stays unknown.
  return {
    values: { 'aws:PrincipalType': 'User' },
    windows: { 'aws:TokenIssueTime': { earliest: at - USER_SESSION_MAX, latest: at, mayBeAbsent: true } },
  };
}

const sharedByAccount = new WeakMap<Snapshot, Map<string, ContextKnowledge>>();

/**
 * What every principal of the account shares: the direct call, the time, the account and its
 * organization. Built once per account and shared, so each principal adds only its own keys.
 */
function accountKnowledge(snapshot: Snapshot, accountId: string, now: Date): ContextKnowledge {
  let byAccount = sharedByAccount.get(snapshot);
  if (byAccount === undefined) {
    byAccount = new Map();
    sharedByAccount.set(snapshot, byAccount);
  }
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
  return withKnowledge(
    accountKnowledge(snapshot, principal.accountId, now),
    partialKnowledge(identityKnowledge(principal, now)),
  );
}
