/** `history`: every stored scan with its headline counts and KPIs, oldest first. */
import { existsSync } from 'node:fs';
import { openStore, type ScanSummaryRow } from '../store/store.js';

/** Reads the scans without creating a store where there is none. */
export async function readHistory(storePath: string): Promise<ScanSummaryRow[]> {
  if (!existsSync(storePath)) return [];
  const store = await openStore(storePath);
  try {
    return await store.listScans();
  } finally {
    store.close();
  }
}
