/**
 * The one runner for every rule. Each rule runs on each target on its own: a rule that throws
 * becomes an `error` finding naming the rule, the subject and the error, and every other rule
 * (and every other target) still runs. Failures become findings; passes are kept apart as
 * evidence, for outputs that want them.
 */
import type { Finding } from '../model/finding.js';
import type { Rule, RuleMetadata, RuleResult, Subject } from '../model/rule.js';

/** One thing to judge: the target, the context it is judged in, and who is blamed when a rule throws. */
export interface RuleItem<Target, Context> {
  target: Target;
  context: Context;
  subject: Subject;
  location?: Finding['location'];
}

export interface RuleRun {
  /** Failures and errors, in item then registry order. */
  findings: Finding[];
  /** Passed results: evidence that a rule held. */
  passed: Finding[];
}

/** The results of one rule on one target, or the error it threw. */
export function evaluateRule<Target, Context>(
  rule: Rule<Target, Context>,
  target: Target,
  context: Context,
): { results: RuleResult[] } | { error: unknown } {
  try {
    return { results: rule.evaluate(target, context) };
  } catch (error) {
    return { error };
  }
}

function toFinding(rule: RuleMetadata, result: RuleResult): Finding {
  return {
    checkId: rule.id,
    title: rule.title,
    severity: result.severity ?? rule.severity,
    status: result.status,
    accountId: result.accountId,
    resourceType: result.resourceType,
    resourceArn: result.resourceArn,
    resourceName: result.resourceName,
    message: result.message,
    location: result.location ?? null,
    references: rule.references,
    remediation: rule.remediation,
  };
}

function errorFinding(
  rule: RuleMetadata,
  item: Pick<RuleItem<unknown, unknown>, 'subject' | 'location'>,
  error: unknown,
): Finding {
  const reason = error instanceof Error ? error.message : String(error);
  const where = item.subject.resourceType === 'snapshot' ? '' : ` on ${item.subject.resourceName}`;
  return {
    checkId: rule.id,
    title: rule.title,
    severity: rule.severity,
    status: 'error',
    ...item.subject,
    message: `the check failed to run${where}: ${reason}; its result is unknown, not clean`,
    location: item.location ?? null,
    references: rule.references,
    remediation: 'Report this as a roleshift bug with the snapshot (roleshift findings --debug shows more).',
  };
}

/**
 * Runs every rule on every item; never throws for a rule's sake. `keepPasses: false` leaves
 * `passed` empty: at 100,000 users the passes outnumber the findings, and most callers show none.
 */
export function runRules<Target, Context>(
  rules: ReadonlyArray<Rule<Target, Context>>,
  items: Iterable<RuleItem<Target, Context>>,
  options: { keepPasses?: boolean } = {},
): RuleRun {
  const keepPasses = options.keepPasses ?? true;
  const run: RuleRun = { findings: [], passed: [] };
  for (const item of items) {
    for (const rule of rules) {
      const outcome = evaluateRule(rule, item.target, item.context);
      if ('error' in outcome) {
        run.findings.push(errorFinding(rule, item, outcome.error));
        continue;
      }
      for (const result of outcome.results) {
        if (result.status === 'fail') run.findings.push(toFinding(rule, result));
        else if (keepPasses) run.passed.push(toFinding(rule, result));
      }
    }
  }
  return run;
}
