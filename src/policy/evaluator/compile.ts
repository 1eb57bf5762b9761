/**
 * Policies compiled once for many questions: each statement's actions become a set plus a few
 * wildcard expressions, its resources keep their ARN matchers, and a layer of policies is indexed
 * by service prefix so that a question about `s3:GetObject` looks only at statements that can
 * name s3. A managed policy attached to 10,000 users is compiled once (memoised on its document).
 */
import { normalizePolicy, wildcardToRegExp, type NormalizedStatement } from '../document.js';
import type { PolicyDocument } from '../../model/snapshot.js';

/** Where a policy reaches the principal from, so a finding can cite it. */
export interface PolicySource {
  kind: 'inline' | 'managed' | 'group-inline' | 'group-managed' | 'boundary' | 'scp' | 'document';
  /** The inline policy's name, or the managed policy's / SCP's name. */
  name: string;
  arn: string | null;
  /** The group the policy reaches a user through. */
  group: string | null;
  /** For SCPs: the root, OU or account id the policy is attached to. */
  attachedTo: string | null;
}

export interface CompiledStatement {
  /** Unique per distinct statement text: two principals with the same statements see the same ids. */
  id: number;
  statement: NormalizedStatement;
  /** Context keys (lower case) its conditions and policy variables read: what a verdict on it can depend on. */
  contextKeys: readonly string[];
  /**
   * The part of `contextKeys` its conditions read (their keys, and the variables in their values):
   * all a verdict on every resource at once can depend on, since Resource is then not matched.
   */
  conditionKeys: readonly string[];
  /** Lower-cased service prefixes the statement can name; null when it can name any service. */
  services: ReadonlySet<string> | null;
  matchesAction(lowerCaseAction: string): boolean;
  /** Whether Resource holds `*`, so the statement covers every resource. */
  everyResource: boolean;
}

export interface CompiledPolicy {
  /** Unique per distinct policy text, like a statement's id. */
  id: number;
  statements: readonly CompiledStatement[];
}

/** A statement with the policy it came from. */
export interface SourcedStatement {
  source: PolicySource;
  compiled: CompiledStatement;
}

/** A policy the analysis could not read: its document is missing or does not parse. */
export interface UnreadPolicy {
  source: PolicySource;
  reason: string;
}

/** The policies of one layer of the evaluation (identity, boundary, one SCP level), indexed by service. */
export interface PolicyLayer {
  statements: readonly SourcedStatement[];
  unread: readonly UnreadPolicy[];
  /** Equal for two layers with the same statements from the same sources: their verdicts are the same. */
  signature: string;
  /** Every context key the layer's statements read. */
  contextKeys: readonly string[];
  /** Every context key the layer's conditions read (see `CompiledStatement.conditionKeys`). */
  conditionKeys: readonly string[];
  /** The statements that can apply to an action of `service` (lower case). */
  forService(service: string): readonly SourcedStatement[];
  /** The statements whose Action / NotAction matches the action (lower case), whatever their resources and conditions. */
  forAction(action: string): readonly SourcedStatement[];
  /** Whether some Allow statement names the action (lower case), whatever its resources and conditions. */
  mayAllow(action: string): boolean;
}

const servicePrefixes = new Map<string, string>();
/**
 * The service prefix of a lower-cased action (`iam:passrole` → `iam`; `` without a colon). Asked
 * for on every statement an action is matched against: kept per action instead of a new string
 * on every match, which was most of the analysis's garbage.
 */
export function serviceOfAction(action: string): string {
  let service = servicePrefixes.get(action);
  if (service === undefined) {
    service = action.slice(0, Math.max(0, action.indexOf(':')));
    // The catalogue has ~22,000 actions; a cap keeps a long-lived process from holding every string it saw.
    if (servicePrefixes.size > 100_000) servicePrefixes.clear();
    servicePrefixes.set(action, service);
  }
  return service;
}

/**
 * Matches lower-cased actions against Action patterns: exact names in a set, wildcard patterns
 * grouped by their service prefix, so a ReadOnlyAccess-sized list (a thousand `svc:Get*`
 * patterns) costs a few tests per action, not a thousand.
 */
function actionMatcher(patterns: readonly string[]): (action: string) => boolean {
  const exact = new Set<string>();
  const byService = new Map<string, RegExp[]>();
  const anyService: RegExp[] = [];
  for (const pattern of patterns) {
    const lower = pattern.toLowerCase();
    if (lower === '*') return () => true;
    if (!/[*?]/.test(lower)) {
      exact.add(lower);
      continue;
    }
    const colon = lower.indexOf(':');
    const service = colon < 0 ? null : lower.slice(0, colon);
    const regex = wildcardToRegExp(lower, false);
    if (service === null || /[*?]/.test(service)) anyService.push(regex);
    else byService.set(service, [...(byService.get(service) ?? []), regex]);
  }
  return (action) =>
    exact.has(action) || anyTests(byService.get(serviceOfAction(action)), action) || anyTests(anyService, action);
}

