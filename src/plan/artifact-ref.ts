/** Stands for an ARN that exists only after apply; renderers turn it into a reference. */
export function artifactRef(kind: 'trust-anchor' | 'roles-anywhere-profile', accountId: string, name: string): string {
  return `\${roleshift:${kind}:${accountId}:${name}}`;
}

export const ARTIFACT_REF = /^\$\{roleshift:(trust-anchor|roles-anywhere-profile):(\d{12}):([^}]+)\}$/;
