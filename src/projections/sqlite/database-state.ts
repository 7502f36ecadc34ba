import Database from 'better-sqlite3';
import { DEFAULT_SETTINGS } from '../../domain/settings';
import { LocationRow, StateHasher, canonicalLocationJson } from '../../domain/state-hash';
import { toConfiguration, toDataset } from '../row-mappers';
import type { StateCounts } from '../target-state';

/**
 * What a read-model database (live, a snapshot's copy, a scratch state) holds: its position, its
 * counts, its state hash. Plain SQL, no TypeORM and no Nest, so a worker thread can load it cheaply.
 */
export type { StateCounts } from '../target-state';

export function stateCounts(db: Database.Database): StateCounts {
  const count = (t: string) => (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
  return { datasets: count('datasets'), locations: count('locations'), configurations: count('configurations') };
}

/** The StateHasher digest of the state a read-model database holds (see domain/state-hash.ts). */
export function hashState(db: Database.Database): string {
  const hasher = new StateHasher();
  for (const row of db.prepare('SELECT * FROM datasets ORDER BY id').iterate()) hasher.dataset(toDataset(fromColumns(row)));
  for (const row of db.prepare<[], LocationRow>('SELECT * FROM locations ORDER BY id').iterate()) hasher.locationJson(canonicalLocationJson(row));
  const settings = db.prepare("SELECT document FROM settings WHERE id = 'app'").get() as { document: string } | undefined;
  hasher.settings({ ...DEFAULT_SETTINGS, ...(settings ? JSON.parse(settings.document) : {}) });
  for (const row of db.prepare('SELECT * FROM configurations ORDER BY id').iterate()) hasher.configuration(toConfiguration(fromColumns(row)));
  return hasher.digest();
}

/** Raw SQL rows use column names; the row mappers take the entities' property names. */
function fromColumns<T>(row: unknown): T {
  const r = row as Record<string, unknown>;
  return { ...r, datasetId: r.dataset_id, columnMapping: r.column_mapping } as T;
}

export function checkpointOf(db: Database.Database): number {
  return (db.prepare("SELECT position FROM projection_checkpoints WHERE name = 'globe'").get() as { position: number } | undefined)?.position ?? 0;
}

/** The state hash and counts of the state file at `path`, read through a read-only connection of its own (a snapshot's worker). */
export function digestStateFile(path: string): { stateHash: string; counts: StateCounts } {
  const db = new Database(path, { readonly: true });
  try {
    return { stateHash: hashState(db), counts: stateCounts(db) };
  } finally {
    db.close();
  }
}
