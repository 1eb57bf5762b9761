/** What the proofs share: the resources a request may name, and how a check reports. */
import type { IamCatalog } from '../../policy/action-catalog.js';
import { arnMatches } from '../../policy/evaluator/arn.js';
import { EVERY_RESOURCE, type ResourceQuery, type Verdict } from '../../policy/evaluator/decide.js';
import type { ProofCheck } from '../types.js';
import { innerTable } from '../../inner-table.js';

/** At most this many failures are listed one by one; the rest are counted. */
export const FAILURES_LISTED = 20;

/** Each action's formats, asked once per action instead of once per request (proofs ask thousands per user). */
const formatsByCatalog = new WeakMap<IamCatalog, Map<string, readonly string[]>>();

/** The ARN patterns of the action's resource types, variables as wildcards; empty for `*`-only actions. */
function resourceFormats(catalog: IamCatalog, action: string): readonly string[] {
  const byAction = innerTable(formatsByCatalog, catalog, Map);
  let formats = byAction.get(action);
  if (formats === undefined) {
    const entry = catalog.action(action);
    formats =
      entry === undefined || entry.wildcardOnly
        ? []
        : entry.resourceTypes
            .map((type) => catalog.resourceArnFormat(entry.service, type.name))
            .filter((format): format is string => format !== undefined)
            .map((format) => format.replace(/\$\{[^}]+\}/g, '*'));
    byAction.set(action, formats);
  }
  return formats;
}

/** Whether the action takes no resource but `*` (or is not in the catalogue, so nothing better is known). */
export function takesNoResource(catalog: IamCatalog, action: string): boolean {
  return resourceFormats(catalog, action).length === 0;
}

/** The ARNs a request for `action` can name, out of those an event listed (an S3 PutObject lists its bucket too). */
export function resourcesOfAction(catalog: IamCatalog, action: string, arns: readonly string[]): string[] {
  const formats = resourceFormats(catalog, action);
  return arns.filter((arn) => formats.some((format) => arnMatches(format, arn)));
}

/** The query for a resource pattern: `*` means every resource, unless the action takes no other. */
export function queryFor(catalog: IamCatalog, action: string, pattern: string): ResourceQuery {
  if (pattern !== '*') return pattern;
  return takesNoResource(catalog, action) ? '*' : EVERY_RESOURCE;
}

export function describeQuery(resource: ResourceQuery): string {
  return typeof resource === 'string' ? resource : 'every resource';
}

export function describeVerdict(verdict: Verdict): string {
  const causes = verdict.causes.length > 0 ? verdict.causes.join(', ') : 'no allow';
  const by = verdict.statements.map((ref) => ref.source.name).filter((name, i, all) => all.indexOf(name) === i);
  return by.length > 0 ? `${causes}: ${by.join(', ')}` : causes;
}

/** A check from what it looked at and what failed; listing the first failures and counting the rest. */
export function checkOf(checked: number, failures: readonly string[], notes: readonly string[]): ProofCheck {
  const listed =
    failures.length > FAILURES_LISTED
      ? [...failures.slice(0, FAILURES_LISTED), `and ${failures.length - FAILURES_LISTED} more`]
      : [...failures];
  return { status: failures.length > 0 ? 'failed' : 'passed', checked, failures: listed, notes: [...notes] };
}

export function notApplicable(why: string): ProofCheck {
  return { status: 'not-applicable', checked: 0, failures: [], notes: [why] };
}
