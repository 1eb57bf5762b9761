import type { Gap, Snapshot } from './snapshot.js';

/** The gaps that leave the scan without a list of the Organization's accounts. */
export function organizationGaps(snapshot: Pick<Snapshot, 'gaps'>): Gap[] {
  return snapshot.gaps.filter((gap) => gap.scope === 'organization');
}

/**
 * Whether a scan may be a point of the trend and of KPIs. A scan whose Organization listing
 * failed counts the accounts it happened to reach (often none): kept in the store, and shown, but
 * never compared with complete scans, where it would read as a sudden drop to zero.
 */
export function isTrendable(snapshot: Pick<Snapshot, 'gaps'>): boolean {
  return organizationGaps(snapshot).length === 0;
}
