/**
 * The compensating controls an exception claims, checked against the user as the snapshot shows
 * it, by asking the one evaluator rather than reading statements: a source-address restriction
 * holds when every request the user's Allow statements can make hinges on `aws:SourceIp` and is
 * denied from outside the claimed ranges; a scoped policy holds when the user is no administrator
 * and no service is allowed whole on every resource. A policy the scan could not read leaves a
 * control unverified.
 */
import type { User } from '../model/snapshot.js';
import { decideCondition } from '../policy/condition.js';
import { describeAdmin, describeSource, describeSources, listed, undecidedKeys } from '../policy/describe.js';
import type { NormalizedCondition } from '../policy/document.js';
import { grantProbes, servicesGrantedWhole, type GrantProbe } from '../policy/effective.js';
import type { Verdict } from '../policy/evaluator/decide.js';
import { requestKnowledge } from '../policy/evaluator/knowledge.js';
import type { Principal } from '../policy/evaluator/principals.js';
import { daysSince } from '../model/when.js';
import type { ExceptionEntry } from './exceptions.js';
import type { EstatePermissions } from './permissions.js';

export interface ControlVerdict {
  control: 'sourceIp' | 'scopedPolicy' | 'rotationDays';
  verified: boolean;
  detail: string;
}

const SOURCE_IP = 'aws:sourceip';
/** Documentation addresses (RFC 5737, RFC 3849): outside any range an organisation really uses. */
const STRANGERS = ['192.0.2.1', '198.51.100.1', '203.0.113.1', '2001:db8::1'];

function unreadVerdict(control: ControlVerdict['control'], principal: Principal, permissions: EstatePermissions) {
  const unread = permissions.evaluator.layers(principal).identity.unread[0];
  if (unread === undefined) return null;
  return { control, verified: false, detail: `cannot read ${describeSource(unread.source)}: ${unread.reason}` };
}

function ipCondition(ranges: readonly string[]): NormalizedCondition {
  return {
    rawOperator: 'IpAddress',
    operator: 'IpAddress',
    key: SOURCE_IP,
    rawKey: 'aws:SourceIp',
    values: [...ranges],
    ifExists: false,
    setOperator: null,
  };
}

/** The addresses the user's own conditions name, and documentation addresses, that lie outside every claimed range. */
function outsideAddresses(principal: Principal, permissions: EstatePermissions, claimed: readonly string[]): string[] {
  const named = permissions.evaluator
    .layers(principal)
    .identity.statements.flatMap(({ compiled }) => compiled.statement.conditions)
    .filter((condition) => condition.key === SOURCE_IP)
    .flatMap((condition) => condition.values.map((value) => value.split('/')[0] as string));
  const inClaimed = ipCondition(claimed);
  return [...new Set([...named, ...STRANGERS])].filter(
    (address) => decideCondition(inClaimed, requestKnowledge({ 'aws:SourceIp': address })) !== 'yes',
  );
}

function hingesOnSourceIp(verdict: Verdict): boolean {
  return verdict.undecided.some((u) => u.conditions.some((c) => c.key === SOURCE_IP));
}

function describeProbe(probe: GrantProbe): string {
  return `${describeSource(probe.statement.source)} allows ${probe.action} on ${probe.resource}`;
}

/** The first grant that does not depend on the source address, if any. */
function unrestrictedGrant(probes: readonly GrantProbe[], principal: Principal, permissions: EstatePermissions) {
  for (const probe of probes) {
    const verdict = permissions.evaluator.evaluate(principal, probe.action, probe.resource);
    if (verdict.decision === 'allowed') return `${describeProbe(probe)} without an aws:SourceIp condition`;
    if (verdict.decision === 'conditional' && !hingesOnSourceIp(verdict))
      return `${describeProbe(probe)} under conditions on ${listed(undecidedKeys(verdict.undecided))}, none on aws:SourceIp`;
  }
  return null;
}

