/**
 * Proof (b): nothing the replacement allows is denied to the user today. Every action its Allow
 * statements name (expanded over the real action catalogue) is asked on every resource they name
 * and every resource CloudTrail showed for it: where the replacement may allow it, the user must
 * not be denied it. A mirror of the user's own policies, without a boundary to lose and with no
 * condition whose answer differs between the user and the role, is the user: nothing to ask.
 */
import type { IamCatalog } from '../../policy/action-catalog.js';
import { decide, EVERY_RESOURCE, type ResourceQuery } from '../../policy/evaluator/decide.js';
import type { Evaluator } from '../../policy/evaluator/evaluator.js';
import type { ContextKnowledge } from '../../policy/evaluator/knowledge.js';
import { plainText, resolveVariables } from '../../policy/evaluator/variables.js';
import type { StrategyContext } from '../strategies/context.js';
import type { ProofCheck } from '../types.js';
import type { Replacement } from './replacement.js';
import { checkOf, describeQuery, describeVerdict, queryFor, resourcesOfAction } from './requests.js';

/** Whether the replacement is the user as far as any verdict goes. */
function sameAsUser(evaluator: Evaluator, replacement: Replacement): boolean {
  if (!replacement.mirrorsUser || evaluator.layers(replacement.user).boundary !== null) return false;
  const userKnowledge = evaluator.knowledge(replacement.user);
  return replacement.layers.identity.contextKeys.every(
    (key) => JSON.stringify(userKnowledge.lookup(key)) === JSON.stringify(replacement.knowledge.lookup(key)),
  );
}

/** The catalogue actions an Allow statement may grant. */
function actionsOf(
  catalog: IamCatalog,
  actions: readonly string[] | null,
  notActions: readonly string[] | null,
): string[] {
  if (actions !== null) return [...new Set(actions.flatMap((pattern) => catalog.expand(pattern).map((a) => a.name)))];
  const excluded = new Set((notActions ?? []).flatMap((pattern) => catalog.expand(pattern).map((a) => a.name)));
  return catalog.services.flatMap((service) =>
    catalog.actionsOf(service).flatMap((action) => (excluded.has(action.name) ? [] : [action.name])),
  );
}

/** A Resource pattern as a request resource: variables resolved as the replacement sees them. */
function patternQuery(
  catalog: IamCatalog,
  action: string,
  pattern: string,
  knowledge: ContextKnowledge,
): ResourceQuery | null {
  const resolved = resolveVariables(pattern, knowledge);
  if (resolved.kind !== 'text') return resolved.kind === 'no-value' ? null : EVERY_RESOURCE;
  return queryFor(catalog, action, plainText(resolved.text));
}

/** Every (action, resource) the replacement's Allow statements name, with the resources seen for it. */
function requests(ctx: StrategyContext, replacement: Replacement): Map<string, Map<string, ResourceQuery>> {
  const seen = new Map((ctx.usage?.actions ?? []).map((usage) => [usage.action.toLowerCase(), usage.resources]));
  const out = new Map<string, Map<string, ResourceQuery>>();
  for (const { compiled } of replacement.layers.identity.statements) {
    const { statement } = compiled;
    if (statement.effect !== 'Allow') continue;
    const patterns = statement.resources ?? ['*'];
    for (const action of actionsOf(ctx.catalog, statement.actions, statement.notActions)) {
      const queries = out.get(action) ?? new Map<string, ResourceQuery>();
      for (const pattern of patterns) {
        const query = patternQuery(ctx.catalog, action, pattern, replacement.knowledge);
        if (query !== null) queries.set(describeQuery(query), query);
      }
      for (const arn of resourcesOfAction(ctx.catalog, action, seen.get(action.toLowerCase()) ?? []))
        queries.set(arn, arn);
      out.set(action, queries);
    }
  }
  return out;
}

export function proveWithinCurrent(ctx: StrategyContext, replacement: Replacement): ProofCheck {
  const { evaluator } = ctx;
  if (sameAsUser(evaluator, replacement))
    return checkOf(
      0,
      [],
      ["the replacement has the user's own policies and the user has no boundary: it allows exactly what the user may"],
    );
  const failures: string[] = [];
  let checked = 0;
  for (const [action, queries] of requests(ctx, replacement)) {
    for (const resource of queries.values()) {
      checked += 1;
      const planned = decide(replacement.layers, { action, resource, knowledge: replacement.knowledge });
      if (planned.decision === 'denied') continue;
      const today =
        typeof resource === 'string'
          ? evaluator.evaluate(replacement.user, action, resource)
          : evaluator.evaluateEveryResource(replacement.user, action);
      if (today.decision === 'denied')
        failures.push(
          `${action} on ${describeQuery(resource)}: the replacement allows it, the user is denied it today (${describeVerdict(today)})`,
        );
    }
  }
  return checkOf(checked, failures, []);
}
