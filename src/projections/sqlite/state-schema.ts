import Database from 'better-sqlite3';
import { DataSource } from 'typeorm';
import { READ_MODEL_ENTITIES } from '../entities/read-model-entities';
import { rawConnection } from './read-model-db';
import { readModelSchemaSql } from './read-model-schema';

let schema: Promise<string[]> | null = null;

/**
 * The SQLite statements that create a state file's tables and indexes, for when no live SQLite
 * read-model file exists to copy them from (the read models in PostgreSQL): TypeORM creates the
 * entities' tables in an in-memory database once, exactly as it does in the live file, and their
 * SQL is kept. State files written from either engine therefore have one schema.
 */
export function stateSchemaSql(): Promise<string[]> {
  schema ??= (async () => {
    const dataSource = await new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: READ_MODEL_ENTITIES, synchronize: true }).initialize();
    try {
      return readModelSchemaSql(rawConnection(dataSource));
    } finally {
      await dataSource.destroy();
    }
  })();
  schema.catch(() => (schema = null));
  return schema;
}

/** Creates a state file's tables in `db` (an empty database). */
export async function createStateSchema(db: Database.Database): Promise<void> {
  for (const sql of await stateSchemaSql()) db.exec(sql);
}

/** An in-memory database holding only the state schema: what SqliteTargetStates copies the schema from when no live SQLite file exists. */
export async function stateSchemaTemplate(): Promise<Database.Database> {
  const db = new Database(':memory:');
  await createStateSchema(db);
  return db;
}
