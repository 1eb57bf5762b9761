import type { CheckDefinition, CheckResult } from '../check.js';
import { eachUser } from '../check.js';
import { failed, passed, userSubject } from '../../model/rule.js';
import type { Account, User } from '../../model/snapshot.js';
import { statementCoversAction, statementCoversResource, type NormalizedStatement } from '../../policy/document.js';
import {
  describeSource,
  fullAdminSources,
  userPolicies,
  type SourcedStatement,
  type UserPolicies,
} from '../permissions.js';

/** Actions that hand out credentials or permissions; on another user they take over that user. */
const TAKEOVER_ACTIONS = ['iam:CreateAccessKey', 'iam:CreateLoginProfile', 'iam:UpdateLoginProfile'];
/** Actions that grant permissions; even on the user itself they escalate. */
const GRANT_ACTIONS = ['iam:AttachUserPolicy', 'iam:PutUserPolicy'];
/** With iam:PassRole, each of these runs code as the passed role. */
const COMPUTE_ACTIONS = [
  'ec2:RunInstances',
  'lambda:CreateFunction',
  'ecs:RunTask',
  'glue:CreateDevEndpoint',
  'cloudformation:CreateStack',
  'sagemaker:CreateNotebookInstance',
  'codebuild:CreateProject',
  'datapipeline:CreatePipeline',
];

/** Policy variables a user policy commonly uses to mean "only myself". */
function substitute(statement: NormalizedStatement, user: User): NormalizedStatement {
  const fill = (list: string[] | null): string[] | null =>
    list?.map((r) => r.replaceAll('${aws:username}', user.name)) ?? null;
  return { ...statement, resources: fill(statement.resources), notResources: fill(statement.notResources) };
}

function unconditionalDeny(statement: NormalizedStatement, action: string, resource: string): boolean {
  return (
    statement.effect === 'Deny' &&
    statement.conditions.length === 0 &&
    statementCoversAction(statement, action) &&
    statementCoversResource(statement, resource)
  );
}

/**
 * Finds, for an action and candidate resources, the first statement allowing the action on one of
 * them that no unconditional Deny covers. Statements are filtered by action first: most users
 * have no IAM write action at all, so the per-resource walk (other users, roles) rarely runs and
 * the check stays linear in the number of users.
 */
function grantFinder(
  policies: UserPolicies,
  user: User,
): (action: string, resources: () => readonly string[]) => SourcedStatement | null {
  const statements = policies.statements.map((s) => ({ ...s, statement: substitute(s.statement, user) }));
  return (action, resources) => {
    const allows = statements.filter(
      ({ statement }) => statement.effect === 'Allow' && statementCoversAction(statement, action),
    );
    if (allows.length === 0) return null;
    const denies = statements.filter(
      ({ statement }) =>
        statement.effect === 'Deny' && statement.conditions.length === 0 && statementCoversAction(statement, action),
    );
    for (const resource of resources()) {
      if (denies.some(({ statement }) => unconditionalDeny(statement, action, resource))) continue;
      const found = allows.find(({ statement }) => statementCoversResource(statement, resource));
      if (found) return found;
    }
    return null;
  };
}

/** ARNs standing for "some other user" and "some role": every real one plus one no policy can name. */
function otherUsers(account: Account, user: User): string[] {
  const others = account.users.filter((u) => u.arn !== user.arn).map((u) => u.arn);
  return [...others, `arn:aws:iam::${account.accountId}:user/roleshift-probe-any-user`];
}

function anyRole(account: Account): string[] {
  return [...account.roles.map((r) => r.arn), `arn:aws:iam::${account.accountId}:role/roleshift-probe-any-role`];
}

export interface EscalationPath {
  /** What the user can do, e.g. "iam:CreateAccessKey on other users". */
  what: string;
  /** The policy that grants it. */
  via: string;
}

export function escalationPaths(account: Account, user: User, policies: UserPolicies): EscalationPath[] {
  const grant = grantFinder(policies, user);
  const others = () => otherUsers(account, user);
  const paths: EscalationPath[] = [];
  for (const action of TAKEOVER_ACTIONS) {
    const found = grant(action, others);
    if (found) paths.push({ what: `${action} on other users`, via: describeSource(found.source) });
  }
  for (const action of GRANT_ACTIONS) {
    const found = grant(action, () => [user.arn, ...others()]);
    if (found) paths.push({ what: action, via: describeSource(found.source) });
  }
  const passRole = grant('iam:PassRole', () => anyRole(account));
  if (passRole) {
    const compute = COMPUTE_ACTIONS.find((a) => grant(a, () => ['*']) !== null);
    if (compute) paths.push({ what: `iam:PassRole with ${compute}`, via: describeSource(passRole.source) });
  }
  return paths;
}

/** "via X: a, b; via Y: c": one mention per policy keeps long lists readable. */
function describePaths(paths: EscalationPath[]): string {
  const byVia = new Map<string, string[]>();
  for (const p of paths) byVia.set(p.via, [...(byVia.get(p.via) ?? []), p.what]);
  return [...byVia.entries()].map(([via, whats]) => `${whats.join(', ')} (${via})`).join('; ');
}

/** roleshift: an IAM user whose permissions let it become someone more powerful. */
export const rule: CheckDefinition = {
  id: 'user-privilege-escalation',
  title: 'IAM user can escalate its privileges',
  severity: 'high',
  rationale:
    'A user that can create keys or passwords for other users, attach policies to itself, or pass a role to compute it starts is, in effect, as powerful as the strongest identity it can reach; its long-lived key is the weakest link.',
  remediation:
    'Remove the IAM write actions (or scope them to ${aws:username}); scope iam:PassRole to the specific roles and services (iam:PassedToService) the user needs.',
  references: {
    cis: [],
    securityHub: [],
    links: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html'],
  },
  parameters: () => ({}),
  evaluate: (snapshot) =>
    eachUser(snapshot).map(({ account, user }): CheckResult => {
      const policies = userPolicies(snapshot, account, user);
      const subject = userSubject(account, user);
      // Full administrators can do all of this by definition; full-admin-access reports them.
      if (fullAdminSources(policies).length > 0)
        return passed(subject, 'full administrator (reported by full-admin-access)');
      const paths = escalationPaths(account, user, policies);
      return paths.length > 0
        ? failed(subject, `can escalate: ${describePaths(paths)}`)
        : passed(subject, 'no escalation path found');
    }),
};
