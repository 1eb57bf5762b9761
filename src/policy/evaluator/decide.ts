/**
 * AWS's documented evaluation logic for a principal's own request within its account (IAM User
 * Guide, "Policy evaluation logic"): an explicit Deny in any policy decides; otherwise every
 * layer that applies must allow: the identity policies, the permissions boundary when there is
 * one, and at every level of the organization from the root to the account, an SCP. What the
 * scan cannot settle (a condition on a key no snapshot holds, a policy it could not read) keeps
 * the verdict `conditional`, with the undecided conditions listed, and is never rounded either way.
 */
import { decideCondition } from '../condition.js';
import type { NormalizedCondition } from '../document.js';
import { allOf, fromBoolean, type Tri } from '../tri.js';
import { arnMatcher, parseResource, type ParsedResource } from './arn.js';
import type { PolicyLayer, PolicySource, SourcedStatement, UnreadPolicy } from './compile.js';
import { lowerCaseOnce } from './lower-case.js';
import type { ContextKnowledge } from './knowledge.js';
import { hasVariables, resolveVariables } from './variables.js';

/** Asks about every resource at once: allowed only where an Allow names `*` and no Deny touches any resource. */
export const EVERY_RESOURCE = { every: true } as const;
export type ResourceQuery = string | typeof EVERY_RESOURCE;

export interface EvaluationRequest {
  action: string;
  /** An ARN, `*` for actions that take no resource, or EVERY_RESOURCE. */
  resource: ResourceQuery;
  knowledge: ContextKnowledge;
}

export interface ScpLevel {
  /** The root, OU or account id whose attached SCPs form this level. */
  target: string;
  layer: PolicyLayer;
}

export interface EvaluationLayers {
  identity: PolicyLayer;
  boundary: PolicyLayer | null;
  /** From the root down to the account; empty when the organization was not scanned or SCPs do not apply. */
  scps: readonly ScpLevel[];
}

/** Every layer a request passes through: identity, boundary, then the SCPs from the root down. */
export function allLayers(layers: EvaluationLayers): PolicyLayer[] {
  return [layers.identity, ...(layers.boundary ? [layers.boundary] : []), ...layers.scps.map((level) => level.layer)];
}

export interface StatementRef {
  source: PolicySource;
  index: number;
  sid: string | null;
  /** JSON pointer to the statement in its document. */
  pointer: string;
  effect: 'Allow' | 'Deny';
}

/** A statement whose applicability the scan could not settle, and why. */
export interface Undecided {
  statement: StatementRef;
  /** Its conditions that depend on keys unknown at scan time. */
  conditions: NormalizedCondition[];
  /** Policy variables in its Resource whose value is unknown at scan time. */
  variables: string[];
}

export type Decision = 'allowed' | 'denied' | 'conditional';
/** Why a request is (or may be) denied: an explicit Deny, or the layer that grants nothing. */
export type Cause = 'explicit-deny' | 'no-allow' | 'boundary' | 'scp';

export interface Verdict {
  decision: Decision;
  /** `denied`: what denies it; `conditional`: what might still deny it. Empty when allowed. */
  causes: Cause[];
  /** The statements that decided: the Deny statements, or the identity Allow statements that grant it. */
  statements: StatementRef[];
  /** For `conditional`: the statements whose conditions or variables the scan could not settle. */
  undecided: Undecided[];
  /** Policies the snapshot lacks or could not parse; the verdict assumes they allow and deny nothing more. */
  unread: UnreadPolicy[];
}

interface Judged {
  sourced: SourcedStatement;
  applies: Tri;
  undecided: Undecided | null;
}

export function statementRef(sourced: SourcedStatement): StatementRef {
  const { statement } = sourced.compiled;
  return {
    source: sourced.source,
    index: statement.index,
    sid: statement.sid,
    pointer: statement.pointer,
    effect: statement.effect,
  };
}

