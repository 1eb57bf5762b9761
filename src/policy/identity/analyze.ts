/**
 * The permissions-policy side of `lint`: what one policy gives away, or, for a policy used as a
 * permissions boundary, what it caps. Every question goes through the one evaluator over the
 * policy on its own (`holder.ts`): administrator means what it means for a scanned principal
 * (a Deny beside `*` counts, a NotAction allow-list counts), escalation is the escalation
 * catalogue applied to the policy alone (`escalation.ts`), and the action catalogue tells which
 * actions accept only `*` and which names match no action. The rules that report these issues
 * are in `rules/`.
 */
import { severityRank, type Severity } from '../../model/finding.js';
import { unknownActions, type IamCatalog } from '../action-catalog.js';
import { describeAdmin, listed, undecidedKeys } from '../describe.js';
import { normalizePolicy, type NormalizedStatement } from '../document.js';
import { wellKnownPolicyDocument } from '../evaluator/well-known.js';
import { policyEscalations, type PolicyEscalation } from './escalation.js';
import { holdersAdmin, policyHolders, type PolicyHolders } from './holder.js';

/** Every rule the analyzer can report; each has its definition in `rules/<id>.ts`. */
export type IdentityRuleId =
  | 'identity-unparseable'
  | 'identity-full-admin'
  | 'identity-privilege-escalation'
  | 'identity-action-needs-star-resource'
  | 'identity-unknown-action'
  | 'identity-admin-managed-policy'
  | 'boundary-caps-nothing';

export interface IdentityIssue {
  ruleId: IdentityRuleId;
  severity: Severity;
  statementIndex: number | null;
  message: string;
  pointer: string;
}

/** What judging a policy needs besides the document. */
export interface PolicyJudgement {
  catalog: IamCatalog;
  /** The time of every request the policy is judged for (date conditions). */
  now: Date;
  /** The account the policy lives in, when the file or `--account-id` says. */
  accountId: string | null;
  /** `boundary`: a permissions boundary, graded for what it caps rather than for what it grants. */
  usage: 'identity' | 'boundary';
}

/**
 * The document of an AWS managed policy attached by ARN, when its meaning is fixed: the
 * evaluator's own (AdministratorAccess), and IAMFullAccess, whose every version since 2015 grants
 * `iam:*` on `*` (later versions add read-only Organizations actions, which grant nothing more).
 */
