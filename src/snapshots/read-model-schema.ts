import Database from 'better-sqlite3';
import { DEFAULT_SETTINGS } from '../domain/settings';
import { LocationRow, StateHasher, canonicalLocationJson } from '../domain/state-hash';
import { READ_MODEL_TABLES } from '../projections/entities/read-model-entities';
import { toConfiguration, toDataset } from '../projections/row-mappers';

/**
 * Version of the read-model table layout that snapshots copy. Bump it when an entity's columns
 * change: older snapshots are then ignored (the log rebuilds the state), never misread.
 */
export const READ_MODEL_SCHEMA_VERSION = 1;

/** The tables a snapshot or a scratch state holds: the read models and the checkpoint. */
export const STATE_TABLES = [...READ_MODEL_TABLES, 'projection_checkpoints'];

/** Creates the read-model tables and indexes in `target` exactly as `source` has them. */
export function copyReadModelSchema(source: Database.Database, target: Database.Database): void {
  const rows = source
    .prepare<unknown[], { sql: string }>(
      `SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND tbl_name IN (${STATE_TABLES.map(() => '?').join(',')}) ORDER BY type DESC`,
    )
    .all(...STATE_TABLES);
  for (const { sql } of rows) target.exec(sql);
}

/** Drops every table that is not part of the state (jobs, snapshot records) from a copy. */
export function keepOnlyStateTables(db: Database.Database): void {
  const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all();
  for (const { name } of tables) if (!STATE_TABLES.includes(name)) db.exec(`DROP TABLE "${name}"`);
}

export interface StateCounts {
  datasets: number;
  locations: number;
  configurations: number;
}

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
