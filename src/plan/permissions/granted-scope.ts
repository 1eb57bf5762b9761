/**
 * The resources a user's identity policies allow an action on today, as ARN patterns: the scope
 * a replacement keeps for an action CloudTrail showed without its resource, so the replacement is
 * never `*` where the current grant was narrower.
 */
import type { Evaluator } from '../../policy/evaluator/evaluator.js';
import { plainText, resolveVariables } from '../../policy/evaluator/variables.js';

export type GrantedScope =
  /** Allowed on every resource. */
  | { kind: 'every' }
  /** Allowed on these patterns only (policy variables resolved for the user). */
  | { kind: 'patterns'; patterns: string[] }
  /** Granted in a way a list of patterns cannot say (NotResource, an unresolved variable), or not at all. */
  | { kind: 'unknown'; why: string };

/** A pattern that can name a resource of `service` (its service segment is the service or a wildcard). */
function namesService(pattern: string, service: string): boolean {
  const segment = pattern.split(':')[2];
  return segment === undefined || segment === service || /[*?]/.test(segment);
}

/** The user's identity statements that allow the action, whatever their conditions. */
export function grantedScope(evaluator: Evaluator, userArn: string, action: string): GrantedScope {
  const principal = evaluator.principal(userArn);
  if (principal === undefined) return { kind: 'unknown', why: 'the user is not in the scan' };
  if (evaluator.evaluateEveryResource(principal, action).decision === 'allowed') return { kind: 'every' };
  const lower = action.toLowerCase();
  const service = lower.slice(0, lower.indexOf(':'));
  const knowledge = evaluator.knowledge(principal);
  const patterns = new Set<string>();
  for (const { compiled } of evaluator.layers(principal).identity.forService(service)) {
    const { statement } = compiled;
    if (statement.effect !== 'Allow' || !compiled.matchesAction(lower)) continue;
    if (statement.resources === null) return { kind: 'unknown', why: `${action} is granted through NotResource` };
    for (const pattern of statement.resources) {
      if (pattern === '*') return { kind: 'every' };
      const resolved = resolveVariables(pattern, knowledge);
      if (resolved.kind === 'unknown')
        return { kind: 'unknown', why: `${action} is granted on ${pattern}, whose variables are unknown` };
      if (resolved.kind === 'text' && namesService(resolved.text, service)) patterns.add(plainText(resolved.text));
    }
  }
  if (patterns.size === 0) return { kind: 'unknown', why: `${action} is not granted by the user's own policies` };
  return { kind: 'patterns', patterns: [...patterns].sort() };
}
