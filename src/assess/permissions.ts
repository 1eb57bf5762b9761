/**
 * Every policy statement that reaches an IAM user, by every path (inline, attached managed, and
 * both through each group), each with where it came from, so a finding can say "admin through
 * group ops / AdministratorAccess". Unreadable documents are listed, never skipped silently.
 */
import { findManagedPolicy } from '../model/managed-policies.js';
import type { Account, PolicyDocument, Snapshot, User } from '../model/snapshot.js';
import { normalizePolicy, type NormalizedStatement } from '../policy/document.js';

export interface PolicySource {
  kind: 'inline' | 'managed' | 'group-inline' | 'group-managed';
  /** The policy name (inline) or the managed policy's name. */
  name: string;
  arn: string | null;
  /** The group the policy reaches the user through. */
  group: string | null;
}

export interface SourcedStatement {
  statement: NormalizedStatement;
  source: PolicySource;
}

export interface UserPolicies {
  statements: SourcedStatement[];
  /** Policies whose document the snapshot lacks or that do not parse. */
  unreadable: Array<{ source: PolicySource; reason: string }>;
}

/**
 * AWS-managed policies whose meaning is fixed, for sources that list the attachment but not the
 * document (GAAD includes only policies attached somewhere in the account; files may omit them).
 */
const WELL_KNOWN_DOCUMENTS: Record<string, PolicyDocument> = {
  'arn:aws:iam::aws:policy/AdministratorAccess': {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
  },
};

export function describeSource(source: PolicySource): string {
  const what =
    source.kind === 'inline' || source.kind === 'group-inline'
      ? `inline policy ${source.name}`
      : `managed policy ${source.name}`;
  return source.group ? `${what} of group ${source.group}` : what;
}

/** The scan-wide AWS managed policies (`Snapshot.awsManagedPolicies`), wherever a snapshot keeps them. */
export type ManagedPolicies = Pick<Snapshot, 'awsManagedPolicies'>;

function managedDocument(shared: ManagedPolicies, account: Account, arn: string): PolicyDocument | null {
  const found = findManagedPolicy(shared, account, arn);
  if (found?.document) return found.document;
  return Object.hasOwn(WELL_KNOWN_DOCUMENTS, arn) ? (WELL_KNOWN_DOCUMENTS[arn] ?? null) : null;
}

function addDocument(out: UserPolicies, source: PolicySource, document: PolicyDocument | null): void {
  if (document === null) {
    out.unreadable.push({ source, reason: 'its document is not in the snapshot' });
    return;
  }
  const parsed = normalizePolicy(document);
  if (!parsed.ok) {
    out.unreadable.push({ source, reason: parsed.error });
    return;
  }
  for (const statement of parsed.policy.statements) out.statements.push({ statement, source });
}

export function userPolicies(shared: ManagedPolicies, account: Account, user: User): UserPolicies {
  const out: UserPolicies = { statements: [], unreadable: [] };
  for (const p of user.inlinePolicies)
    addDocument(out, { kind: 'inline', name: p.name, arn: null, group: null }, p.document);
  for (const p of user.attachedPolicies)
    addDocument(
      out,
      { kind: 'managed', name: p.name, arn: p.arn, group: null },
      managedDocument(shared, account, p.arn),
    );
  for (const groupName of user.groups) {
    const group = account.groups.find((g) => g.name === groupName);
    if (!group) continue;
    for (const p of group.inlinePolicies)
      addDocument(out, { kind: 'group-inline', name: p.name, arn: null, group: group.name }, p.document);
    for (const p of group.attachedPolicies) {
      addDocument(
        out,
        { kind: 'group-managed', name: p.name, arn: p.arn, group: group.name },
        managedDocument(shared, account, p.arn),
      );
    }
  }
  return out;
}

/** An Allow of every action on every resource (`*` / `*:*` on `*`), whatever its conditions. */
export function isFullAdminStatement(statement: NormalizedStatement): boolean {
  return (
    statement.effect === 'Allow' &&
    (statement.actions ?? []).some((a) => a === '*' || a === '*:*') &&
    (statement.resources ?? []).includes('*')
  );
}

/** The sources through which a user holds full administrator rights. */
export function fullAdminSources(policies: UserPolicies): PolicySource[] {
  const out: PolicySource[] = [];
  for (const { statement, source } of policies.statements) {
    if (isFullAdminStatement(statement) && !out.some((s) => describeSource(s) === describeSource(source)))
      out.push(source);
  }
  return out;
}
