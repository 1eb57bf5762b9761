/**
 * Single-policy questions for one concrete request, answered by the evaluator's own logic
 * (`evaluator/decide.ts`): what one identity policy decides, and whether one level of SCPs lets a
 * request through. Every key the request does not carry is absent, as on a real call.
 */
import type { RequestContext } from './condition.js';
import { buildLayer, type LayerPolicy } from './evaluator/compile.js';
import { decide, type Verdict } from './evaluator/decide.js';
import type { PolicyDocument } from '../model/snapshot.js';

export interface PolicyRequest {
  action: string;
  resource: string;
  context: RequestContext;
}

/** The outcome of one identity-based policy (or SCP) for one request, as IAM decides it. */
export type PolicyDecision = 'explicit-deny' | 'allow' | 'implicit-deny';

function asLayerPolicies(documents: readonly unknown[]): LayerPolicy[] {
  return documents.map((document, index) => ({
    source: { kind: 'document', name: `policy ${index + 1}`, arn: null, group: null, attachedTo: null },
    document: document as PolicyDocument | string,
  }));
}

function decideDocuments(documents: readonly unknown[], request: PolicyRequest): Verdict {
  const layer = buildLayer(asLayerPolicies(documents));
  const [unread] = layer.unread;
  if (unread) throw new Error(`cannot evaluate an invalid policy: ${unread.reason}`);
  return decide(
    { identity: layer, boundary: null, scps: [] },
    { action: request.action, resource: request.resource, knowledge: request.context },
  );
}

/**
 * Evaluates one policy for one request: an applicable Deny wins, then an applicable Allow,
 * else the implicit deny. Principals are not considered (identity policies and SCPs have none).
 * Throws on a document IAM would reject, since no decision about it means anything.
 */
export function evaluatePolicy(document: unknown, request: PolicyRequest): PolicyDecision {
  const verdict = decideDocuments([document], request);
  if (verdict.decision === 'allowed') return 'allow';
  return verdict.causes.includes('explicit-deny') ? 'explicit-deny' : 'implicit-deny';
}

/**
 * SCPs attached at one level of the organization (root, OU or account), as Organizations applies
 * them: the request passes when one of them allows it and none denies it. Deny-list SCPs rely on
 * `FullAWSAccess` beside them for the allow.
 */
export function scpsPermit(scps: unknown[], request: PolicyRequest): boolean {
  return decideDocuments(scps, request).decision === 'allowed';
}
