/**
 * Which dangerous service-wide grants an identity policy makes, decided by the one evaluator on the
 * document alone (NotAction, NotResource and Deny statements included). Conditions do not clear a
 * grant: the scan cannot tell who meets them, so the finding says they exist and leaves the
 * judgement to the reader.
 */
import type { PolicyDocument } from '../model/snapshot.js';
import type { IamCatalog } from '../policy/action-catalog.js';
import { decodeDocument, normalizePolicy } from '../policy/document.js';
import { decide, EVERY_RESOURCE, type EvaluationLayers } from '../policy/evaluator/decide.js';
import { documentLayers } from '../policy/evaluator/evaluator.js';
import { partialKnowledge } from '../policy/evaluator/knowledge.js';

interface DangerousGrant {
  /** How the finding names it, e.g. `cloudtrail:*`. */
  label: string;
  /** Every one of these must be allowed on every resource for the grant to count. */
  actions: (catalog: IamCatalog) => readonly string[];
}

const UNKNOWN_CONTEXT = partialKnowledge({});

function grantedEverywhere(layers: EvaluationLayers, action: string): boolean {
  return decide(layers, { action, resource: EVERY_RESOURCE, knowledge: UNKNOWN_CONTEXT }).decision !== 'denied';
}

const wholeService = (service: string): DangerousGrant => ({
  label: `${service}:*`,
  actions: (catalog) => catalog.actionsOf(service).map((action) => action.name),
});

const actionOnEveryResource = (action: string): DangerousGrant => ({
  label: `${action} on *`,
  actions: () => [action],
});

/** The grants Prowler's IAM checks and Security Hub IAM.21 single out. */
const DANGEROUS_GRANTS: readonly DangerousGrant[] = [
  wholeService('cloudtrail'),
  wholeService('kms'),
  wholeService('cloudshell'),
  actionOnEveryResource('aws-marketplace:Subscribe'),
  actionOnEveryResource('sts:AssumeRole'),
];

/** A statement granting every action: `full-admin-access` reports it, so it is not a service-wide grant here. */
function grantsEverything(statement: unknown): boolean {
  if (typeof statement !== 'object' || statement === null) return false;
  const { Effect, Action } = statement as { Effect?: unknown; Action?: unknown };
  const actions = Array.isArray(Action) ? Action : [Action];
  return Effect === 'Allow' && actions.some((action) => typeof action === 'string' && /^\*(:\*)?$/.test(action));
}

function withoutAdminStatements(document: PolicyDocument): PolicyDocument {
  const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  return { ...document, Statement: statements.filter((statement) => !grantsEverything(statement)) };
}

/** The labels of the dangerous grants a policy document makes; null when it cannot be parsed. */
export function dangerousGrantsOf(document: unknown, catalog: IamCatalog): string[] | null {
  const decoded = decodeDocument(document);
  if (!normalizePolicy(document).ok || !decoded.ok || typeof decoded.value !== 'object' || decoded.value === null)
    return null;
  const layers = documentLayers([withoutAdminStatements(decoded.value as PolicyDocument)]);
  return DANGEROUS_GRANTS.filter((grant) => {
    const actions = grant.actions(catalog);
    return actions.length > 0 && actions.every((action) => grantedEverywhere(layers, action));
  }).map((grant) => grant.label);
}
