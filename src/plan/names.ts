import { createHash } from 'node:crypto';

/**
 * IAM role names allow `[\w+=,.@-]`, up to 64 characters. Names taken from AWS users already fit,
 * but tags and person keys do not, so everything roleshift names goes through here.
 */
export function iamName(raw: string, maxLength = 64): string {
  const cleaned = raw.replace(/[^\w+=,.@-]+/g, '-').replace(/^-+|-+$/g, '');
  const name = cleaned.length > 0 ? cleaned : 'unnamed';
  if (name.length <= maxLength) return name;
  // Keep names unique after truncation: two long names sharing a prefix must not collide.
  const suffix = shortHash(raw, 6);
  return `${name.slice(0, maxLength - suffix.length - 1)}-${suffix}`;
}

/** Permission set names: `[\w+=,.@-]`, at most 32 characters. */
export function permissionSetName(raw: string): string {
  return iamName(raw, 32);
}

/** Terraform / CloudFormation logical names: letters, digits (and `_` for Terraform). */
export function logicalId(raw: string, style: 'terraform' | 'cloudformation'): string {
  if (style === 'terraform') {
    const id = raw
      .toLowerCase()
      .replace(/[^a-z0-9_]+/g, '_')
      .replace(/^_+|_+$/g, '');
    return /^[a-z_]/.test(id) ? id : `r_${id}`;
  }
  const id = raw
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part.length > 0)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
  return /^[A-Za-z]/.test(id) ? id : `R${id}`;
}

export function shortHash(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/**
 * An ExternalId that looks random to the vendor but is reproducible from the recorded seed, so
 * regenerating the code never silently changes what the vendor has configured.
 */
export function externalIdFor(seed: string, accountId: string, userName: string): string {
  const digest = createHash('sha256')
    .update(`roleshift-external-id\u0000${seed}\u0000${accountId}\u0000${userName}`)
    .digest('hex');
  return `rs-${digest.slice(0, 32)}`;
}

/** Adds days to an ISO date (YYYY-MM-DD) in UTC. */
export function isoDatePlusDays(now: Date, days: number): string {
  return new Date(now.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}
