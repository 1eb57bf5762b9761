/**
 * IAM access advisor as the plan's usage evidence when there is no CloudTrail, and as a
 * cross-check when there is. Pure: the window is counted back from when AWS generated the report,
 * never from the clock.
 *
 * From today's permissions a replacement keeps only the services the user authenticated to within
 * the window and, for services AWS tracks at action level, drops the named actions it reports as
 * unused; resource scope and conditions stay as today's policies have them. What it cannot see is
 * said in the plan: which resources were used, and the actions of services without action-level
 * tracking (their wildcards stay whole).
 */
import {
  ACCESS_ADVISOR_WINDOW_DAYS,
  usedSince,
  windowStart,
  type PrincipalAccess,
  type ServiceAccess,
} from '../../model/access-advisor.js';
import { findManagedPolicy } from '../../model/managed-policies.js';
import type { Account, PolicyDocument, Snapshot, User } from '../../model/snapshot.js';
import type { PlannedPermissions } from '../types.js';
import { currentPoliciesSource } from './current-policies.js';
import type { PermissionSource } from './permission-source.js';

type Statement = Record<string, unknown>;

/** IAM service prefixes; anything else from AWS is not written into a generated policy. */
const SERVICE_PREFIX = /^[a-z0-9-]+$/;

/** The user's access advisor report, when the scan read one. */
export function accessAdvisorOf(account: Account, user: User): PrincipalAccess | undefined {
  return account.accessAdvisor?.principals.find((principal) => principal.arn === user.arn);
}

/** The services (and tracked actions) used within the window before the report was generated. */
function usedWithinWindow(access: PrincipalAccess): { services: Map<string, ServiceAccess>; since: number } | null {
  const since = windowStart(access);
  if (since === null) return null;
  const services = new Map(
    access.services
      .filter((service) => usedSince(service.lastAuthenticated, since))
      .map((service) => [service.service.toLowerCase(), service]),
  );
  return { services, since };
}

function statementsOf(document: PolicyDocument | null | undefined): Statement[] {
  const statement = document?.Statement;
  const list: unknown[] = Array.isArray(statement) ? statement : statement === undefined ? [] : [statement];
  return list.filter((entry): entry is Statement => typeof entry === 'object' && entry !== null);
}

/** A named action of a tracked service that AWS reports as not attempted within the window. */
function trackedButUnused(pattern: string, service: ServiceAccess, since: number): boolean {
  if (service.trackedActions === null || /[*?]/.test(pattern)) return false;
  const tracked = service.trackedActions.find((action) => action.action.toLowerCase() === pattern.toLowerCase());
  return tracked !== undefined && !usedSince(tracked.lastAccessed, since);
}

/** One action pattern narrowed: `*` becomes each used service, an unused service or tracked action goes. */
function narrowAction(pattern: string, used: Map<string, ServiceAccess>, since: number): string[] {
  if (pattern === '*')
    return [...used.keys()]
      .filter((service) => SERVICE_PREFIX.test(service))
      .sort()
      .map((service) => `${service}:*`);
  const service = used.get(pattern.split(':', 1)[0]?.toLowerCase() ?? '');
  if (service === undefined || trackedButUnused(pattern, service, since)) return [];
  return [pattern];
}

/**
 * An Allow with Action narrowed, or null when nothing of it was used. Deny and NotAction
 * statements are kept whole: a Deny grants nothing, and a NotAction cannot be cut by service.
 */
function narrowStatement(statement: Statement, used: Map<string, ServiceAccess>, since: number): Statement | null {
  if (statement.Effect !== 'Allow' || statement.Action === undefined) return statement;
  const actions = ([] as unknown[]).concat(statement.Action).filter((a): a is string => typeof a === 'string');
  const kept = [...new Set(actions.flatMap((action) => narrowAction(action, used, since)))];
  if (kept.length === 0) return null;
  return { ...statement, Action: kept.length === 1 ? kept[0] : kept };
}

/** Today's statements: the mirror's inline policy and every attached policy whose document is known. */
function todaysStatements(
  shared: Pick<Snapshot, 'awsManagedPolicies'>,
  account: Account,
  mirror: PlannedPermissions,
): { statements: Statement[]; unread: string[] } {
  const arns = [...mirror.awsManagedPolicyArns, ...mirror.customerManagedPolicies.map((policy) => policy.arn)];
  const statements = statementsOf(mirror.inlinePolicy);
  const unread: string[] = [];
  for (const arn of arns) {
    const document = findManagedPolicy(shared, account, arn)?.document;
    if (document) statements.push(...statementsOf(document));
    else unread.push(arn);
  }
  return { statements, unread };
}

function isWhole(statement: Statement): boolean {
  return statement.Effect === 'Allow' && statement.Action === undefined;
}

