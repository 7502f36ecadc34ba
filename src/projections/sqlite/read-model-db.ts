import Database from 'better-sqlite3';
import { DataSource } from 'typeorm';

/**
 * Injection token of the raw better-sqlite3 connection under TypeORM's DataSource (same connection,
 * same file), for the SQLite adapters of the read-model ports only: no service outside
 * projections/sqlite takes it (integration specs read the file through it). They use it
 * synchronously, so code on this connection must never open a transaction across an await: no
 * TypeORM `save()`/`remove()` and no `dataSource.transaction()` (both BEGIN, await, COMMIT), only
 * single statements (find, insert, update, upsert, delete, query).
 */
export const READ_MODEL_DB = Symbol('READ_MODEL_DB');

export function rawConnection(dataSource: DataSource): Database.Database {
  return (dataSource.driver as unknown as { databaseConnection: Database.Database }).databaseConnection;
}
