/**
 * Least privilege from what CloudTrail showed the user doing, kept honest where CloudTrail is
 * silent: an action seen without its resource keeps the resource scope the user's policies grant
 * it today (never `*` where that grant was narrower), and the actions a call implies (the role it
 * passes, the key it uses) are granted on the resources the calls named.
 */
import {
  buildLeastPrivilegePolicy,
  type LeastPrivilegeResult,
  type PolicyStatement,
} from '../../activity/least-privilege.js';
import type { ActionCatalog, ActionInfo } from '../../activity/actions.js';
import type { Account, PolicyDocument } from '../../model/snapshot.js';
import type { ActionUsage } from '../../model/usage.js';
import type { IamCatalog } from '../../policy/action-catalog.js';
import { arnMatches } from '../../policy/evaluator/arn.js';
import type { DerivedGrant, PlannedPermissions } from '../types.js';
import { grantedScope } from './granted-scope.js';
import { conditionPins, impliedGrants, type ConditionPin, type ImpliedGrant } from './implied.js';
import type { PermissionInput, PermissionSource } from './permission-source.js';

/** What least privilege needs to know of each action, from the catalogue. */
function actionCatalog(catalog: IamCatalog, names: Iterable<string>): ActionCatalog {
  const infos = new Map<string, ActionInfo>();
  for (const name of names) {
    const action = catalog.action(name);
    if (action === undefined) continue;
    const service = action.service;
    const patterns = action.wildcardOnly
      ? []
      : action.resourceTypes
          .map((type) => catalog.resourceArnFormat(service, type.name))
          .filter((arn): arn is string => arn !== undefined);
    infos.set(name, { action: name, resourceArnPatterns: patterns });
  }
  return infos;
}

/** The observed calls whose resources CloudTrail left out, given the scope the user holds them on today. */
function withGrantedScopes(
  input: PermissionInput,
  observed: readonly ActionUsage[],
  first: LeastPrivilegeResult,
): { actions: ActionUsage[]; derived: DerivedGrant[] } {
  const widened = new Map(
    first.notNarrowed
      .filter((entry) => entry.reason !== 'no-resource-level-permissions')
      .map((entry) => [entry.action, entry.reason]),
  );
  const derived: DerivedGrant[] = [];
  const actions = observed.map((usage) => {
    if (!widened.has(usage.action)) return usage;
    const scope = grantedScope(input.evaluator, input.user.arn, usage.action);
    if (scope.kind !== 'patterns') return usage;
    derived.push({
      action: usage.action,
      resources: scope.patterns,
      why: `CloudTrail showed no usable resource (${widened.get(usage.action)}): kept the scope the current policies grant`,
    });
    return { ...usage, resources: scope.patterns, resourcesTruncated: false, resourcePatterns: undefined };
  });
  return { actions, derived };
}

/** Roles of the account whose trust lets `service` assume them: the only roles worth passing to it. */
function rolesTrusting(account: Account, service: string): string[] {
  return account.roles
    .filter((role) => {
      const statements = ([] as unknown[]).concat(role.trustPolicy.Statement ?? []);
      return statements.some((statement) => {
        const record = statement as { Effect?: unknown; Principal?: { Service?: unknown } } | null;
        const services = ([] as unknown[]).concat(record?.Principal?.Service ?? []);
        return record?.Effect === 'Allow' && services.includes(service);
      });
    })
    .map((role) => role.arn);
}

/** The resources an implied grant covers: the calls' own, else today's scope (narrowed to roles the service can assume). */
function impliedResources(input: PermissionInput, grant: ImpliedGrant): string[] {
  if (grant.complete) return grant.resources;
  const scope = grantedScope(input.evaluator, input.user.arn, grant.action);
  const granted = scope.kind === 'patterns' ? scope.patterns : ['*'];
  if (grant.action !== 'iam:PassRole' || grant.passedTo === null) return [...new Set([...grant.resources, ...granted])];
  const trusting = rolesTrusting(input.account, grant.passedTo).filter((arn) =>
    granted.some((pattern) => arnMatches(pattern, arn)),
  );
  return trusting.length > 0 ? [...new Set([...grant.resources, ...trusting])].sort() : granted;
}

function sidFor(service: string): string {
  return `PassRoleTo${service
    .replace(/\.amazonaws\.com$/, '')
    .split(/[^A-Za-z0-9]+/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('')}`;
}

/** PassRole statements, one per service, each only for that service (`iam:PassedToService`). */
function passRoleStatements(passes: ReadonlyArray<{ service: string; resources: string[] }>): unknown[] {
  return passes.map(({ service, resources }) => ({
    Sid: sidFor(service),
    Effect: 'Allow',
    Action: ['iam:PassRole'],
    Resource: resources,
    Condition: { StringEquals: { 'iam:PassedToService': service } },
  }));
}

