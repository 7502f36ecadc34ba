import Database from 'better-sqlite3';
import { READ_MODEL_TABLES } from '../entities/read-model-entities';

// Re-exported for the modules that import them from here; they live apart so a worker can load them without TypeORM.
export { type StateCounts, checkpointOf, hashState, stateCounts } from './database-state';

/** The tables a snapshot or a scratch state holds: the read models and the checkpoint. */
export const STATE_TABLES = [...READ_MODEL_TABLES, 'projection_checkpoints'];

/** Creates the read-model tables and indexes in `target` exactly as `source` has them. */
export function copyReadModelSchema(source: Database.Database, target: Database.Database): void {
  for (const sql of readModelSchemaSql(source)) target.exec(sql);
}

/** The statements that create the read-model tables and indexes as `source` has them (tables first). */
export function readModelSchemaSql(source: Database.Database): string[] {
  return source
    .prepare<unknown[], { sql: string }>(
      `SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND tbl_name IN (${STATE_TABLES.map(() => '?').join(',')}) ORDER BY type DESC`,
    )
    .all(...STATE_TABLES)
    .map((row) => row.sql);
}

/** Drops every table that is not part of the state (jobs, snapshot records) from a copy. */
export function keepOnlyStateTables(db: Database.Database): void {
  const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all();
  for (const { name } of tables) if (!STATE_TABLES.includes(name)) db.exec(`DROP TABLE "${name}"`);
}