/** Whether one of the expressions matches; a loop, since a callback per call was a new closure on every match. */
function anyTests(expressions: readonly RegExp[] | undefined, action: string): boolean {
  if (expressions === undefined) return false;
  for (const expression of expressions) if (expression.test(action)) return true;
  return false;
}

/** The service prefixes a list of Action patterns can name; null when one pattern spans services. */
function servicesOf(patterns: readonly string[]): Set<string> | null {
  const services = new Set<string>();
  for (const pattern of patterns) {
    const colon = pattern.indexOf(':');
    const service = colon < 0 ? pattern : pattern.slice(0, colon);
    if (colon < 0 || /[*?]/.test(service)) return null;
    services.add(service.toLowerCase());
  }
  return services;
}

/** `*`, or an ARN pattern whose every segment is a wildcard (`arn:aws:*:*:*:*`). */
function coversEveryResource(pattern: string): boolean {
  return pattern === '*' || /^arn:(\*|aws[a-z-]*):\*:\*:\*:\*$/.test(pattern);
}

let nextStatementId = 1;
let nextPolicyId = 1;

/** Adds the keys the policy variables of `texts` substitute (`${aws:username}` → `aws:username`). */
function addVariableKeys(keys: Set<string>, texts: readonly string[]): void {
  for (const text of texts) {
    for (const match of text.matchAll(/\$\{([^},]+)/g)) {
      const key = (match[1] ?? '').trim().toLowerCase();
      if (key !== '*' && key !== '?' && key !== '$') keys.add(key);
    }
  }
}

/** The keys a statement's conditions test, and the variables in their values. */
function conditionKeysOf(statement: NormalizedStatement): string[] {
  const keys = new Set(statement.conditions.map((c) => c.key));
  addVariableKeys(
    keys,
    statement.conditions.flatMap((c) => c.values),
  );
  return [...keys];
}

/** The keys a statement's conditions test and its variables substitute, in conditions and in Resource. */
function contextKeysOf(statement: NormalizedStatement, conditionKeys: readonly string[]): string[] {
  const keys = new Set(conditionKeys);
  addVariableKeys(keys, [...(statement.resources ?? []), ...(statement.notResources ?? [])]);
  return [...keys];
}

function compileStatement(statement: NormalizedStatement): CompiledStatement {
  const everyResource = statement.resources?.some(coversEveryResource) ?? statement.notResources === null;
  const conditionKeys = conditionKeysOf(statement);
  const contextKeys = contextKeysOf(statement, conditionKeys);
  const common = { id: nextStatementId++, statement, contextKeys, conditionKeys, everyResource };
  if (statement.actions)
    return { ...common, services: servicesOf(statement.actions), matchesAction: actionMatcher(statement.actions) };
  const excluded = actionMatcher(statement.notActions ?? []);
  return { ...common, services: null, matchesAction: (action) => !excluded(action) };
}

type Compiled = { ok: true; policy: CompiledPolicy } | { ok: false; error: string };

const compiledDocuments = new WeakMap<object, Compiled>();
/** By text too: inline policies are separate objects, yet thousands of them often say the same. */
const compiledTexts = new Map<string, Compiled>();

/**
 * Compiles a policy document (object, JSON text or URL-encoded text). Memoised on the document
 * object, so every principal that shares a managed policy shares its compiled form.
 */
export function compilePolicy(document: PolicyDocument | string): Compiled {
  const byObject = typeof document === 'object' ? compiledDocuments.get(document) : undefined;
  if (byObject) return byObject;
  const text = typeof document === 'string' ? document : JSON.stringify(document);
  let result = compiledTexts.get(text);
  if (result === undefined) {
    const normalized = normalizePolicy(document);
    result = normalized.ok
      ? {
          ok: true as const,
          policy: { id: nextPolicyId++, statements: normalized.policy.statements.map(compileStatement) },
        }
      : { ok: false as const, error: normalized.error };
    if (compiledTexts.size > 200_000) compiledTexts.clear();
    compiledTexts.set(text, result);
  }
  if (typeof document === 'object') compiledDocuments.set(document, result);
  return result;
}

/** One policy of a layer: its document (null when the snapshot lacks it) and where it comes from. */
export interface LayerPolicy {
  source: PolicySource;
  document: PolicyDocument | string | null;
  /** Why the document is missing, when it is. */
  missing?: string;
}

/** Builds a layer from its policies; unreadable ones are kept as such, never dropped. */
export function buildLayer(policies: readonly LayerPolicy[]): PolicyLayer {
  const compiled = policies.map(({ document }) => (document === null ? null : compilePolicy(document)));
  const signature = layerSignature(policies, compiled);
  let layer = sharedLayers.get(signature);
  if (layer === undefined) {
    layer = indexLayer(...layerContent(policies, compiled), signature);
    if (sharedLayers.size > 100_000) sharedLayers.clear();
    sharedLayers.set(signature, layer);
  }
  return layer;
}

