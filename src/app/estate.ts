/**
 * Loading an estate for assessment: the snapshot (a file, or the latest scan in the store), the
 * exceptions register, the remediation journal, what earlier scans knew of deleted users, and
 * the ExternalId seed. A missing store is never created: reading commands leave no trace.
 */
import { existsSync } from 'node:fs';
import type { ExceptionEntry } from '../assess/exceptions.js';
import { creationTimes, deletedUsers } from '../assess/kpis.js';
import type { RoleshiftConfig } from '../config.js';
import { UserInputError } from '../errors.js';
import type { Snapshot } from '../model/snapshot.js';
import { journalIfAny, type JournalOperation } from '../remediate/journal.js';
import { openStore, type ScanSummaryRow, type Store, type StoredScan } from '../store/store.js';
import type { Estate } from './assess.js';
import { readExceptionsRegister, readSnapshotFile } from './files.js';
import type { Notes } from './ports.js';
import { externalIdSeedFor, type SeedRequest, type SeedSource } from './seed.js';

export interface EstateRequest extends SeedRequest {
  /** `--snapshot FILE`; else the latest scan in the store. */
  snapshot?: string;
  /** The store (absolute path); read when it exists, never created here. */
  storePath: string;
  /** `--exceptions FILE`; else the config's `exceptionsFile` when present. */
  exceptions?: string;
  config: RoleshiftConfig;
}

export interface RunContext {
  now: Date;
  notes: Notes;
}

export interface LoadedEstate {
  estate: Estate;
  /** The stored scan assessed; null for a snapshot file. */
  scanId: string | null;
  /** Every stored scan, oldest first: the trend. Empty without a store. */
  history: ScanSummaryRow[];
  /** The remediation journal as stored; null when nothing was ever remediated. */
  journal: JournalOperation[] | null;
  seedSource: SeedSource;
}

/**
 * The creation times of the journal's deleted users. A deleted user is gone from the new
 * snapshot, so the stored scans are read newest first until every one is found (usually the
 * latest scan already has them all).
 */
async function earlierCreationTimes(
  store: Store,
  snapshot: Snapshot,
  journal: readonly JournalOperation[],
): Promise<Map<string, string>> {
  const known = creationTimes(snapshot);
  const found = new Map<string, string>();
  const deleted = deletedUsers(journal).map((user) => `${user.accountId}/${user.userName}`);
  const missing = (): boolean => deleted.some((key) => !known.has(key) && !found.has(key));
  const scans = missing() ? await store.listScans() : [];
  for (const summary of [...scans].reverse()) {
    if (!missing()) break;
    const stored = await store.getScan(summary.scanId);
    if (stored === null) continue;
    for (const [key, at] of creationTimes(stored.snapshot)) if (!known.has(key) && !found.has(key)) found.set(key, at);
  }
  return found;
}

/** The estate of a snapshot, with what the store (when there is one) keeps beside it. */
export async function estateOf(
  snapshot: Snapshot,
  store: Store | null,
  inputs: { config: RoleshiftConfig; exceptions: ExceptionEntry[] | null } & SeedRequest,
  context: RunContext,
): Promise<{ estate: Estate; journal: JournalOperation[] | null; seedSource: SeedSource }> {
  const journal = store === null ? null : await journalIfAny(store.connection);
  const earlier =
    store === null || journal === null
      ? new Map<string, string>()
      : await earlierCreationTimes(store, snapshot, journal);
  const { seed, source } = await externalIdSeedFor(store, inputs, context);
  return {
    estate: {
      snapshot,
      config: inputs.config,
      exceptions: inputs.exceptions,
      journal,
      earlierCreationTimes: earlier,
      externalIdSeed: seed,
      now: context.now,
    },
    journal,
    seedSource: source,
  };
}

async function latestScan(store: Store | null, storePath: string, notes: Notes): Promise<StoredScan> {
  const latest = store === null ? null : await store.latestScan();
  if (latest === null)
    // No `--snapshot FILE` hint: `serve` reads only the store, and a hint must work for every command.
    throw new UserInputError(
      `no scan yet in ${storePath}: run roleshift scan first (or roleshift demo), or name another store with --store FILE`,
    );
  notes.log(`using scan ${latest.scanId} from ${storePath}`);
  return latest;
}

/** The estate a command works on: `--snapshot FILE` when given, else the latest scan in the store. */
export async function loadEstate(request: EstateRequest, context: RunContext): Promise<LoadedEstate> {
  const exceptions = readExceptionsRegister(request.exceptions, request.config);
  let fromFile: Snapshot | null = null;
  if (request.snapshot !== undefined) {
    context.notes.log(`reading snapshot ${request.snapshot}`);
    fromFile = readSnapshotFile(request.snapshot);
  }
  const store = existsSync(request.storePath) ? await openStore(request.storePath) : null;
  try {
    const { scanId, snapshot } =
      fromFile === null
        ? await latestScan(store, request.storePath, context.notes)
        : { scanId: null, snapshot: fromFile };
    const loaded = await estateOf(snapshot, store, { ...request, exceptions }, context);
    const history = store === null ? [] : await store.listScans();
    return { ...loaded, scanId, history };
  } finally {
    store?.close();
  }
}
