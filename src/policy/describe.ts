/**
 * The evaluator's answers in words, for findings: where a policy came from, what an administrator
 * lacks, which conditions a verdict hinges on, an escalation path step by step (who, which action,
 * on which resource, to become whom), and who can assume a role. Every name comes from AWS data
 * and is shown as text; renderers escape it for their medium.
 */
import type { Assumer, Trusted } from './escalation/assume-role.js';
import type { EscalationFinding, EscalationStep } from './escalation/graph.js';
import type { PolicySource } from './evaluator/compile.js';
import type { StatementRef, Undecided, Verdict } from './evaluator/decide.js';
import type { AdminAssessment } from './privilege/admin.js';

/** How many items a list in a message shows before "and N more". */
const SHOWN = 5;

/** The first few items, then how many more: messages stay one readable line. */
export function listed(items: readonly string[], shown = SHOWN): string {
  if (items.length <= shown) return items.join(', ');
  return `${items.slice(0, shown).join(', ')} and ${items.length - shown} more`;
}

/** "inline policy deploy", "managed policy AdministratorAccess of group admins", "SCP deny-iam on ou-x". */
export function describeSource(source: PolicySource): string {
  const what: Record<PolicySource['kind'], string> = {
    inline: 'inline policy',
    'group-inline': 'inline policy',
    managed: 'managed policy',
    'group-managed': 'managed policy',
    boundary: 'permissions boundary',
    scp: 'SCP',
    document: 'policy',
  };
  const base = `${what[source.kind]} ${source.name}`;
  if (source.group !== null) return `${base} of group ${source.group}`;
  return source.attachedTo !== null ? `${base} on ${source.attachedTo}` : base;
}

/** Each policy named once, in order; `self` is the group described, whose own policies need no "of group". */
export function describeSources(statements: readonly StatementRef[], self: string | null = null): string {
  const named = statements.map((s) =>
    describeSource(s.source.group === self ? { ...s.source, group: null } : s.source),
  );
  return listed([...new Set(named)]);
}

/** What an administrator lacks, by service: `iam:*` for a whole service, else `iam (12 actions)` or the one action. */
function summarizeExceptions(exceptions: AdminAssessment['exceptions']): string[] {
  const byService = new Map<string, string[]>();
  for (const { what } of exceptions) {
    const service = what.slice(0, what.indexOf(':'));
    byService.set(service, [...(byService.get(service) ?? []), what]);
  }
  return [...byService].map(([service, whats]) => {
    if (whats.includes(`${service}:*`)) return `${service}:*`;
    return whats.length === 1 ? (whats[0] as string) : `${service} (${whats.length} actions)`;
  });
}

/** The context keys undecided statements hinge on, each once: "aws:MultiFactorAuthPresent, aws:SourceIp". */
export function undecidedKeys(undecided: readonly Undecided[]): string[] {
  const keys = new Set<string>();
  for (const item of undecided) {
    for (const condition of item.conditions) keys.add(condition.rawKey);
    for (const variable of item.variables) keys.add(`\${${variable}}`);
  }
  return [...keys];
}

function unreadNote(unread: Verdict['unread']): string {
  if (unread.length === 0) return '';
  return `; not read, and may grant more: ${listed([...new Set(unread.map((u) => describeSource(u.source)))])}`;
}

/**
 * What the admin assessment says: "every action on every resource through managed policy
 * AdministratorAccess", or "every action of every service but iam:*", with the conditions it
 * hinges on; `sources: false` for a policy judged on its own, which is its only source, and
 * `self` for a group, whose own policies need no "of group".
 */
export function describeAdmin(
  admin: AdminAssessment,
  options: { sources: boolean; self?: string } = { sources: true },
): string {
  const through =
    options.sources && admin.grants.length > 0 ? ` through ${describeSources(admin.grants, options.self ?? null)}` : '';
  const reach =
    admin.level === 'full'
      ? 'every action on every resource'
      : `every action of every service but ${listed(summarizeExceptions(admin.exceptions))}`;
  const keys = undecidedKeys(admin.undecided);
  const conditional = admin.admin === 'maybe' && keys.length > 0 ? `, only under conditions on ${listed(keys)}` : '';
  const scp =
    admin.scpLimits.length > 0
      ? `; SCPs take away ${listed(summarizeExceptions(admin.scpLimits))} in this account`
      : '';
  return `${reach}${through}${conditional}${scp}${unreadNote(admin.unread)}`;
}

/** An ARN as a finding shows it: `user/alice` within the account, the whole ARN across accounts. */
export function shortName(arn: string, accountId: string | null): string {
  const match = /^arn:aws[a-z-]*:iam::(\d{12}):(.+)$/.exec(arn);
  return match && match[1] === accountId ? (match[2] as string) : arn;
}

function describeStep(step: EscalationStep, accountId: string | null): string {
  const becomes = step.becomes === 'administrator' ? 'administrator' : shortName(step.becomes, accountId);
  const keys = undecidedKeys(step.undecided);
  const condition = step.result === 'maybe' && keys.length > 0 ? ` (only under conditions on ${listed(keys)})` : '';
  const assumes = step.assumes ? ` (assumes ${step.assumes})` : '';
  return `${shortName(step.actor, accountId)} uses ${step.actions.join(' + ')} on ${shortName(step.resource, accountId)} to become ${becomes}${condition}${assumes} [${step.method}]`;
}

/** An escalation path step by step: "(1) user/a uses iam:CreateAccessKey on user/b to become user/b [...]; (2) ...". */
export function describeEscalation(finding: EscalationFinding): string {
  const { accountId } = finding.principal;
  const steps = finding.steps.map((step, i) => `(${i + 1}) ${describeStep(step, accountId)}`).join('; ');
  if (finding.gains === 'grant-admin')
    return `can make ${listed(finding.grantees.map((arn) => shortName(arn, accountId)))} administrator: ${steps}`;
  const reach = finding.gains === 'admin' ? 'administrator' : 'every service but a few';
  const count = finding.steps.length === 1 ? 'one step' : `${finding.steps.length} steps`;
  return `can become ${reach} in ${count}: ${steps}`;
}

function describeTrusted(trusted: Trusted): string {
  switch (trusted.kind) {
    case 'public':
      return 'any AWS principal';
    case 'account':
      return `account ${trusted.accountId}`;
    case 'principal':
      return trusted.arn;
    case 'service':
      return `the service ${trusted.service}`;
    case 'federated':
      return `users of the identity provider ${trusted.provider}`;
  }
}

/** Who can assume a role, as a list: principals of the scan by name, parties outside it by what they are. */
export function describeAssumers(assumers: readonly Assumer[], accountId: string | null): string[] {
  return assumers.map((assumer) => {
    if (assumer.kind === 'outside')
      return `${describeTrusted(assumer.trusted)}${assumer.conditional ? ' (under conditions)' : ''}`;
    const conditional = assumer.access.result === 'maybe' ? ' (under conditions)' : '';
    return `${shortName(assumer.principal.arn, accountId)}${conditional}`;
  });
}