function patternApplies(
  pattern: string,
  resource: ParsedResource,
  knowledge: ContextKnowledge,
  unknown: string[],
): Tri {
  if (!hasVariables(pattern)) return fromBoolean(arnMatcher(pattern)(resource));
  const resolved = resolveVariables(pattern, knowledge);
  if (resolved.kind === 'no-value') return 'no';
  if (resolved.kind === 'unknown') {
    unknown.push(...resolved.keys);
    return 'maybe';
  }
  return fromBoolean(arnMatcher(resolved.text)(resource));
}

function negate(value: Tri): Tri {
  return value === 'yes' ? 'no' : value === 'no' ? 'yes' : 'maybe';
}

function resourceApplies(
  sourced: SourcedStatement,
  resource: ParsedResource | null,
  knowledge: ContextKnowledge,
  unknown: string[],
): Tri {
  const { statement, everyResource } = sourced.compiled;
  if (resource === null) return statement.effect === 'Deny' ? 'yes' : fromBoolean(everyResource);
  if (statement.resources) return patternsApply(statement.resources, resource, knowledge, unknown);
  if (statement.notResources) return negate(patternsApply(statement.notResources, resource, knowledge, unknown));
  return 'yes';
}

/** Whether one of the patterns names the resource; every pattern is tried, so `unknown` lists every key they miss. */
function patternsApply(
  patterns: readonly string[],
  resource: ParsedResource,
  knowledge: ContextKnowledge,
  unknown: string[],
): Tri {
  let result: Tri = 'no';
  for (const pattern of patterns) {
    const applies = patternApplies(pattern, resource, knowledge, unknown);
    if (applies === 'yes') result = 'yes';
    else if (applies === 'maybe' && result === 'no') result = 'maybe';
  }
  return result;
}

function judge(sourced: SourcedStatement, resource: ParsedResource | null, knowledge: ContextKnowledge): Judged {
  const variables: string[] = [];
  const onResource = resourceApplies(sourced, resource, knowledge, variables);
  if (onResource === 'no') return { sourced, applies: 'no', undecided: null };
  const open: NormalizedCondition[] = [];
  let applies: Tri = onResource;
  // A loop rather than a list of outcomes: most statements have no condition, and this runs on every verdict.
  for (const condition of sourced.compiled.statement.conditions) {
    const outcome = decideCondition(condition, knowledge);
    if (outcome === 'maybe') open.push(condition);
    applies = allOf([applies, outcome]);
  }
  const undecided = applies === 'maybe' ? { statement: statementRef(sourced), conditions: open, variables } : null;
  return { sourced, applies, undecided };
}

interface LayerJudgement {
  allow: Tri;
  allowing: Judged[];
  denying: Judged[];
  unread: readonly UnreadPolicy[];
}

const NOTHING: Judged[] = [];

function judgeLayer(
  layer: PolicyLayer,
  action: string,
  resource: ParsedResource | null,
  knowledge: ContextKnowledge,
): LayerJudgement {
  let allowing = NOTHING;
  let denying = NOTHING;
  let allow: Tri = layer.unread.length > 0 ? 'maybe' : 'no';
  for (const sourced of layer.forAction(action)) {
    const judged = judge(sourced, resource, knowledge);
    if (judged.applies === 'no') continue;
    if (sourced.compiled.statement.effect === 'Deny') {
      if (denying === NOTHING) denying = [];
      denying.push(judged);
    } else {
      if (allowing === NOTHING) allowing = [];
      allowing.push(judged);
      if (judged.applies === 'yes') allow = 'yes';
      else if (allow === 'no') allow = 'maybe';
    }
  }
  return { allow, allowing, denying, unread: layer.unread };
}

type LayerKind = 'identity' | 'boundary' | 'scp';

const LAYER_CAUSE: Record<LayerKind, Cause> = {
  identity: 'no-allow',
  boundary: 'boundary',
  scp: 'scp',
};

