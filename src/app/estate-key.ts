/**
 * What the assessment of the store's newest scan, and the page that shows it, depend on, read
 * without loading the snapshot: the stored scans (the newest is the one assessed; the others are
 * the trend and the creation times of deleted users), the resolved config, the exceptions
 * register's text, the remediation journal, the ExternalId seed and the tool version. Equal keys
 * at the same clock mean an equal page, so `serve` answers a reload from the page it built last
 * instead of assessing 100,000 users again. The clock is the caller's to weigh: ages (idle days,
 * key rotation, expired exceptions) are measured from `now`.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { journalIfAny } from '../remediate/journal.js';
import { openStore } from '../store/store.js';
import { TOOL_VERSION } from '../version.js';
import type { EstateRequest, RunContext } from './estate.js';
import { externalIdSeedFor } from './seed.js';

/** The register's bytes as `loadEstate` would read them, or a marker for none; null when unreadable. */
function registerText(request: EstateRequest): string | null {
  const file = request.exceptions ?? (existsSync(request.config.exceptionsFile) ? request.config.exceptionsFile : null);
  if (file === null) return 'no register';
  try {
    return readFileSync(file).toString('base64');
  } catch {
    return null;
  }
}

/**
 * The key of the estate `loadEstate(request)` would assess; null when there is
 * nothing to key (no store, a snapshot file, a seed rotation, an unreadable register): then the
 * caller builds afresh and reports whatever is wrong the way it always does.
 */
export async function estateKey(request: EstateRequest, context: RunContext): Promise<string | null> {
  if (request.snapshot !== undefined || request.rotateSeed || !existsSync(request.storePath)) return null;
  const register = registerText(request);
  if (register === null) return null;
  const store = await openStore(request.storePath);
  try {
    const scans = await store.listScans();
    if (scans.length === 0) return null;
    const journal = await journalIfAny(store.connection);
    // Kept (or created, as loading the estate would) before the page is built, so both see the same seed.
    const { seed } = await externalIdSeedFor(store, request, context);
    const inputs = [TOOL_VERSION, scans.map((scan) => scan.scanId), request.config, register, journal, seed];
    return createHash('sha256').update(JSON.stringify(inputs)).digest('hex');
  } finally {
    store.close();
  }
}