function evidenceNote(access: PrincipalAccess, used: number, unread: string[], whole: number): string {
  const date = access.generatedAt.state === 'at' ? access.generatedAt.at.slice(0, 10) : 'an unknown date';
  const limits = [
    "it cannot see which resources were used (today's resource scope is kept) nor the actions of services without action-level tracking (their wildcards stay whole)",
    ...(unread.length > 0
      ? [
          `${unread.length} attached polic${unread.length === 1 ? 'y' : 'ies'} could not be read and stay attached unnarrowed`,
        ]
      : []),
    ...(whole > 0 ? [`${whole} NotAction statement(s) stay whole`] : []),
  ];
  return `IAM access advisor (no CloudTrail): only the ${used} service(s) used in the ${ACCESS_ADVISOR_WINDOW_DAYS} days before ${date}; ${limits.join('; ')}`;
}

/**
 * The replacement's permissions narrowed by the user's access advisor report; the mirror itself
 * (its note saying why) when there is no report, or one that cannot be trusted to narrow.
 */
export function narrowByAccessAdvisor(
  shared: Pick<Snapshot, 'awsManagedPolicies'>,
  account: Account,
  mirror: PlannedPermissions,
  access: PrincipalAccess | undefined,
): PlannedPermissions {
  if (access === undefined) return mirror;
  if (!access.complete)
    return { ...mirror, note: `${mirror.note} (access advisor was read only in part, so it cannot narrow them)` };
  const window = usedWithinWindow(access);
  if (window === null) return mirror;
  const { statements, unread } = todaysStatements(shared, account, mirror);
  const narrowed = statements
    .map((statement) => narrowStatement(statement, window.services, window.since))
    .filter((statement): statement is Statement => statement !== null);
  const whole = narrowed.filter(isWhole).length;
  return {
    source: 'access-advisor',
    note: evidenceNote(access, window.services.size, unread, whole),
    awsManagedPolicyArns: mirror.awsManagedPolicyArns.filter((arn) => unread.includes(arn)),
    customerManagedPolicies: mirror.customerManagedPolicies.filter((policy) => unread.includes(policy.arn)),
    inlinePolicy: narrowed.length > 0 ? { Version: '2012-10-17', Statement: narrowed } : null,
    // What stays whole may still be administrator access; what was narrowed to used services is not.
    admin: mirror.admin && (unread.length > 0 || whole > 0),
  };
}

/** The services a policy's Allow statements name, lower-cased (`*` names none). */
function servicesNamed(document: PolicyDocument): Set<string> {
  const services = new Set<string>();
  for (const statement of statementsOf(document)) {
    if (statement.Effect !== 'Allow') continue;
    for (const action of ([] as unknown[]).concat(statement.Action ?? [])) {
      const service = typeof action === 'string' && action.includes(':') ? action.split(':', 1)[0] : undefined;
      if (service !== undefined) services.add(service.toLowerCase());
    }
  }
  return services;
}

/**
 * With CloudTrail, access advisor is a cross-check: a service used per one and not the other is
 * flagged in the note (a CloudTrail window that missed a job, or events CloudTrail does not log).
 */
export function crossCheckWithAccessAdvisor(
  fromCloudTrail: PlannedPermissions,
  access: PrincipalAccess | undefined,
): PlannedPermissions {
  const window = access === undefined ? null : usedWithinWindow(access);
  if (window === null || fromCloudTrail.inlinePolicy === null) return fromCloudTrail;
  const trail = servicesNamed(fromCloudTrail.inlinePolicy);
  const advisor = new Set(window.services.keys());
  const onlyAdvisor = [...advisor].filter((service) => !trail.has(service)).sort();
  const onlyTrail = [...trail].filter((service) => !advisor.has(service)).sort();
  if (onlyAdvisor.length === 0 && onlyTrail.length === 0)
    return { ...fromCloudTrail, note: `${fromCloudTrail.note}; access advisor agrees on every service` };
  const differences = [
    ...(onlyAdvisor.length > 0 ? [`used per access advisor but not in CloudTrail: ${onlyAdvisor.join(', ')}`] : []),
    ...(onlyTrail.length > 0 ? [`in CloudTrail but not access advisor: ${onlyTrail.join(', ')}`] : []),
  ];
  return { ...fromCloudTrail, note: `${fromCloudTrail.note}; CHECK: ${differences.join('; ')}` };
}

/**
 * Without CloudTrail, the user's access advisor report narrows today's permissions to the services
 * it used; a user without a report is left to the next source.
 */
export const accessAdvisorSource: PermissionSource = {
  id: 'access-advisor',
  permissions: (input) => {
    const access = accessAdvisorOf(input.account, input.user);
    const mirror = currentPoliciesSource.permissions(input);
    if (access === undefined || mirror === null) return null;
    return narrowByAccessAdvisor(input.snapshot, input.account, mirror, access);
  },
};
