/**
 * What each user, group and role of a snapshot can really do, in one pass, for the checks to
 * read: whether it is an administrator (through the evaluator, so a Deny beside
 * AdministratorAccess counts and a NotAction allow-list counts), whether it can become one (the
 * escalation graph), and, for a role that is or may become powerful, who can assume it, which is
 * what makes such a role dangerous.
 */
import type { IamCatalog } from '../action-catalog.js';
import { assumableBy, type Assumer, type RolePrincipal } from '../escalation/assume-role.js';
import { analyzeEscalation, type EscalationAnalysis, type EscalationFinding } from '../escalation/graph.js';
import type { Evaluator } from '../evaluator/evaluator.js';
import type { Principal } from '../evaluator/principals.js';
import type { AdminAssessment } from './admin.js';

export interface PrivilegeAssessment {
  principal: Principal;
  admin: AdminAssessment;
  /** The principal's path to administrator (or to "all but a few services"), or the admins it can make. */
  escalation: EscalationFinding | null;
  /** For a role that is, may be or can become an administrator: who can assume it. Empty otherwise. */
  assumableBy: Assumer[];
}

export interface PrivilegeAnalysis {
  assessments: readonly PrivilegeAssessment[];
  /** The assessment of one principal by ARN. */
  of(arn: string): PrivilegeAssessment | undefined;
  escalation: EscalationAnalysis;
}

/** Whether the principal is, may be, or can become powerful enough that who reaches it matters. */
function powerful(admin: AdminAssessment, escalation: EscalationFinding | null): boolean {
  return admin.admin !== 'no' || admin.level !== 'none' || (escalation !== null && escalation.gains !== 'grant-admin');
}

/** Admin, escalation and who can assume powerful roles, for every principal of the evaluator's snapshot. */
export function analyzePrivileges(evaluator: Evaluator, catalog: IamCatalog): PrivilegeAnalysis {
  const escalation = analyzeEscalation(evaluator, catalog);
  const assessments: PrivilegeAssessment[] = [];
  for (const principal of evaluator.principals()) {
    const admin = escalation.admin.get(principal.arn);
    if (admin === undefined) continue;
    const finding = escalation.finding(principal.arn) ?? null;
    const assumers =
      principal.kind === 'role' && powerful(admin, finding) ? assumableBy(evaluator, principal as RolePrincipal) : [];
    assessments.push({ principal, admin, escalation: finding, assumableBy: assumers });
  }
  const byArn = new Map(assessments.map((a) => [a.principal.arn, a]));
  return { assessments, of: (arn) => byArn.get(arn), escalation };
}
