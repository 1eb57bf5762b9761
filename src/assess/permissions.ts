/**
 * What the estate checks ask "can X do Y" with, built once per assessment and handed to every
 * check through its context: the one evaluator over the snapshot, the action catalogue (loaded
 * once at the edge), and the privilege analysis of every user, group and role (administrator,
 * escalation path, who can assume each powerful role). No check builds its own, and none reads
 * policy statements by hand.
 */
import type { Snapshot } from '../model/snapshot.js';
import type { IamCatalog } from '../policy/action-catalog.js';
import { createEvaluator, type Evaluator } from '../policy/evaluator/evaluator.js';
import { analyzePrivileges, type PrivilegeAnalysis } from '../policy/privilege/privilege.js';

export interface EstatePermissions {
  evaluator: Evaluator;
  catalog: IamCatalog;
  privileges: PrivilegeAnalysis;
}

/** The evaluator and the privilege analysis of the snapshot, at `now`. */
export function analyzeEstatePermissions(snapshot: Snapshot, catalog: IamCatalog, now: Date): EstatePermissions {
  const evaluator = createEvaluator(snapshot, { now });
  return { evaluator, catalog, privileges: analyzePrivileges(evaluator, catalog) };
}