/** Decides one request against a principal's layers of policy. */
export function decide(layers: EvaluationLayers, request: EvaluationRequest): Verdict {
  const action = lowerCaseOnce(request.action);
  const resource = typeof request.resource === 'string' ? parseResource(request.resource) : null;
  const judged: Array<{ kind: LayerKind; judgement: LayerJudgement }> = [
    { kind: 'identity', judgement: judgeLayer(layers.identity, action, resource, request.knowledge) },
  ];
  if (layers.boundary)
    judged.push({
      kind: 'boundary',
      judgement: judgeLayer(layers.boundary, action, resource, request.knowledge),
    });
  for (const level of layers.scps)
    judged.push({ kind: 'scp', judgement: judgeLayer(level.layer, action, resource, request.knowledge) });
  return combine(judged);
}

function unreadOf(judged: Array<{ judgement: LayerJudgement }>): UnreadPolicy[] {
  const out: UnreadPolicy[] = [];
  for (const { judgement } of judged) if (judgement.unread.length > 0) out.push(...judgement.unread);
  return out;
}

const NO_UNREAD: UnreadPolicy[] = [];

function combine(judged: Array<{ kind: LayerKind; judgement: LayerJudgement }>): Verdict {
  let anyDenying = false;
  let anyUnread = false;
  let anyOpen = false;
  let anyFailing = false;
  for (const { judgement } of judged) {
    if (judgement.denying.length > 0) anyDenying = true;
    if (judgement.unread.length > 0) anyUnread = true;
    if (judgement.allow === 'maybe') anyOpen = true;
    else if (judgement.allow === 'no') anyFailing = true;
  }
  const unread = anyUnread ? unreadOf(judged) : NO_UNREAD;
  // The common answers first, without building lists they do not need.
  if (!anyDenying && anyFailing) return denied(judged, unread);
  if (!anyDenying && !anyOpen)
    return { decision: 'allowed', causes: [], statements: granting(judged, 'yes'), undecided: [], unread };
  return weigh(judged, unread);
}

function granting(judged: Array<{ judgement: LayerJudgement }>, applies: Tri): StatementRef[] {
  return (judged[0]?.judgement.allowing ?? NOTHING)
    .filter((j) => j.applies === applies)
    .map((j) => statementRef(j.sourced));
}

function denied(judged: Array<{ kind: LayerKind; judgement: LayerJudgement }>, unread: UnreadPolicy[]): Verdict {
  const causes = [
    ...new Set(judged.filter(({ judgement }) => judgement.allow === 'no').map(({ kind }) => LAYER_CAUSE[kind])),
  ];
  return { decision: 'denied', causes, statements: [], undecided: [], unread };
}

function weigh(judged: Array<{ kind: LayerKind; judgement: LayerJudgement }>, unread: UnreadPolicy[]): Verdict {
  const denying = judged.flatMap(({ judgement }) => judgement.denying);
  const denies = denying.filter((j) => j.applies === 'yes');
  if (denies.length > 0)
    return {
      decision: 'denied',
      causes: ['explicit-deny'],
      statements: denies.map((j) => statementRef(j.sourced)),
      undecided: [],
      unread,
    };
  if (judged.some(({ judgement }) => judgement.allow === 'no')) return denied(judged, unread);
  const openLayers = judged.filter(({ judgement }) => judgement.allow === 'maybe');
  const undecided = [
    ...openLayers.flatMap(({ judgement }) => judgement.allowing.flatMap((j) => (j.undecided ? [j.undecided] : []))),
    ...denying.flatMap((j) => (j.undecided ? [j.undecided] : [])),
  ];
  const causes = [
    ...(denying.length > 0 ? (['explicit-deny'] as Cause[]) : []),
    ...new Set(openLayers.map(({ kind }) => LAYER_CAUSE[kind])),
  ];
  return {
    decision: 'conditional',
    causes,
    statements: [
      ...granting(judged, 'yes'),
      ...granting(judged, 'maybe'),
      ...denying.map((j) => statementRef(j.sourced)),
    ],
    undecided,
    unread,
  };
}