function attachedPolicyDocument(arn: string): unknown {
  const known = wellKnownPolicyDocument(arn);
  if (known !== null) return known;
  return /^arn:aws[a-z-]*:iam::aws:policy\/IAMFullAccess$/.test(arn)
    ? { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:*', Resource: '*' }] }
    : null;
}

function issue(ruleId: IdentityRuleId, severity: Severity, message: string, statement?: NormalizedStatement) {
  return {
    ruleId,
    severity,
    message,
    statementIndex: statement?.index ?? null,
    pointer: statement?.pointer ?? '',
  } satisfies IdentityIssue;
}

function adminIssues(holders: PolicyHolders, catalog: IamCatalog): IdentityIssue[] {
  const admin = holdersAdmin(holders, catalog);
  if (admin.level === 'none') return [];
  const pointer = admin.grants[0]?.pointer ?? '';
  const whoever =
    admin.level === 'full'
      ? 'whoever holds it is a full administrator (CIS 1.16)'
      : 'whoever holds it is an administrator of nearly everything';
  return [
    {
      ruleId: 'identity-full-admin',
      severity: 'high',
      statementIndex: admin.grants[0]?.index ?? null,
      pointer,
      message: `This policy allows ${describeAdmin(admin, { sources: false })}: ${whoever}.`,
    },
  ];
}

function describeMethod(found: PolicyEscalation): string {
  const on = found.target === null ? '' : ` on ${found.target}`;
  // A path held to named roles no longer depends on which role an existing stack was created with.
  const assumes = found.method.assumes && found.heldTo === null ? `, assuming ${found.method.assumes}` : '';
  const title = found.method.title.charAt(0).toLowerCase() + found.method.title.slice(1);
  return `${title} (${found.actions.join(' + ')}${on}${assumes}) [${found.method.id}]`;
}

/**
 * What a path is worth on its own: one held to named roles gains exactly those roles, which a
 * policy alone cannot judge (low: the estate's `privilege-escalation` check weighs the roles);
 * any other certain path is high, a conditional one medium.
 */
function escalationSeverity(found: PolicyEscalation): Severity {
  if (found.heldTo !== null) return 'low';
  return found.result === 'yes' ? 'high' : 'medium';
}

function heldToMessage(found: PolicyEscalation): string {
  const roles = found.heldTo ?? [];
  const which = roles.length === 1 ? `role ${roles[0]}` : `roles ${listed(roles)}`;
  return `Whoever holds this policy acts with the permissions of ${which} and no other: ${describeMethod(found)}. One policy cannot show what ${roles.length === 1 ? 'that role grants' : 'those roles grant'}; keep ${roles.length === 1 ? 'it' : 'them'} no more powerful than the job needs (\`roleshift findings\` weighs ${roles.length === 1 ? 'it' : 'them'} in a scanned estate).`;
}

function escalationIssues(holders: PolicyHolders, catalog: IamCatalog): IdentityIssue[] {
  const found = policyEscalations(holders.evaluator, catalog, holders.holders);
  const ranked = [...found].sort((a, b) => severityRank(escalationSeverity(b)) - severityRank(escalationSeverity(a)));
  const [first] = ranked;
  if (first === undefined) return [];
  const severity = escalationSeverity(first);
  const keys = undecidedKeys(first.undecided);
  const condition = first.result === 'yes' || keys.length === 0 ? '' : ` Only under conditions on ${listed(keys)}.`;
  const others = ranked.length > 1 ? ` Also: ${listed(ranked.slice(1).map((f) => f.method.id))}.` : '';
  const message =
    first.heldTo !== null
      ? `${heldToMessage(first)}${others}`
      : `Whoever holds this policy can escalate its privileges on its own: ${describeMethod(first)}.${condition}${others}`;
  return [{ ruleId: 'identity-privilege-escalation', severity, statementIndex: null, pointer: first.pointer, message }];
}

/**
 * Actions that accept only `*` as their resource, named by a statement whose Resource lists only
 * ARNs: the statement grants nothing for them (unless another grants them on `*`).
 */
function needsStarIssues(holders: PolicyHolders, catalog: IamCatalog, statements: readonly NormalizedStatement[]) {
  const [holder] = holders.holders;
  const out: IdentityIssue[] = [];
  if (holder === undefined) return out;
  for (const statement of statements) {
    if (statement.effect !== 'Allow' || statement.actions === null || statement.resources === null) continue;
    for (const pattern of statement.actions) {
      const named = catalog.expand(pattern);
      if (named.length === 0 || !named.every((action) => action.wildcardOnly)) continue;
      const verdict = holders.evaluator.evaluate(holder, (named[0] as { name: string }).name, '*');
      if (verdict.decision !== 'denied' || !verdict.causes.includes('no-allow')) continue;
      const which =
        named.length === 1 ? `"${pattern}" accepts` : `"${pattern}" names ${named.length} actions that accept`;
      out.push(
        issue(
          'identity-action-needs-star-resource',
          'low',
          `${which} only "*" as the resource, but this statement names ${listed(statement.resources)}: it grants nothing for ${named.length === 1 ? 'it' : 'them'}.`,
          statement,
        ),
      );
    }
  }
  return out;
}

function unknownActionIssues(catalog: IamCatalog, document: unknown, statements: readonly NormalizedStatement[]) {
  const unknown = unknownActions(catalog, [document]);
  const out: IdentityIssue[] = [];
  for (const statement of statements) {
    const field = statement.actions ? 'Action' : 'NotAction';
    const patterns = statement.actions ?? statement.notActions ?? [];
    patterns.forEach((pattern, i) => {
      if (!unknown.has(pattern)) return;
      out.push({
        ruleId: 'identity-unknown-action',
        severity: 'low',
        statementIndex: statement.index,
        pointer: patterns.length > 1 ? `${statement.pointer}/${field}/${i}` : `${statement.pointer}/${field}`,
        message: `"${pattern}" matches no IAM action${field === 'NotAction' ? ', so this NotAction excludes nothing' : ': it grants nothing (a typo?)'}.`,
      });
    });
  }
  return out;
}

const EVERYTHING = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

/** A boundary caps nothing when a holder whose own policies allow everything stays a full administrator. */
function boundaryIssues(document: unknown, judgement: PolicyJudgement): IdentityIssue[] {
  const holders = policyHolders(EVERYTHING, { ...judgement, boundary: document });
  const admin = holdersAdmin(holders, judgement.catalog);
  if (admin.level !== 'full' || admin.admin !== 'yes') return [];
  return [
    issue(
      'boundary-caps-nothing',
      'medium',
      'Used as a permissions boundary, this policy allows every action on every resource and denies none: it caps nothing, so whoever it bounds keeps every permission of their own policies.',
    ),
  ];
}

/** The issues of one permissions policy, or of one permissions boundary. */
export function analyzeIdentityPolicy(doc: unknown, judgement: PolicyJudgement): IdentityIssue[] {
  const normalized = normalizePolicy(doc);
  if (!normalized.ok)
    return [issue('identity-unparseable', 'high', `The policy cannot be parsed: ${normalized.error}.`)];
  const { statements } = normalized.policy;
  const unknown = unknownActionIssues(judgement.catalog, doc, statements);
  if (judgement.usage === 'boundary') return [...boundaryIssues(doc, judgement), ...unknown];
  const holders = policyHolders(doc, judgement);
  const admin = adminIssues(holders, judgement.catalog);
  // An administrator can do everything an escalation would give it: the admin issue says it all.
  const escalation = admin.length > 0 ? [] : escalationIssues(holders, judgement.catalog);
  return [...admin, ...escalation, ...needsStarIssues(holders, judgement.catalog, statements), ...unknown];
}

/**
 * An issue for an attached AWS managed policy when the evaluator finds it makes the holder an
 * administrator or lets it escalate: judged on the document the file holds, else on the fixed
 * meaning of a well-known one (`attachedPolicyDocument`); null for any other.
 */
export function analyzeManagedPolicyArn(
  arn: string,
  judgement: PolicyJudgement,
  document?: unknown,
): IdentityIssue | null {
  const known = document ?? attachedPolicyDocument(arn);
  if (known === null || known === undefined) return null;
  const [found] = analyzeIdentityPolicy(known, { ...judgement, usage: 'identity' }).filter(
    (i) => i.ruleId === 'identity-full-admin' || i.ruleId === 'identity-privilege-escalation',
  );
  if (found === undefined) return null;
  const name = arn.slice(arn.lastIndexOf('/') + 1);
  const what = found.message
    .replace(/^This policy allows /, 'it allows ')
    .replace(/^Whoever holds this policy /, 'whoever holds it ');
  return issue('identity-admin-managed-policy', found.severity, `${name} is attached; ${what}`);
}