function verifySourceIp(principal: Principal, permissions: EstatePermissions, claim: true | string[]): ControlVerdict {
  const control = 'sourceIp';
  const { evaluator, catalog } = permissions;
  const probes = grantProbes(evaluator.layers(principal), catalog, evaluator.knowledge(principal));
  if (probes.length === 0)
    return {
      control,
      verified: false,
      detail: 'no policy of the user allows anything, so no aws:SourceIp restriction',
    };
  const unrestricted = unrestrictedGrant(probes, principal, permissions);
  if (unrestricted !== null) return { control, verified: false, detail: unrestricted };
  const claimed = claim === true ? [] : claim;
  for (const address of claim === true ? [] : outsideAddresses(principal, permissions, claimed))
    for (const probe of probes) {
      const verdict = evaluator.evaluate(principal, probe.action, probe.resource, { 'aws:SourceIp': address });
      if (verdict.decision !== 'denied')
        return {
          control,
          verified: false,
          detail: `from ${address}, outside ${claimed.join(', ')}: ${describeProbe(probe)}`,
        };
    }
  const unread = unreadVerdict(control, principal, permissions);
  if (unread) return unread;
  const where = claim === true ? 'a source address' : `an address in ${claimed.join(', ')}`;
  return { control, verified: true, detail: `every grant needs ${where}` };
}

function verifyScopedPolicy(principal: Principal, permissions: EstatePermissions): ControlVerdict {
  const control = 'scopedPolicy';
  const admin = permissions.privileges.of(principal.arn)?.admin;
  if (admin !== undefined && admin.level !== 'none')
    return { control, verified: false, detail: `allows ${describeAdmin(admin)}` };
  const whole = servicesGrantedWhole(permissions.evaluator, permissions.catalog, principal);
  const [first] = whole;
  if (first !== undefined)
    return {
      control,
      verified: false,
      detail: `${describeSources(first.verdict.statements)} allows every action of ${listed(whole.map((w) => w.service))} on every resource`,
    };
  return unreadVerdict(control, principal, permissions) ?? { control, verified: true, detail: 'no wildcard grants' };
}

function verifyRotation(user: User, days: number, now: Date): ControlVerdict {
  for (const key of user.accessKeys.filter((k) => k.status === 'Active')) {
    const age = daysSince(key.lastRotated, now);
    if (age === null)
      return {
        control: 'rotationDays',
        verified: false,
        detail: `key ${key.id ?? `slot ${key.slot}`} has no known rotation date`,
      };
    if (age > days)
      return {
        control: 'rotationDays',
        verified: false,
        detail: `key ${key.id ?? `slot ${key.slot}`} is ${age} days old (claimed at most ${days})`,
      };
  }
  return { control: 'rotationDays', verified: true, detail: `every active key is at most ${days} days old` };
}

/** Checks each claimed control against the user as the snapshot shows it. */
export function verifyControls(
  entry: ExceptionEntry,
  user: User,
  context: { now: Date; permissions: EstatePermissions },
): ControlVerdict[] {
  const { now, permissions } = context;
  const principal = permissions.evaluator.principal(user.arn);
  // A claimed control on a user the evaluator cannot find stays unverified, never dropped.
  const unknown = (control: ControlVerdict['control']): ControlVerdict => ({
    control,
    verified: false,
    detail: `${user.arn} is not among the principals of the scan`,
  });
  const out: ControlVerdict[] = [];
  if (entry.controls.sourceIp !== undefined)
    out.push(principal ? verifySourceIp(principal, permissions, entry.controls.sourceIp) : unknown('sourceIp'));
  if (entry.controls.scopedPolicy === true)
    out.push(principal ? verifyScopedPolicy(principal, permissions) : unknown('scopedPolicy'));
  if (entry.controls.rotationDays !== undefined) out.push(verifyRotation(user, entry.controls.rotationDays, now));
  return out;
}