function describeGrant(grant: ImpliedGrant): string {
  const to = grant.passedTo ? ` to ${grant.passedTo}` : '';
  const gaps = grant.complete ? '' : `; ${grant.gaps.join('; ')}: kept today's scope`;
  return `implied by ${grant.calls.join(', ')}${to} (CloudTrail logs no event for it)${gaps}`;
}

/** Implied grants as usage rows for least privilege (kms), and as PassRole statements apart. */
function impliedParts(
  input: PermissionInput,
  grants: readonly ImpliedGrant[],
): { usages: ActionUsage[]; passes: Array<{ service: string; resources: string[] }>; derived: DerivedGrant[] } {
  const usages: ActionUsage[] = [];
  const passes: Array<{ service: string; resources: string[] }> = [];
  const derived: DerivedGrant[] = [];
  for (const grant of grants) {
    const resources = impliedResources(input, grant);
    derived.push({ action: grant.action, resources, why: describeGrant(grant) });
    if (grant.action === 'iam:PassRole' && grant.passedTo !== null) passes.push({ service: grant.passedTo, resources });
    else usages.push({ action: grant.action, mapped: true, events: 1, errors: 0, resources });
  }
  return { usages, passes, derived };
}

type PinnedStatement = PolicyStatement & { Condition?: Record<string, Record<string, string[]>> };

/**
 * Each pinned call moved out of its statement into one of its own, allowed only with the values
 * it was seen naming (`cloudformation:RoleArn`), on the same resources.
 */
function withPins(
  statements: readonly PolicyStatement[],
  pins: readonly ConditionPin[],
): { statements: PinnedStatement[]; derived: DerivedGrant[] } {
  const out: PinnedStatement[] = [];
  const derived: DerivedGrant[] = [];
  for (const statement of statements) {
    const pinned = pins.filter((pin) => statement.Action.includes(pin.call));
    const rest = statement.Action.filter((action) => !pinned.some((pin) => pin.call === action));
    if (rest.length > 0) out.push({ ...statement, Action: rest });
    for (const pin of pinned) {
      out.push({
        ...statement,
        Sid: `${statement.Sid}${pin.call.slice(pin.call.indexOf(':') + 1)}WithItsRole`,
        Action: [pin.call],
        Condition: { ArnEquals: { [pin.key]: pin.values } },
      });
      derived.push({
        action: pin.call,
        resources: statement.Resource,
        why: `only with ${pin.key} ${pin.values.join(', ')}: every call CloudTrail showed passed ${pin.values.length === 1 ? 'that role' : 'one of those roles'}, so the call cannot run an existing stack's other role`,
      });
    }
  }
  return { statements: out, derived };
}

/** Merges implied rows into the observed ones of the same action. */
function mergeUsage(observed: readonly ActionUsage[], implied: readonly ActionUsage[]): ActionUsage[] {
  const byAction = new Map(observed.map((usage) => [usage.action, usage]));
  for (const extra of implied) {
    const known = byAction.get(extra.action);
    byAction.set(
      extra.action,
      known === undefined
        ? extra
        : { ...known, resources: [...new Set([...known.resources, ...extra.resources])].sort() },
    );
  }
  return [...byAction.values()];
}

function usagePermissions(input: PermissionInput): PlannedPermissions | null {
  const observed = input.usage?.actions ?? [];
  const implied = impliedParts(input, impliedGrants(observed, input.account));
  const names = [...observed, ...implied.usages].map((usage) => usage.action);
  const catalog = actionCatalog(input.catalog, names);
  const scoped = withGrantedScopes(input, observed, buildLeastPrivilegePolicy(observed, catalog));
  const { policy } = buildLeastPrivilegePolicy(mergeUsage(scoped.actions, implied.usages), catalog);
  if (policy === null) return null;
  const pinned = withPins(policy.Statement, conditionPins(observed, input.account));
  const statements = [...pinned.statements, ...passRoleStatements(implied.passes)];
  const window = input.usage?.windowDays ? ` over ${input.usage.windowDays} days` : '';
  const inlinePolicy: PolicyDocument = { Version: '2012-10-17', Statement: statements };
  return {
    source: 'usage',
    note: `least privilege from CloudTrail activity${window}`,
    awsManagedPolicyArns: [],
    customerManagedPolicies: [],
    inlinePolicy,
    // Every action is named one by one (no wildcard): such a policy cannot grant every service.
    admin: false,
    derived: [...scoped.derived, ...implied.derived, ...pinned.derived],
  };
}

export const usageSource: PermissionSource = { id: 'usage', permissions: usagePermissions };
