import { SNAPSHOT_SCHEMA_VERSION, type Snapshot } from '../model/snapshot.js';
import { TOOL_VERSION } from '../version.js';

/** Which credentials a live scan used, as its origin names them. */
export function credentialOrigin(profile: string | undefined): string {
  return profile === undefined ? 'default credential chain' : `profile ${profile}`;
}

/**
 * The frame of a live scan's snapshot: when it ran, the calls it made, where it read from (the
 * endpoint too, so a scan of a test AWS never passes for a real account's) and what to know.
 */
export function liveSnapshotFrame(run: {
  startedAt: Date;
  finishedAt: Date;
  apiCalls: Snapshot['collection']['apiCalls'];
  origin: readonly string[];
  warnings: string[];
}): Pick<Snapshot, 'schemaVersion' | 'collection'> {
  const endpoint = process.env.AWS_ENDPOINT_URL;
  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    collection: {
      source: 'live',
      startedAt: run.startedAt.toISOString(),
      finishedAt: run.finishedAt.toISOString(),
      toolVersion: TOOL_VERSION,
      apiCalls: run.apiCalls,
      origin: [...run.origin, ...(endpoint ? [`endpoint ${endpoint}`] : [])].join(', '),
      warnings: run.warnings,
    },
  };
}
