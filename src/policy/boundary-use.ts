/**
 * Which managed policies in a file are permissions boundaries: `lint` grades a boundary for what
 * it caps, not as an identity policy granting `*`. A policy is a boundary when something in the
 * same file uses it as one (a `PermissionsBoundary` / `permissions_boundary` that refers to it or
 * names it in an ARN, or authorization details counting it as a boundary), or when its name or
 * description carries the `roleshift-boundary` marker that `roleshift generate` writes.
 */

/** The marker roleshift's generated boundaries carry in their name or description. */
export const BOUNDARY_MARKER = 'roleshift-boundary';

export function hasBoundaryMarker(...texts: readonly unknown[]): boolean {
  return texts.some((text) => typeof text === 'string' && text.toLowerCase().includes(BOUNDARY_MARKER));
}

/** What boundary values refer to: resource names (logical ids, Terraform addresses) and policy names in ARNs. */
export interface BoundaryUses {
  references: Set<string>;
  policyNames: Set<string>;
}

export function noBoundaryUses(): BoundaryUses {
  return { references: new Set(), policyNames: new Set() };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The policy name an ARN ends with (`arn:aws:iam::1:policy/path/name` → `name`), when it is a policy ARN. */
export function policyNameOfArn(text: string): string | null {
  const match = /:policy\/(?:[^${}]*\/)?([^/${}]+)$/.exec(text);
  return match ? (match[1] as string) : null;
}

/**
 * A CloudFormation `PermissionsBoundary` value as written: `!Ref Policy`, `!GetAtt Policy.PolicyArn`,
 * `!Sub arn:...:policy/${Name}`, `!Join`, or a literal ARN.
 */
export function addCloudFormationUses(value: unknown, uses: BoundaryUses): void {
  if (typeof value === 'string') {
    const name = policyNameOfArn(value);
    if (name !== null) uses.policyNames.add(name);
    for (const match of value.matchAll(/\$\{([A-Za-z0-9]+)(?:\.[A-Za-z]+)?\}/g))
      uses.references.add(match[1] as string);
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) addCloudFormationUses(item, uses);
    return;
  }
  if (!isObject(value)) return;
  const ref = value['Ref'];
  if (typeof ref === 'string') uses.references.add(ref);
  const getAtt = value['Fn::GetAtt'];
  const target = Array.isArray(getAtt) ? getAtt[0] : typeof getAtt === 'string' ? getAtt.split('.')[0] : undefined;
  if (typeof target === 'string') uses.references.add(target);
  for (const [key, inner] of Object.entries(value))
    if (key !== 'Ref' && key !== 'Fn::GetAtt') addCloudFormationUses(inner, uses);
}

/** A Terraform `permissions_boundary` value: `${aws_iam_policy.name.arn}` (a reference) or a literal ARN. */
export function addTerraformUses(value: unknown, uses: BoundaryUses): void {
  if (typeof value !== 'string') return;
  for (const match of value.matchAll(/\$\{\s*((?:module\.[\w-]+\.)*aws_iam_policy\.[\w-]+)(?:\.[\w-]+)?\s*\}/g))
    uses.references.add(match[1] as string);
  const name = policyNameOfArn(value);
  if (name !== null) uses.policyNames.add(name);
}

/** Terraform plan references (`aws_iam_policy.b.arn`, `aws_iam_policy.b`) as resource addresses. */
export function addPlanReferences(references: unknown, uses: BoundaryUses): void {
  if (!Array.isArray(references)) return;
  for (const reference of references)
    if (typeof reference === 'string' && /(^|\.)aws_iam_policy\.[\w-]+$/.test(reference))
      uses.references.add(reference);
}

/** Whether a policy known by these names is used as a boundary in the file. */
export function usedAsBoundary(uses: BoundaryUses, reference: string, name: unknown): boolean {
  return uses.references.has(reference) || (typeof name === 'string' && uses.policyNames.has(name));
}
