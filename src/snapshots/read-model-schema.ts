import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { READ_MODEL_TABLES } from '../projections/entities/read-model-entities';

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

/**
 * sha256 over the state's rows in id order, table by table: equal states hash equal whatever the
 * history that built them, so a restored state can be checked against a recorded hash.
 */
export function hashState(db: Database.Database): string {
  const hash = createHash('sha256');
  for (const table of READ_MODEL_TABLES) {
    hash.update(`#${table}\n`);
    for (const row of db.prepare(`SELECT * FROM ${table} ORDER BY id`).raw().iterate()) hash.update(JSON.stringify(row) + '\n');
  }
  return hash.digest('hex');
}

export function checkpointOf(db: Database.Database): number {
  return (db.prepare("SELECT position FROM projection_checkpoints WHERE name = 'globe'").get() as { position: number } | undefined)?.position ?? 0;
}