/** The statements of a layer's policies with where each comes from, and the policies it could not read. */
function layerContent(
  policies: readonly LayerPolicy[],
  compiled: ReadonlyArray<Compiled | null>,
): [SourcedStatement[], UnreadPolicy[]] {
  const statements: SourcedStatement[] = [];
  const unread: UnreadPolicy[] = [];
  policies.forEach(({ source, missing }, index) => {
    const policy = compiled[index] ?? null;
    if (policy === null) unread.push({ source, reason: missing ?? 'its document is not in the snapshot' });
    else if (!policy.ok) unread.push({ source, reason: policy.error });
    else for (const statement of policy.policy.statements) statements.push({ source, compiled: statement });
  });
  return [statements, unread];
}

/** Layers with the same statements from the same sources are one object: group members share the work. */
const sharedLayers = new Map<string, PolicyLayer>();

const sourceKeys = new WeakMap<PolicySource, string>();

/**
 * Names a policy source: the same policy reaching two principals the same way has the same key.
 * Kept per source object: a group's sources are shared by all its members.
 */
export function sourceKey(source: PolicySource): string {
  let key = sourceKeys.get(source);
  if (key === undefined) {
    key = `${source.kind}/${source.group ?? ''}/${source.arn ?? source.name}/${source.attachedTo ?? ''}`;
    sourceKeys.set(source, key);
  }
  return key;
}

/** Equal for two lists with the same statements from the same sources. */
export function statementsSignature(statements: readonly SourcedStatement[]): string {
  return statements.map((s) => `${s.compiled.id}@${sourceKey(s.source)}`).join(',');
}

const listSignatures = new WeakMap<readonly SourcedStatement[], string>();

/** `statementsSignature`, kept for each list a layer hands out (its statements for a service or an action). */
export function listSignature(list: readonly SourcedStatement[]): string {
  let signature = listSignatures.get(list);
  if (signature === undefined) {
    signature = statementsSignature(list);
    listSignatures.set(list, signature);
  }
  return signature;
}

/** Names the layer's unread policies: they keep a verdict open, so two layers differing in them differ. */
export function unreadSignature(layer: PolicyLayer): string {
  return layer.unread.length === 0 ? '' : `!${layer.unread.map((u) => sourceKey(u.source)).join(',')}`;
}

/**
 * Equal for two lists of policies that make the same layer: the same compiled policies (by text)
 * from the same sources, and the same unread ones. Found from the policies, before any statement
 * is listed: most principals' layers are already built, shared with their group's other members.
 */
function layerSignature(policies: readonly LayerPolicy[], compiled: ReadonlyArray<Compiled | null>): string {
  let signature = '';
  policies.forEach(({ source, missing }, index) => {
    const policy = compiled[index] ?? null;
    const what =
      policy === null ? `unread#${missing ?? ''}` : policy.ok ? String(policy.policy.id) : `unparsed#${policy.error}`;
    signature += `${index === 0 ? '' : ','}${what}@${sourceKey(source)}`;
  });
  return signature;
}

/** One list for every action no statement of a layer names: most actions asked about. */
const NO_STATEMENTS: readonly SourcedStatement[] = Object.freeze([]);

/** How many actions' matching statements a layer keeps. */
const MATCHING_KEPT = 4096;

/**
 * The statements that can apply to one service, found when first asked: a principal is asked about
 * a few services, and a ReadOnlyAccess statement names hundreds of them.
 */
function indexLayer(statements: SourcedStatement[], unread: UnreadPolicy[], signature: string): PolicyLayer {
  const merged = new Map<string, readonly SourcedStatement[]>();
  const matching = new Map<string, readonly SourcedStatement[]>();
  const layer: PolicyLayer = {
    statements,
    unread,
    signature,
    contextKeys: [...new Set(statements.flatMap((s) => s.compiled.contextKeys))],
    conditionKeys: [...new Set(statements.flatMap((s) => s.compiled.conditionKeys))],
    forService(service) {
      let list = merged.get(service);
      if (list === undefined) {
        const found = statements.filter((s) => s.compiled.services === null || s.compiled.services.has(service));
        list = found.length === 0 ? NO_STATEMENTS : found;
        merged.set(service, list);
      }
      return list;
    },
    forAction(action) {
      let list = matching.get(action);
      if (list === undefined) {
        const found = layer.forService(serviceOfAction(action)).filter((s) => s.compiled.matchesAction(action));
        list = found.length === 0 ? NO_STATEMENTS : found;
        // An analysis asks a layer about a few hundred actions; one over the whole catalogue need not keep them all.
        if (matching.size < MATCHING_KEPT) matching.set(action, list);
      }
      return list;
    },
    mayAllow(action) {
      // Neither listing the action's statements nor keeping the answer: most actions asked about here are never evaluated.
      return (matching.get(action) ?? layer.forService(serviceOfAction(action))).some(
        (s) => s.compiled.statement.effect === 'Allow' && s.compiled.matchesAction(action),
      );
    },
  };
  return layer;
}
